/**
 * Timestamps, parsed explicitly per shape and never through `new Date(string)`, whose reading of
 * zone-less strings depends on the machine's time zone.
 */

/**
 * A failed parse says why. `placeholder` marks a value that stands for "no time" (a never-set `lastUpdated`
 * written as .NET's `DateTime.MinValue`), which callers treat like an empty field rather than a broken one.
 */
export type TimeParse = { ok: true; ms: number } | { ok: false; reason: string; placeholder?: true };

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
/**
 * `M/D/YYYY h:mm:ss[.fff] [AM|PM]`, as .NET's en-US `DateTime.ToString()` and Log Analytics write it, and with
 * the offset a `DateTimeOffset` appends (`5/14/2024 3:05:12 PM +00:00`), which Export-Csv writes for Graph SDK values.
 */
const US_LOCAL = /^(\d{1,2})\/(\d{1,2})\/(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?\s*([AP]M)?(?:\s*(Z|[+-]\d{2}:?\d{2}))?$/i;
/**
 * `D.M.YYYY H:mm:ss` and `D-M-YYYY H:mm:ss`: the same tool exports run on a German or Dutch machine (Export-Csv
 * writes dates in the machine's culture). Day first is certain here: no culture writes month first with dots or dashes.
 */
const DAY_FIRST = /^(\d{1,2})([.-])(\d{1,2})\2(\d{4}),?\s+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,7}))?)?(?:\s*(Z|[+-]\d{2}:?\d{2}))?$/i;
const MS_JSON_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

/**
 * Which way a file writes `03/04/2025`: .NET's en-US culture and Log Analytics write month first; en-GB, en-AU
 * and most of Europe's slash cultures write day first. A file is written in one culture, so the order is decided
 * per file from its own dates (`slashDateEvidence`, in parse.ts) and never guessed row by row.
 */
export type SlashDateOrder = 'month-first' | 'day-first';

let slashOrder: SlashDateOrder = 'month-first';

/** Sets the order `parseTimestamp` reads slash dates in (for the record being normalized); returns the previous one. */
export function setSlashDateOrder(order: SlashDateOrder): SlashDateOrder {
  const previous = slashOrder;
  slashOrder = order;
  return previous;
}

const SLASH_DATE = /^(\d{1,2})\/(\d{1,2})\/\d{4}\b/;

/**
 * What one value says of its file's slash-date order: `day-first` when its first number cannot be a month,
 * `month-first` when its second cannot; undefined when it is no slash date or both read (`03/04/2025`).
 */
export function slashDateEvidence(value: string): SlashDateOrder | undefined {
  // Cheap refusal first: this runs over every field of a file's first records.
  if (value.length < 8 || (value.charCodeAt(1) !== 47 && value.charCodeAt(2) !== 47)) return undefined;
  const match = SLASH_DATE.exec(value);
  if (!match) return undefined;
  const first = Number(match[1]);
  const second = Number(match[2]);
  if (first > 12 && second <= 12) return 'day-first';
  if (second > 12 && first <= 12) return 'month-first';
  return undefined;
}

/** Whether a value is a slash date at all (ambiguous or not). */
export function isSlashDate(value: string): boolean {
  return value.length >= 8 && (value.charCodeAt(1) === 47 || value.charCodeAt(2) === 47) && SLASH_DATE.test(value);
}

function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, fraction: string | undefined): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = fraction ? Math.floor(Number(`0.${fraction}`) * 1000) : 0;
  // Not Date.UTC, which reads years 0–99 as 1900–1999 and so made .NET's DateTime.MinValue (0001-01-01) 1901-01-01.
  const check = new Date(0);
  check.setUTCFullYear(y, mo - 1, d);
  check.setUTCHours(h, mi, s, ms);
  // Dates roll 31 February into March: reject instead of inventing a day.
  if (check.getUTCDate() !== d || check.getUTCMonth() !== mo - 1) return undefined;
  return check.getTime();
}

/**
 * The zero and maximum values of the time types exports are written from, which tools write for "never"
 * (a risky user's never-set `riskLastUpdatedDateTime`, an alert's missing `lastUpdateDateTime`): .NET's
 * `DateTime.MinValue` (also as PowerShell 5.1's `/Date(-62135596800000)/`), Windows FILETIME 0 (1601-01-01,
 * Active Directory's "never"), Unix time 0, and `DateTime.MaxValue` (9999-12-31 23:59:59.9999999, read to
 * any fraction of its last second). As a time they would stretch a timeline over two thousand years.
 */
const PLACEHOLDERS: [from: number, to: number, name: string][] = [
  [-62_135_596_800_000, -62_135_596_800_000, '.NET DateTime.MinValue'],
  [-11_644_473_600_000, -11_644_473_600_000, 'Windows FILETIME 0'],
  [0, 0, 'Unix time 0'],
  [253_402_300_799_000, 253_402_300_799_999, '.NET DateTime.MaxValue'],
];

/**
 * Times a security log can hold: nothing we read was written before the Unix epoch, and a time past 2099 is
 * a corrupt value or a typo. The bounds also keep every accepted time far inside what a Date can represent
 * (±8.64e15 ms), so `toIso` never meets an Invalid Date: `/Date(99999999999999999)/` used to parse.
 */
