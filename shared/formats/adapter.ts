import type { NormalizedRecord, SourceProduct } from '../model/records.ts';
import type { FieldReader } from './fields.ts';

/** Where a record sits in its file, for error messages an analyst can act on. */
export interface RecordPosition {
  file: string;
  /** 1-based index of the record in the file. */
  record: number;
  /** Physical line where the record starts. */
  line: number;
}

export type NormalizeResult<R extends NormalizedRecord = NormalizedRecord> =
  /**
   * `extra` carries records nested in this one (the alerts inside an XDR incident); `problems` names nested
   * parts that could not be read, each reported as a rejected record at this record's position.
   */
  { ok: true; record: R; extra?: NormalizedRecord[]; problems?: { field: string; reason: string }[] } | { ok: false; field: string; reason: string };

/** One export format: how to recognise it from its fields, and how to read one record of it. */
export interface FormatAdapter<R extends NormalizedRecord = NormalizedRecord> {
  id: string;
  label: string;
  source: SourceProduct;
  /**
   * How well the canonical field names of a file's first records match this format, from 0 (not at all)
   * to 1 (every signature field present). Never looks at the file name.
   */
  detect(fields: ReadonlySet<string>): number;
  normalize(record: FieldReader, raw: unknown): NormalizeResult<R>;
}

/** Fraction of `required` present, zeroed when any `forbidden` field is present. */
export function signatureScore(fields: ReadonlySet<string>, required: readonly string[], forbidden: readonly string[] = []): number {
  for (const name of forbidden) if (fields.has(name)) return 0;
  let hits = 0;
  for (const name of required) if (fields.has(name)) hits++;
  return required.length ? hits / required.length : 0;
}

export function reject(field: string, reason: string): { ok: false; field: string; reason: string } {
  return { ok: false, field, reason };
}
