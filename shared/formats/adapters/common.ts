import { identifiers, makeIdentifier } from '../../model/identity.ts';
import type { Identifier, Place } from '../../model/records.ts';
import type { FieldReader } from '../fields.ts';
import { parseTimestamp } from '../time.ts';

/**
 * Reads a required timestamp from the first field that has one; the error names the field. A "never"
 * placeholder (DateTime.MinValue) counts as an empty field: the next field is read, and if none has a time,
 * the failure names the placeholder (and says `placeholder`, so callers fall back as for a missing time)
 * rather than the record being stored at year 1.
 */
export function requiredTime(
  reader: FieldReader,
  names: string[],
): { ok: true; ms: number; raw: string } | { ok: false; field: string; reason: string; placeholder?: true } {
  let placeholder: { ok: false; field: string; reason: string; placeholder: true } | undefined;
  for (const name of names) {
    const value = reader.get(name);
    if (value === undefined) continue;
    const parsed = parseTimestamp(value);
    if (!parsed.ok && parsed.placeholder) {
      placeholder ??= { ok: false, field: name, reason: parsed.reason, placeholder: true };
      continue;
    }
    if (!parsed.ok) return { ok: false, field: name, reason: parsed.reason };
    return { ok: true, ms: parsed.ms, raw: String(value) };
  }
  return placeholder ?? { ok: false, field: names[0] ?? 'time', reason: 'missing timestamp' };
}

export function optionalTime(reader: FieldReader, ...names: string[]): number | undefined {
  const value = reader.get(...names);
  if (value === undefined) return undefined;
  const parsed = parseTimestamp(value);
  return parsed.ok ? parsed.ms : undefined;
}

/** Graph `location{city,state,countryOrRegion}`; Log Analytics `LocationDetails` as a JSON string. */
export function readPlace(reader: FieldReader, ...names: string[]): Place | undefined {
  const location = reader.object(...names);
  return location ? placeFrom(location) : undefined;
}

/**
 * The location an export tool flattened into the record's own `City`, `State` and `CountryOrRegion` columns
 * (Extractor-Suite's risk detections). Only for formats whose top-level `City` can mean nothing else.
 */
export function readFlatPlace(reader: FieldReader): Place | undefined {
  return placeFrom(reader);
}

function placeFrom(location: FieldReader): Place | undefined {
  const place: Place = {};
  // Older Extractor-Suite versions piped each part through Out-String, which appends a line break.
  const city = location.string('city')?.trim();
  const state = location.string('state')?.trim();
  const country = location.string('countryOrRegion', 'country', 'countryCode')?.trim();
  if (city) place.city = city;
  if (state) place.state = state;
  if (country) place.country = country;
  return Object.keys(place).length ? place : undefined;
}

/** The object id and UPN pair that Entra records carry for the signed-in or risky user. */
export function entraUserIdentifiers(reader: FieldReader, objectIdFields: string[] = ['userId']): Identifier[] {
  return identifiers(makeIdentifier('objectId', reader.get(...objectIdFields)), makeIdentifier('upn', reader.get('userPrincipalName')));
}

/** Sets only the properties that have a value, so stored records carry no `undefined` noise. */
export function assign<T extends object>(target: T, values: Partial<T>): void {
  for (const [key, value] of Object.entries(values)) if (value !== undefined) (target as Record<string, unknown>)[key] = value;
}
