/**
 * Case-insensitive, suffix-tolerant field access: Graph writes `userPrincipalName`, Log Analytics
 * `UserPrincipalName`, and some exporters `UserPrincipalName_string`. All three read the same, and a
 * portal export's `CreatedDateTime [UTC]` reads as `createdDateTime`.
 */

const TYPE_SUFFIX = /_(string|long|int|bool|boolean|dynamic|datetime|real|guid)$/;

/** Log Analytics portal exports label time columns `TimeGenerated [UTC]`: the same field, in UTC. */
const UTC_LABEL = /\s*\[utc\]$/;

/** Every record of an export repeats the same few dozen names: remember them rather than re-derive them. */
const canonicalCache = new Map<string, string>();
const CANONICAL_CACHE_LIMIT = 50_000;

export function canonicalFieldName(name: string): string {
  const cached = canonicalCache.get(name);
  if (cached !== undefined) return cached;
  const canonical = name.toLowerCase().trim().replace(UTC_LABEL, '').replace(TYPE_SUFFIX, '');
  // A hostile file could use endless distinct names: stop remembering rather than grow without bound.
  if (canonicalCache.size < CANONICAL_CACHE_LIMIT) canonicalCache.set(name, canonical);
  return canonical;
}

export type JsonObject = { [key: string]: unknown };

/**
 * The longest text kept from one field. Real titles, descriptions and queries are a few kilobytes at most; a
 * crafted 10 MB title would freeze every table that shows it. The source record keeps the whole value.
 */
export const MAX_FIELD_CHARS = 65_536;

/**
 * Characters no export has a use for in a value the app shows or matches on: C0 controls other than tab, line
 * feed and carriage return, DEL, the bidirectional embedding, override and isolate controls (which can make
 * `moc.evil` display as `live.com`), and surrogates, which are fine in pairs and checked one by one.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u202A-\u202E\u2066-\u2069\uD800-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- as above
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** What cleaning a field's value changed, for the file's summary: the field and a reason an analyst can read. */
export interface FieldNote {
  field: string;
  reason: string;
}

const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** Notes since the parser last took them: the parser takes them after each record (`takeFieldNotes`). */
let fieldNotes: FieldNote[] = [];

export function takeFieldNotes(): FieldNote[] {
  const notes = fieldNotes;
  if (notes.length) fieldNotes = [];
  return notes;
}

/**
 * A field's text as the app may keep it: controls and bidirectional overrides removed, a lone surrogate
 * replaced by U+FFFD (it breaks `encodeURIComponent` and exporters), and at most `MAX_FIELD_CHARS`, cut where
 * it says so. Almost every value passes one regular-expression test and is returned as it is.
 */
