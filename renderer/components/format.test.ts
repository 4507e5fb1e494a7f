import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTime, formatTimeBare, ordinal, timeParts, zoneLabel } from './format.ts';

// 2026-10-14T08:31:07.250Z: summer time in Berlin (UTC+2); 2026-12-01T23:59:59Z: winter (UTC+1), next day there.
const summer = Date.UTC(2026, 9, 14, 8, 31, 7, 250);
const winter = Date.UTC(2026, 11, 1, 23, 59, 59);

describe('time display', () => {
  it('shows UTC as an ISO-like date and 24-hour time, labelled', () => {
    expect(formatTime(summer, 'utc')).toBe('2026-10-14 08:31:07 UTC');
    expect(formatTimeBare(summer, 'utc')).toBe('2026-10-14 08:31:07');
    expect(formatTime(Date.UTC(2026, 0, 1, 0, 0, 0))).toBe('2026-01-01 00:00:00 UTC');
  });

  it('shows local time with the offset in force at that instant, across daylight saving and midnight', () => {
    expect(formatTime(summer, 'local', 'Europe/Berlin')).toBe('2026-10-14 10:31:07 GMT+2');
    expect(formatTime(winter, 'local', 'Europe/Berlin')).toBe('2026-12-02 00:59:59 GMT+1');
    expect(formatTime(winter, 'local', 'America/New_York')).toBe('2026-12-01 18:59:59 GMT-5');
    expect(formatTime(summer, 'local', 'Asia/Kolkata')).toBe('2026-10-14 14:01:07 GMT+5:30');
    expect(formatTimeBare(summer, 'local', 'Europe/Berlin')).toBe('2026-10-14 10:31:07');
  });

  it('calls a local zone at offset zero UTC, and splits an instant into date, time and zone', () => {
    expect(timeParts(winter, 'local', 'Europe/London')).toEqual({ date: '2026-12-01', time: '23:59:59', zone: 'UTC' });
    expect(timeParts(summer, 'local', 'Europe/London')).toEqual({ date: '2026-10-14', time: '09:31:07', zone: 'GMT+1' });
  });

  it('shows a dash for a missing or impossible time rather than "Invalid Date"', () => {
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime(Number.NaN, 'local')).toBe('—');
    expect(formatTimeBare(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('names the zone of a column', () => {
    expect(zoneLabel('utc')).toBe('UTC');
    expect(zoneLabel('local')).toBe('local');
  });

  it('formats UTC from the ISO text exactly as the Intl formatter does, for any instant', () => {
    const intl = new Intl.DateTimeFormat('en-GB', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZone: 'UTC',
    });
    fc.assert(
      fc.property(fc.integer({ min: Date.parse('1000-01-01T00:00:00Z'), max: Date.parse('9999-12-31T23:59:59.999Z') }), (ms) => {
        const parts = Object.fromEntries(intl.formatToParts(ms).map((part) => [part.type, part.value]));
        expect(timeParts(ms, 'utc')).toEqual({
          date: `${parts.year}-${parts.month}-${parts.day}`,
          time: `${parts.hour}:${parts.minute}:${parts.second}`,
          zone: 'UTC',
        });
      }),
      { numRuns: 2000 },
    );
  });

  it('gives the same local parts for an instant shown again (remembered) as the first time', () => {
    const first = timeParts(summer, 'local', 'Asia/Kolkata');
    expect(timeParts(summer, 'local', 'Asia/Kolkata')).toEqual(first);
    expect(timeParts(summer, 'local', 'Europe/Berlin')).toEqual({ date: '2026-10-14', time: '10:31:07', zone: 'GMT+2' });
  });
});

describe('ordinal', () => {
  it('writes English ordinals, teens included', () => {
    expect([1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 97, 100, 101, 111, 112].map(ordinal)).toEqual([
      '1st',
      '2nd',
      '3rd',
      '4th',
      '11th',
      '12th',
      '13th',
      '21st',
      '22nd',
      '23rd',
      '97th',
      '100th',
      '101st',
      '111th',
      '112th',
    ]);
  });
});
