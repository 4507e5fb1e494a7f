/**
 * Times are shown one way everywhere: `2026-10-14 08:31:07`, in UTC or in the machine's local zone as
 * the analyst chooses (renderer/state/preferences.ts). UTC is the default because portal exports and
 * other analysts' notes speak UTC; local time is for lining events up with what a user says they did.
 */
export type TimeZonePreference = 'utc' | 'local';

const formatters = new Map<string, Intl.DateTimeFormat>();

/** One cached formatter per IANA zone ('' is the machine's own): building them is the slow part. */
function formatterFor(zone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(zone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'shortOffset',
      timeZone: zone || undefined,
    });
    formatters.set(zone, formatter);
  }
  return formatter;
}

export interface TimeParts {
  /** `2026-10-14` */
  date: string;
  /** `08:31:07` */
  time: string;
  /** `UTC`, or the local offset at that instant such as `GMT+2` (it changes with daylight saving). */
  zone: string;
}

/** The date, time and zone of an instant; `localZone` (an IANA name) stands in for the machine's zone in tests. */
export function timeParts(ms: number, zone: TimeZonePreference, localZone?: string): TimeParts {
  // A table re-renders its visible rows on every scroll step, each with a time shown and one on hover: in
  // UTC the ISO text already holds both parts (Intl's formatToParts was a visible share of a render while
  // an import kept the other core busy), and other zones are remembered for the instants last shown.
  if (zone === 'utc' && ms >= FOUR_DIGIT_YEARS[0] && ms <= FOUR_DIGIT_YEARS[1]) {
    const iso = new Date(ms).toISOString();
    return { date: iso.slice(0, 10), time: iso.slice(11, 19), zone: 'UTC' };
  }
  const key = `${zone === 'utc' ? 'UTC' : (localZone ?? '')}\u0001${ms}`;
  const known = recentParts.get(key);
  if (known) return known;
  const parts = Object.fromEntries(
    formatterFor(zone === 'utc' ? 'UTC' : (localZone ?? ''))
      .formatToParts(ms)
      .map((part) => [part.type, part.value]),
  );
  const offset = parts.timeZoneName ?? '';
  const found: TimeParts = Object.freeze({
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}:${parts.second}`,
    zone: zone === 'utc' || offset === 'GMT' || offset === 'GMT+0' ? 'UTC' : offset,
  });
  if (recentParts.size >= RECENT_PARTS_MAX) recentParts.clear();
  recentParts.set(key, found);
  return found;
}

/** 1000-01-01 to 9999-12-31 (UTC): where the ISO text has the same four-digit year as the formatter. */
const FOUR_DIGIT_YEARS = [Date.parse('1000-01-01T00:00:00Z'), Date.parse('9999-12-31T23:59:59.999Z')] as const;
const RECENT_PARTS_MAX = 4096;
const recentParts = new Map<string, TimeParts>();

/** `2026-10-14 08:31:07` without the zone, for table cells whose header names the zone. */
export function formatTimeBare(ms: number | undefined, zone: TimeZonePreference = 'utc', localZone?: string): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  const { date, time } = timeParts(ms, zone, localZone);
  return `${date} ${time}`;
}

/** `2026-10-14 08:31:07 UTC`: labelled, for prose and details where no header says which zone. */
export function formatTime(ms: number | undefined, zone: TimeZonePreference = 'utc', localZone?: string): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  const { date, time, zone: label } = timeParts(ms, zone, localZone);
  return `${date} ${time} ${label}`;
}

/** The zone a column of bare times is in, for its header: `UTC` or `local`. */
export function zoneLabel(zone: TimeZonePreference): string {
  return zone === 'utc' ? 'UTC' : 'local';
}

// One formatter for every number: toLocaleString builds one per call, which cost ~18 ms of a 206-row users table's render.
const numberFormat = new Intl.NumberFormat('en-US');

export function formatNumber(value: number): string {
  return numberFormat.format(value);
}

export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

/** "unfamiliarFeatures" → "Unfamiliar features": Entra's camelCase vocabulary, readable. */
export function humanize(word: string | undefined): string {
  if (!word) return '—';
  const spaced = word.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
  return (
    spaced.charAt(0).toUpperCase() +
    spaced
      .slice(1)
      .toLowerCase()
      .replace(/\bip\b/g, 'IP')
      .replace(/\bmfa\b/g, 'MFA')
  );
}

/** `1st`, `2nd`, `3rd`, `11th`, `22nd`, `97th`. */
export function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** `1 alert`, `3 alerts`, `1,204 files`: the count, formatted, with the noun it needs. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatNumber(n)} ${n === 1 ? one : many}`;
}