export function cleanFieldText(field: string, value: string): string {
  if (value.length <= MAX_FIELD_CHARS && !SUSPECT.test(value)) return value;
  const changes: string[] = [];
  let text = value;
  const withoutControls = text.replace(CONTROLS, '');
  if (withoutControls.length !== text.length) changes.push(count(text.length - withoutControls.length, 'control character') + ' removed');
  text = withoutControls;
  const withoutBidi = text.replace(BIDI_CONTROLS, '');
  if (withoutBidi.length !== text.length) changes.push(count(text.length - withoutBidi.length, 'bidirectional override character') + ' removed');
  text = withoutBidi;
  const wellFormed = text.replace(LONE_SURROGATE, '\uFFFD');
  if (wellFormed !== text) changes.push('unpaired surrogates replaced by U+FFFD');
  text = wellFormed;
  if (text.length > MAX_FIELD_CHARS) {
    // Never cut a surrogate pair in two.
    const end = /[\uD800-\uDBFF]/.test(text[MAX_FIELD_CHARS - 1]!) ? MAX_FIELD_CHARS - 1 : MAX_FIELD_CHARS;
    changes.push(
      `cut to ${MAX_FIELD_CHARS.toLocaleString('en-US')} of its ${text.length.toLocaleString('en-US')} characters (the source record keeps it whole)`,
    );
    text = `${text.slice(0, end)}…`;
  }
  if (changes.length) fieldNotes.push({ field, reason: changes.join('; ') });
  return text;
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** How a record's field names read: each canonical name, and the names that spell it, in the record's order. */
interface Shape {
  keys: string[];
  spellings: Map<string, string[]>;
  /** Whether any field name has a dot: only then can an object have been flattened into columns. */
  hasDottedNames: boolean;
}

/**
 * The records of an export share their field names (a CSV's header, an API's schema), so how those names
 * read is worked out once per set of names, not per record: a map of every field per record (a hundred for a
 * sign-in row) was a few kilobytes of garbage per record and a fifth of normalizing time. Shapes are found by
 * their names' count and first name, then compared name by name; a hostile file of endless shapes stops
 * being remembered.
 */
const shapes = new Map<string, Shape[]>();
let shapeCount = 0;
const SHAPE_LIMIT = 2_000;

function shapeOf(record: JsonObject): Shape {
  const keys = Object.keys(record);
  const bucket = `${keys.length}\u0001${keys[0] ?? ''}`;
  const known = shapes.get(bucket);
  if (known)
    for (const shape of known) {
      let same = true;
      for (let i = 0; i < keys.length && same; i++) same = shape.keys[i] === keys[i];
      if (same) return shape;
    }
  const spellings = new Map<string, string[]>();
  let hasDottedNames = false;
  for (const key of keys) {
    const name = canonicalFieldName(key);
    if (!hasDottedNames && name.includes('.')) hasDottedNames = true;
    const list = spellings.get(name);
    if (list) list.push(key);
    else spellings.set(name, [key]);
  }
  const shape = { keys, spellings, hasDottedNames };
  if (shapeCount < SHAPE_LIMIT) {
    shapeCount++;
    if (known) known.push(shape);
    else shapes.set(bucket, [shape]);
  }
  return shape;
}

export class FieldReader {
  private readonly shape: Shape;
  /** JSON-text columns already parsed (adapters often ask for the same object twice). */
  private parsed: Map<string, unknown> | undefined;

  constructor(readonly record: JsonObject) {
    this.shape = shapeOf(record);
  }

  /** A field's value by canonical name. When an export carries both `X_dynamic` and an empty `X_string`, the filled one wins. */
  private value(name: string): unknown {
    const spellings = this.shape.spellings.get(name);
    if (!spellings) return undefined;
    let value = this.record[spellings[0]!];
    for (let i = 1; i < spellings.length; i++) if (value === undefined || value === null || value === '') value = this.record[spellings[i]!];
    return value;
  }

  has(name: string): boolean {
    return this.shape.spellings.has(canonicalFieldName(name));
  }

  /** A field's value by the first of its names that holds one; text comes cleaned (`cleanFieldText`). */
  get(...names: string[]): unknown {
    for (const name of names) {
      const value = this.value(canonicalFieldName(name));
      if (value !== undefined && value !== null && value !== '') return typeof value === 'string' ? cleanFieldText(name, value) : value;
    }
    return undefined;
  }

  /** As `get`, but text exactly as the file holds it: JSON columns are parsed whole, never cut. */
  private getUncleaned(name: string): unknown {
    const value = this.value(canonicalFieldName(name));
    return value === undefined || value === null || value === '' ? undefined : value;
  }

  string(...names: string[]): string | undefined {
    const value = this.get(...names);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    return undefined;
  }

  boolean(...names: string[]): boolean | undefined {
    const value = this.get(...names);
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const lower = value.toLowerCase();
      if (lower === 'true') return true;
      if (lower === 'false') return false;
    }
    return undefined;
  }

  /** An object field, also when an exporter wrote it as a JSON string (Log Analytics dynamic columns). */
  object(...names: string[]): FieldReader | undefined {
    for (const name of names) {
      const value = this.parsedJson(name, '{');
      if (isObject(value)) return new FieldReader(value);
      const flat = this.shape.hasDottedNames ? this.flattened(name) : undefined;
      if (flat) return new FieldReader(flat);
    }
    return undefined;
  }

  /** Columns a tool CSV flattened out of one object (`Location.City`, `Status.ErrorCode`), gathered back. */
  private flattened(name: string): JsonObject | undefined {
    const prefix = `${canonicalFieldName(name)}.`;
    let out: JsonObject | undefined;
    for (const key of this.shape.spellings.keys()) {
      if (!key.startsWith(prefix)) continue;
      const value = this.value(key);
      if (value === undefined || value === null || value === '') continue;
      (out ??= {})[key.slice(prefix.length)] = value;
    }
    return out;
  }

  /** An array field, also when written as a JSON string. */
  array(...names: string[]): unknown[] | undefined {
    for (const name of names) {
      const value = this.parsedJson(name, '[');
      if (Array.isArray(value)) return value;
    }
    return undefined;
  }

  private parsedJson(name: string, opener: '{' | '['): unknown {
    const value = this.getUncleaned(name);
    if (typeof value !== 'string') return value;
    const key = `${opener}${canonicalFieldName(name)}`;
    this.parsed ??= new Map();
    if (this.parsed.has(key)) return this.parsed.get(key);
    const result = parseJsonText(value, opener);
    this.parsed.set(key, result);
    return result;
  }

  /** The canonical names of every field present: what detectors look at. */
  names(): Set<string> {
    return new Set(this.shape.spellings.keys());
  }
}

/** Values that exporters serialise as JSON text are parsed back; anything else is returned as it is. */
function parseJsonText(value: unknown, opener: '{' | '['): unknown {
  if (typeof value !== 'string' || !value.trimStart().startsWith(opener)) return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}
