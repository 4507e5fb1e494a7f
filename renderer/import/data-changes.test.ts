import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { dataChangeNotifier } from './data-changes.ts';

describe('dataChangeNotifier', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const make = () => {
    const told: number[] = [];
    const notifier = dataChangeNotifier(
      () => told.push(Date.now()),
      3000,
      () => Date.now(),
    );
    return { told, notifier };
  };

  it('tells the first commit at once and coalesces the ones inside the interval into one, at its end', () => {
    const { told, notifier } = make();
    const start = Date.now();
    notifier.changed();
    expect(told).toEqual([start]);
    for (let i = 0; i < 20; i++) {
      vi.advanceTimersByTime(100);
      notifier.changed();
    }
    expect(told).toHaveLength(1);
    vi.advanceTimersByTime(1000);
    expect(told).toEqual([start, start + 3000]);
    // Nothing more committed: nothing more told.
    vi.advanceTimersByTime(10_000);
    expect(told).toHaveLength(2);
  });

  it('tells a steady stream of commits once an interval, never leaving the last one untold', () => {
    const { told, notifier } = make();
    const start = Date.now();
    for (let t = 0; t <= 10_000; t += 250) {
      notifier.changed();
      vi.advanceTimersByTime(250);
    }
    vi.advanceTimersByTime(3000);
    expect(told.map((at) => at - start)).toEqual([0, 3000, 6000, 9000, 12000]);
  });

  it('tells a commit after a quiet interval at once', () => {
    const { told, notifier } = make();
    notifier.changed();
    vi.advanceTimersByTime(5000);
    notifier.changed();
    expect(told).toHaveLength(2);
  });

  it('flush tells now and drops the telling that was waiting', () => {
    const { told, notifier } = make();
    notifier.changed();
    vi.advanceTimersByTime(500);
    notifier.changed();
    notifier.flush();
    expect(told).toHaveLength(2);
    // The interval counts from the flush.
    vi.advanceTimersByTime(1000);
    notifier.changed();
    expect(told).toHaveLength(2);
    vi.advanceTimersByTime(2000);
    expect(told).toHaveLength(3);
    vi.advanceTimersByTime(10_000);
    expect(told).toHaveLength(3);
  });
});
