/**
 * Private helpers of the activity adapters: ids, account names, IPs and result words as the Defender,
 * Cloud Apps, unified-audit-log and directory-audit sources write them.
 */
import { hash53 } from '../../../hash.ts';
import { identifiers, makeIdentifier, samAccount } from '../../../model/identity.ts';
import type { ActivityRecord, ActivityType, Identifier, Place, SourceProduct } from '../../../model/records.ts';
import { FieldReader, isObject, type JsonObject } from '../../fields.ts';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isGuid(value: unknown): value is string {
  return typeof value === 'string' && GUID.test(value.trim());
}

/** JSON with object keys sorted at every level, so equal records hash equal whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'undefined';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}

/** A content id for records whose source gives none: `hash:<cyrb53 of the canonical record>`. */
export function contentId(value: unknown): string {
  return `hash:${hash53(canonicalJson(value))}`;
}

/**
 * A UPN that names a person: a UPN shape with a dotted domain. `app@sharepoint` (the SharePoint app
 * principal) and system principals are not people.
 */
export function personUpn(value: unknown): Identifier | undefined {
  const id = makeIdentifier('upn', value);
  if (!id) return undefined;
  const domain = id.value.slice(id.value.lastIndexOf('@') + 1);
  return /^[^.]+(\.[^.]+)+$/.test(domain) && !id.value.startsWith('@') ? id : undefined;
}

/** An Entra object id, only when the value is a GUID (PUIDs, claims strings and SIDs are not). */
export function guidObjectId(value: unknown): Identifier | undefined {
  return isGuid(value) ? makeIdentifier('objectId', value) : undefined;
}

/**
 * The account columns of Defender hunting tables: `<prefix>ObjectId`, `<prefix>Upn`, `<prefix>Sid`,
 * `<prefix>Name` + `<prefix>Domain`. The prefix is `Account` for Defender for Identity rows and
 * `InitiatingProcessAccount` for the process owner on Defender for Endpoint rows.
 */
export function huntingAccount(reader: FieldReader, prefix: 'Account' | 'InitiatingProcessAccount'): Identifier[] {
  return identifiers(
    guidObjectId(reader.get(`${prefix}ObjectId`)),
    personUpn(reader.get(`${prefix}Upn`)),
    makeIdentifier('sid', reader.get(`${prefix}Sid`)),
    samAccount(reader.string(`${prefix}Domain`), reader.string(`${prefix}Name`)),
  );
}

/** An IP as the audit logs write it, without a port or IPv6 brackets: `[2a01::1]:36185` → `2a01::1`. */
export function cleanIp(value: string | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) return bracketed[1];
  const v4WithPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(text);
  if (v4WithPort) return v4WithPort[1];
  return text;
}

/** Result words of every source (`True`, `Succeeded`, `success`, `LogonFailed`, `Failure` …); unknown → undefined. */
export function resultSuccess(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value !== 'string') return undefined;
  const word = value.trim().toLowerCase();
  if (['true', 'succeeded', 'success', 'partiallysucceeded', 'logonsuccess'].includes(word)) return true;
  if (['false', 'failed', 'failure', 'logonfailed', 'timeout'].includes(word)) return false;
  return undefined;
}

/** `true`/`false`, `1`/`0` and their string forms, as hunting exports write booleans. */
export function looseBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (word === 'true' || word === '1') return true;
    if (word === 'false' || word === '0') return false;
  }
  return undefined;
}

/**
 * An object that Defender may write as JSON, as a JSON string, or as a Python-repr string
 * (`{'Key': 'v', 'Flag': False}`, seen in `AdditionalFields`).
 */
export function looseObject(value: unknown): FieldReader | undefined {
  if (isObject(value)) return new FieldReader(value);
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return undefined;
  for (const text of [value, pythonReprToJson(value)]) {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (isObject(parsed)) return new FieldReader(parsed);
    } catch {
      // try the next reading
    }
  }
  return undefined;
}

/** Rewrites a Python dict repr as JSON: single-quoted strings, True/False/None. Strings are kept intact. */
function pythonReprToJson(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === "'" || ch === '"') {
      const quote = ch;
      let body = '';
      for (i++; i < text.length && text[i] !== quote; i++) {
        const c = text[i]!;
        if (c === '\\' && i + 1 < text.length) {
          const next = text[i + 1]!;
          body += next === "'" ? "'" : c + next;
          i++;
        } else body += c === '"' ? '\\"' : c;
      }
      out += `"${body}"`;
    } else if (text.startsWith('True', i)) {
      out += 'true';
      i += 3;
    } else if (text.startsWith('False', i)) {
      out += 'false';
      i += 4;
    } else if (text.startsWith('None', i)) {
      out += 'null';
      i += 3;
    } else out += ch;
  }
  return out;
}

/** A place from separate city and country columns; `Location` in MDI tables is a country code or a city. */
export function place(city: string | undefined, country: string | undefined, state?: string): Place | undefined {
  const out: Place = {};
  if (city?.trim()) out.city = city.trim();
  if (state?.trim()) out.state = state.trim();
  if (country?.trim()) out.country = country.trim();
  return Object.keys(out).length ? out : undefined;
}

export interface ActivityCore {
  nativeId: string;
  source: SourceProduct;
  format: string;
  time: number;
  timeRaw: string;
  activityType: ActivityType;
  action: string;
  identifiers: Identifier[];
  raw: unknown;
}

/** The required part of an activity record; optional fields are added with `assign`. */
export function activity(core: ActivityCore): ActivityRecord {
  return {
    kind: 'activity',
    id: `activity:${core.nativeId}`,
    nativeId: core.nativeId,
    source: core.source,
    format: core.format,
    time: core.time,
    timeRaw: core.timeRaw,
    identifiers: core.identifiers,
    activityType: core.activityType,
    action: core.action,
    targetIdentifiers: [],
    raw: core.raw,
  };
}

/** True when the field has a value (not missing, null, or an empty string). */
export function filled(reader: FieldReader, ...names: string[]): boolean {
  return names.some((name) => reader.get(name) !== undefined);
}
