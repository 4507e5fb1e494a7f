import { afterAll, describe, expect, it } from 'vitest';
import { parseTimestamp } from './time.ts';

const utc = (iso: string) => Date.parse(iso);

const originalZone = process.env.TZ;
afterAll(() => {
  process.env.TZ = originalZone;
});

// Node re-reads TZ when it is assigned, so each block below runs under a different machine time zone.
describe.each(['UTC', 'Europe/Berlin', 'America/Los_Angeles'])('parseTimestamp with the machine in %s', (zone) => {
  it('runs in that zone', () => {
    process.env.TZ = zone;
    expect(new Date(Date.UTC(2024, 6, 1)).getTimezoneOffset()).toBe({ UTC: 0, 'Europe/Berlin': -120, 'America/Los_Angeles': 420 }[zone]);
  });

  const table: [unknown, string][] = [
    ['2018-09-05T00:09:18.7822851Z', '2018-09-05T00:09:18.782Z'],
    ['2024-12-02T21:50:07', '2024-12-02T21:50:07.000Z'],
    ['2024-03-01T10:00:00+02:00', '2024-03-01T08:00:00.000Z'],
    ['2024-03-01T10:00:00-0530', '2024-03-01T15:30:00.000Z'],
    ['2024-03-01', '2024-03-01T00:00:00.000Z'],
    ['4/28/2021, 2:08:45.221 PM', '2021-04-28T14:08:45.221Z'],
    ['12/2/2024 9:50:07 PM', '2024-12-02T21:50:07.000Z'],
    ['12/2/2024 12:05:00 AM', '2024-12-02T00:05:00.000Z'],
    // Export-Csv writes a DateTimeOffset with its offset (Extractor-Suite CSVs from the Graph SDK).
    ['5/14/2024 3:05:12 PM +00:00', '2024-05-14T15:05:12.000Z'],
    ['5/14/2024 3:05:12 PM +02:00', '2024-05-14T13:05:12.000Z'],
    ['12/31/2024 11:30:00 PM -05:00', '2025-01-01T04:30:00.000Z'],
    ['5/14/2024 15:05:12 +0530', '2024-05-14T09:35:12.000Z'],
    ['5/14/2024 3:05:12 PM Z', '2024-05-14T15:05:12.000Z'],
    // The same exports from a German (dots) or Dutch (dashes) machine: day first, 24-hour clock.
    ['14.05.2024 15:05:12', '2024-05-14T15:05:12.000Z'],
    ['1.2.2025 03:04:05', '2025-02-01T03:04:05.000Z'],
    ['14-5-2024 15:05:12', '2024-05-14T15:05:12.000Z'],
    ['14.05.2024 15:05:12 +02:00', '2024-05-14T13:05:12.000Z'],
    ['/Date(1709287200000)/', '2024-03-01T10:00:00.000Z'],
    [1709287200, '2024-03-01T10:00:00.000Z'],
    [1709287200000, '2024-03-01T10:00:00.000Z'],
    ['1709287200000', '2024-03-01T10:00:00.000Z'],
  ];

  it.each(table)('reads %s as %s whatever the machine time zone', (input, expected) => {
    const parsed = parseTimestamp(input);
    expect(parsed).toEqual({ ok: true, ms: utc(expected) });
  });

  it.each([
    '',
    'yesterday',
    '2024-02-31T00:00:00Z',
    '13/45/2024 1:00 PM',
    '5/14/2024 3:05:12 PM +25:00',
    '5/14/2024 3:05:12 PM CEST',
    '14.13.2024 15:05:12',
    '31.04.2024 10:00:00',
    '14.05-2024 15:05:12',
    null,
    undefined,
    {},
  ])('rejects %s with a reason', (input) => {
    const parsed = parseTimestamp(input);
    expect(parsed.ok).toBe(false);
  });

  // Tools write the zero (or maximum) value of their time type for "never": such a value is no time, like an
  // empty field, and must not become a time (DateTime.MinValue read as 1901-01-01 through Date.UTC's 1900 rule).
  const placeholders: [unknown, RegExp][] = [
    ['1/1/0001 12:00:00 AM', /DateTime\.MinValue/],
    ['0001-01-01T00:00:00', /DateTime\.MinValue/],
    ['0001-01-01T00:00:00.0000000Z', /DateTime\.MinValue/],
    ['01.01.0001 00:00:00', /DateTime\.MinValue/],
    ['/Date(-62135596800000)/', /DateTime\.MinValue/],
    ['12/31/9999 11:59:59 PM', /DateTime\.MaxValue/],
    ['9999-12-31T23:59:59.9999999Z', /DateTime\.MaxValue/],
    ['1/1/1601 12:00:00 AM', /FILETIME 0/],
    ['1970-01-01T00:00:00Z', /Unix time 0/],
    [0, /Unix time 0/],
  ];

  it.each(placeholders)('reads %s as a "never" placeholder, not a time', (input, named) => {
    const parsed = parseTimestamp(input);
    expect(parsed).toMatchObject({ ok: false, placeholder: true });
    expect(!parsed.ok && parsed.reason).toMatch(named);
  });

  // Years 0–99 stay themselves (they used to land in the 1900s, inside the range), and times no log can hold, or
  // no Date can (past ±8.64e15 ms: an Invalid Date whose toISOString throws), are invalid.
  it.each([
    '0099-05-05T00:00:00Z',
    '5/5/0050 1:00:00 PM',
    '1969-12-31T23:59:59Z',
    '2100-01-01T00:00:00Z',
    '/Date(99999999999999999)/',
    '/Date(-8640000000000001)/',
    `/Date(${'9'.repeat(400)})/`,
    1e20,
    -1e20,
    Number.MAX_VALUE,
    '-99999999999',
  ])('rejects %s as outside the times a log can hold', (input) => {
    const parsed = parseTimestamp(input);
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringMatching(/outside 1970–2099/) });
    expect(parsed).not.toHaveProperty('placeholder');
  });

  it.each([
    ['1970-01-01T00:00:01Z', '1970-01-01T00:00:01.000Z'],
    ['2099-12-31T23:59:59.999Z', '2099-12-31T23:59:59.999Z'],
    ['2/29/2024 11:59:59 PM', '2024-02-29T23:59:59.000Z'],
  ])('still reads %s at the edges of that range', (input, expected) => {
    expect(parseTimestamp(input)).toEqual({ ok: true, ms: utc(expected) });
  });
});
