/**
 * Text conventions of the export tools: CSV quoting (minimal, as the Log Analytics portal writes
 * it; every field, as PowerShell's Export-Csv does), the timestamp spellings of each channel, and the
 * indentation of a record inside a two-space-indented Graph page.
 */
import { MILLISECOND, type Micros } from '../time.ts';

/** A CSV field quoted only when it must be (comma, quote, line break, leading or trailing space). */
export function csvMinimal(value: string): string {
  if (value === '') return '';
  if (/[",\r\n]/.test(value) || value.trimStart() !== value || value.trimEnd() !== value) return `"${value.replace(/"/g, '""')}"`;
  return value;
}

/** A CSV field always quoted (Export-Csv). */
export function csvQuoted(value: string): string {
  return `"${value.replace(/"/g, '""')}"`;
}

function usParts(t: Micros) {
  const d = new Date(Math.floor(t / MILLISECOND));
  const h = d.getUTCHours();
  return {
    date: `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`,
    clock: `${h % 12 === 0 ? 12 : h % 12}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}`,
    ms: String(d.getUTCMilliseconds()).padStart(3, '0'),
    meridiem: h < 12 ? 'AM' : 'PM',
  };
}

/** Log Analytics portal CSV: `9/19/2023, 1:45:17.287 PM` (UTC). */
export function laTime(t: Micros): string {
  const p = usParts(t);
  return `${p.date}, ${p.clock}.${p.ms} ${p.meridiem}`;
}

/** Search-UnifiedAuditLog `CreationDate` as Export-Csv writes it under en-US: `12/2/2024 9:50:07 PM`. */
export function psTime(t: Micros): string {
  const p = usParts(t);
  return `${p.date} ${p.clock} ${p.meridiem}`;
}

/** Advanced hunting `Timestamp`: ISO 8601 with milliseconds and Z. */
export function isoMs(t: Micros): string {
  return new Date(Math.floor(t / MILLISECOND)).toISOString();
}

/** Unified audit log `CreationTime`: ISO without fraction or zone (UTC). */
export function ualTime(t: Micros): string {
  return new Date(Math.floor(t / MILLISECOND)).toISOString().slice(0, 19);
}

/** Entra's `authenticationStepDateTime` spelling in Log Analytics: seven digits and `+00:00`. */
export function offsetTime(t: Micros): string {
  const base = new Date(Math.floor(t / MILLISECOND)).toISOString().slice(0, 19);
  const micros = ((t % 1_000_000) + 1_000_000) % 1_000_000;
  return `${base}.${String(micros).padStart(6, '0')}${(Math.floor(t / 7) + micros) % 10}+00:00`;
}

/** A value as a record inside a Graph page written with two-space indentation (four spaces deep). */
export function pageRecordText(value: unknown): string {
  return `    ${JSON.stringify(value, null, 2).replace(/\n/g, '\n    ')}`;
}

/** JSON as .NET pretty-prints it into Log Analytics cells: two-space indentation, CRLF. */
export function crlfJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, '\r\n');
}
