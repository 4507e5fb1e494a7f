import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { places } from './catalog.ts';
import { fromLocal, GRAPH_TIME_PATTERN, graphTime, HOUR, localDays, localParts, offsetMinutesAt, utcMicros, windowEndingAt } from './time.ts';

describe('graphTime', () => {
  it('writes ISO-8601 UTC with up to seven fractional digits, trailing zeros trimmed', () => {
    expect(graphTime(utcMicros(2026, 10, 31, 23, 59, 59))).toMatch(/^2026-10-31T23:59:59(\.\d{1,7})?Z$/);
    expect(graphTime(utcMicros(2026, 10, 2) + 773_602)).toMatch(/^2026-10-02T00:00:00\.773602\d?Z$/);
    fc.assert(
      fc.property(fc.integer({ min: 1.7e15, max: 1.9e15 }), (t) => {
        const text = graphTime(t);
        expect(text).toMatch(GRAPH_TIME_PATTERN);
        expect(Date.parse(text)).toBe(Math.floor(t / 1000));
      }),
    );
  });

  it('rejects non-integer instants', () => {
    expect(() => graphTime(1.5)).toThrow();
  });
});

describe('time zones', () => {
  it('follows EU and US daylight saving in autumn 2026', () => {
    const berlin = places.berlin.zone;
    expect(offsetMinutesAt(berlin, utcMicros(2026, 10, 25, 0, 59))).toBe(120);
    expect(offsetMinutesAt(berlin, utcMicros(2026, 10, 25, 1, 0))).toBe(60);
    const seattle = places.seattle.zone;
    expect(offsetMinutesAt(seattle, utcMicros(2026, 10, 31, 12))).toBe(-420);
    expect(offsetMinutesAt(seattle, utcMicros(2026, 11, 1, 8, 59))).toBe(-420);
    expect(offsetMinutesAt(seattle, utcMicros(2026, 11, 1, 9, 0))).toBe(-480);
    expect(offsetMinutesAt(places.singapore.zone, utcMicros(2026, 7, 1))).toBe(480);
  });

  it('round-trips local wall-clock times', () => {
    const t = fromLocal(places.newYork.zone, 2026, 10, 14, 9.5);
    expect(graphTime(t)).toBe('2026-10-14T13:30:00Z');
    const parts = localParts(places.newYork.zone, t);
    expect(parts).toMatchObject({ year: 2026, month: 10, day: 14, weekday: 3 });
    expect(parts.hour).toBeCloseTo(9.5, 6);
  });

  it('lists the local days of a window', () => {
    const window = windowEndingAt(utcMicros(2026, 10, 31, 23, 59, 59), 30);
    expect(graphTime(window.start)).toBe('2026-10-02T00:00:00Z');
    const seattleDays = localDays(places.seattle.zone, window);
    expect(seattleDays[0]).toMatchObject({ month: 10, day: 1 });
    expect(seattleDays.at(-1)).toMatchObject({ month: 10, day: 31 });
    expect(localDays(places.london.zone, window)).toHaveLength(30);
    expect(localDays(places.berlin.zone, window).at(-1)).toMatchObject({ month: 11, day: 1 });
    expect(window.end - window.start).toBe(30 * 24 * HOUR - 1_000_000);
  });
});