const EARLIEST_MS = 0;
const LATEST_MS = Date.UTC(2100, 0, 1);

/** The last check of every parse: a placeholder is "no time", a time outside the plausible range is invalid. */
function plausible(ms: number, value: unknown): TimeParse {
  const shown = () => String(value).trim().slice(0, 40);
  for (const [from, to, name] of PLACEHOLDERS) {
    if (ms >= from && ms <= to) return { ok: false, placeholder: true, reason: `"${shown()}" is ${name}, a placeholder for "never", not a time` };
  }
  if (!(ms > EARLIEST_MS && ms < LATEST_MS)) return { ok: false, reason: `timestamp "${shown()}" is outside 1970–2099, the range a log can hold` };
  return { ok: true, ms };
}

/**
 * Parses a timestamp as the sources write them:
 * ISO-8601 with a zone; ISO without a zone (UTC where the source says so: Graph, Log Analytics, UAL);
 * US display strings (`4/28/2021, 2:08:45.221 PM`, UTC in Log Analytics and tool exports: the Graph PowerShell
 * SDK hands Extractor-Suite UTC values, which Export-Csv writes without a zone), also with a trailing offset
 * (`5/14/2024 3:05:12 PM +02:00`, a DateTimeOffset); German and Dutch display strings (`14.05.2024 15:05:12`,
 * `14-5-2024 15:05:12`), day first;
 * `/Date(ms)/`; epoch seconds or milliseconds as numbers or digit strings.
 * A "never" placeholder fails with `placeholder` set, and a time outside 1970–2099 fails as invalid.
 */
export function parseTimestamp(value: unknown): TimeParse {
  const parsed = parseAnyTime(value);
  return parsed.ok ? plausible(parsed.ms, value) : parsed;
}

/** Reads the value in whichever shape it is written, with no judgement on whether the time makes sense. */
function parseAnyTime(value: unknown): TimeParse {
  if (typeof value === 'number') return fromEpoch(value);
  if (typeof value !== 'string') return { ok: false, reason: 'missing timestamp' };
  const text = value.trim();
  if (!text) return { ok: false, reason: 'empty timestamp' };

  const iso = ISO.exec(text);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', fraction, zone] = iso;
    const ms = utc(+y!, +mo!, +d!, +h, +mi, +s, fraction);
    if (ms === undefined) return { ok: false, reason: `impossible date "${text}"` };
    return withZone(ms, zone, text);
  }

  const us = US_LOCAL.exec(text);
  if (us) {
    const [, first, second, y, hRaw, mi, s = '0', fraction, meridiem, zone] = us;
    const [mo, d] = slashOrder === 'month-first' ? [first, second] : [second, first];
    let h = +hRaw!;
    if (meridiem) {
      if (h < 1 || h > 12) return { ok: false, reason: `impossible hour in "${text}"` };
      if (meridiem.toUpperCase() === 'AM') h = h === 12 ? 0 : h;
      else h = h === 12 ? 12 : h + 12;
    }
    const ms = utc(+y!, +mo!, +d!, h, +mi!, +s, fraction);
    return ms === undefined
      ? { ok: false, reason: `impossible date "${text}" (this file's slash dates read ${slashOrder.replace('-', ' ')})` }
      : withZone(ms, zone, text);
  }

  const dayFirst = DAY_FIRST.exec(text);
  if (dayFirst) {
    const [, d, , mo, y, h, mi, s = '0', fraction, zone] = dayFirst;
    const ms = utc(+y!, +mo!, +d!, +h!, +mi!, +s, fraction);
    return ms === undefined ? { ok: false, reason: `impossible date "${text}"` } : withZone(ms, zone, text);
  }

  const msJson = MS_JSON_DATE.exec(text);
  if (msJson) return { ok: true, ms: Number(msJson[1]) };

  if (/^-?\d{9,13}(\.\d+)?$/.test(text)) return fromEpoch(Number(text));
  return { ok: false, reason: `unrecognized timestamp "${text.slice(0, 40)}"` };
}

/** Shifts a wall-clock time read as UTC by its written offset (`Z`, `+02:00`, `-0530`); no offset means UTC. */
function withZone(wallMs: number, zone: string | undefined, text: string): TimeParse {
  if (!zone || zone.toUpperCase() === 'Z') return { ok: true, ms: wallMs };
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2, 4));
  // Real offsets run from -12:00 to +14:00; anything else is a typo, not a zone.
  if (hours > 14 || minutes > 59) return { ok: false, reason: `impossible time zone offset in "${text}"` };
  return { ok: true, ms: wallMs - sign * (hours * 60 + minutes) * 60_000 };
}

/** Epoch seconds or milliseconds, told apart by magnitude (seconds stop being plausible after 2286). */
function fromEpoch(value: number): TimeParse {
  if (!Number.isFinite(value)) return { ok: false, reason: 'timestamp is not a finite number' };
  const ms = Math.abs(value) < 1e11 ? value * 1000 : value;
  return { ok: true, ms: Math.round(ms) };
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
