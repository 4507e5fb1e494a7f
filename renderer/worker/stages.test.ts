import { describe, expect, it, vi } from 'vitest';
import { StageClock } from './stages.ts';

describe('StageClock', () => {
  it('sums laps per stage, leaves out time before the timer starts, and reports the largest first with counts', () => {
    let now = 0;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => now);
    try {
      const clock = new StageClock();
      now = 5;
      const lap = clock.split();
      now = 15;
      lap('parse');
      now = 45;
      lap('write');
      now = 50;
      lap('parse');
      clock.add('hash', 2.4);
      clock.count('rows', 3);
      clock.count('rows', 4);
      const report = clock.report();
      expect(report.ms).toEqual({ write: 30, parse: 15, hash: 2 });
      expect(Object.keys(report.ms)).toEqual(['write', 'parse', 'hash']);
      expect(report.counts).toEqual({ rows: 7 });
    } finally {
      spy.mockRestore();
    }
  });
});
