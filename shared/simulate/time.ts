/**
 * Time for the simulators: instants, the simulated window, time zones with daylight saving, and
 * the timestamp text Graph writes.
 *
 * An instant is an integer count of **microseconds** since the Unix epoch (UTC). Graph prints up to
 * seven fractional digits; microseconds keep six of them exactly (2026 is about 1.8e15 µs, well
 * inside the 2^53 safe range) and the seventh is derived from the value. Nothing here reads the
 * wall clock: every instant comes from a fixed window end and the seeded generator.
 */

/** Microseconds since 1970-01-01T00:00:00Z. */
export type Micros = number;

export const MICROSECOND = 1;
export const MILLISECOND = 1_000;
export const SECOND = 1_000_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A span of simulated time, both ends inclusive. */
export interface TimeWindow {
  start: Micros;
  end: Micros;
}

export function utcMicros(year: number, month1: number, day: number, hour = 0, minute = 0, second = 0): Micros {
  return Date.UTC(year, month1 - 1, day, hour, minute, second) * MILLISECOND;
}

/** The window that ends at `end` (inclusive) and starts `days` days earlier at the same second plus one. */
export function windowEndingAt(end: Micros, days: number): TimeWindow {
  return { start: end - days * DAY + SECOND, end };
}

export function inWindow(window: TimeWindow, t: Micros): boolean {
  return t >= window.start && t <= window.end;
}

export function clampToWindow(window: TimeWindow, t: Micros): Micros {
  return Math.min(window.end, Math.max(window.start, t));
}

/**
 * Graph's timestamp text: `2026-10-14T08:31:07.1234567Z`, trailing zeros of the fraction trimmed
 * (as .NET round-trip output trimmed by Graph does), no fraction at all when it is zero.
 */
export function graphTime(t: Micros): string {
  if (!Number.isSafeInteger(t)) throw new RangeError(`instant must be an integer of microseconds, got ${t}`);
  const ms = Math.floor(t / MILLISECOND);
  const base = new Date(ms).toISOString().slice(0, 19);
  const micros = t - Math.floor(t / SECOND) * SECOND;
  // A seventh digit derived from the instant itself, so it is stable and varies (none on whole seconds).
  const seventh = micros === 0 ? 0 : (Math.floor(t / 7) + micros) % 10;
  const fraction = `${String(micros).padStart(6, '0')}${seventh}`.replace(/0+$/, '');
  return fraction ? `${base}.${fraction}Z` : `${base}Z`;
}

/** The milliseconds since the epoch of a Graph timestamp text (for tests and writers). */
export function parseGraphTime(text: string): number {
  return Date.parse(text);
}

export const GRAPH_TIME_PATTERN = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,7})?Z$/;

// ---------------------------------------------------------------------------------------------
// Time zones

/** Which daylight-saving rule a zone follows. */
export type DstRule = 'none' | 'us' | 'eu';

export interface TimeZone {
  /** IANA-style name, for humans and ground truth only. */
  name: string;
  /** Offset from UTC outside daylight saving, in minutes (east positive). */
  standardOffsetMinutes: number;
  dst: DstRule;
}

function nthSundayUtcMs(year: number, month0: number, n: number): number {
  const first = new Date(Date.UTC(year, month0, 1));
  const firstSunday = 1 + ((7 - first.getUTCDay()) % 7);
  return Date.UTC(year, month0, firstSunday + 7 * (n - 1));
}

function lastSundayUtcMs(year: number, month0: number): number {
  const last = new Date(Date.UTC(year, month0 + 1, 0));
  return Date.UTC(year, month0, last.getUTCDate() - last.getUTCDay());
}

const MS_HOUR = 3_600_000;
const MS_MINUTE = 60_000;

/** The zone's offset from UTC (minutes) at the instant. */
export function offsetMinutesAt(zone: TimeZone, t: Micros): number {
  const ms = Math.floor(t / MILLISECOND);
  const std = zone.standardOffsetMinutes;
  if (zone.dst === 'none') return std;
  const year = new Date(ms).getUTCFullYear();
  let begins: number;
  let ends: number;
  if (zone.dst === 'eu') {
    // Last Sunday of March to last Sunday of October, at 01:00 UTC.
    begins = lastSundayUtcMs(year, 2) + MS_HOUR;
    ends = lastSundayUtcMs(year, 9) + MS_HOUR;
  } else {
    // Second Sunday of March 02:00 local standard time to first Sunday of November 02:00 local daylight time.
    begins = nthSundayUtcMs(year, 2, 2) + 2 * MS_HOUR - std * MS_MINUTE;
    ends = nthSundayUtcMs(year, 10, 1) + 2 * MS_HOUR - (std + 60) * MS_MINUTE;
  }
  return ms >= begins && ms < ends ? std + 60 : std;
}

export interface LocalParts {
  year: number;
  /** 1–12 */
  month: number;
  day: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  /** Fractional hour of the local day, 0 ≤ h < 24. */
  hour: number;
}

export function localParts(zone: TimeZone, t: Micros): LocalParts {
  const localMs = Math.floor(t / MILLISECOND) + offsetMinutesAt(zone, t) * MS_MINUTE;
  const d = new Date(localMs);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: d.getUTCDay(),
    hour: d.getUTCHours() + d.getUTCMinutes() / 60 + d.getUTCSeconds() / 3600,
  };
}

/** The UTC instant of a local wall-clock time (hours may exceed 24 to spill into the next day). */
export function fromLocal(zone: TimeZone, year: number, month1: number, day: number, hours: number): Micros {
  const wallMs = Date.UTC(year, month1 - 1, day) + Math.round(hours * MS_HOUR);
  // Guess with the standard offset, then correct once with the offset in force at the guess.
  let utcMs = wallMs - zone.standardOffsetMinutes * MS_MINUTE;
  utcMs = wallMs - offsetMinutesAt(zone, utcMs * MILLISECOND) * MS_MINUTE;
  return utcMs * MILLISECOND;
}

/** A local calendar day. */
export interface LocalDay {
  year: number;
  month: number;
  day: number;
  weekday: number;
  /** Days since the window's first local day (0-based). */
  index: number;
}

/** The local calendar days that overlap the window, in order. */
export function localDays(zone: TimeZone, window: TimeWindow): LocalDay[] {
  const first = localParts(zone, window.start);
  const last = localParts(zone, window.end);
  const out: LocalDay[] = [];
  let cursor = Date.UTC(first.year, first.month - 1, first.day);
  const stop = Date.UTC(last.year, last.month - 1, last.day);
  for (let index = 0; cursor <= stop; index++, cursor += 24 * MS_HOUR) {
    const d = new Date(cursor);
    out.push({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(), index });
  }
  return out;
}
