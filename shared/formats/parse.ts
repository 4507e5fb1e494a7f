import type { NormalizedRecord, SourceProduct } from '../model/records.ts';
import type { FormatAdapter } from './adapter.ts';
import { DecodeError, decodeChunks } from './decode.ts';
import { FieldReader, isObject } from './fields.ts';
import { JsonRecordScanner, JsonStructureError, type JsonShape, type ScanItem } from './json-scan.ts';
import { detectFormat } from './registry.ts';

/** A problem with one record, or with a whole file, located so an analyst can find it. */
export interface RecordError {
  file: string;
  /** 1-based record index in the file. */
  record?: number;
  /** Physical line in the file. */
  line?: number;
  field?: string;
  reason: string;
}

export interface FileSummary {
  file: string;
  format?: string;
  formatLabel?: string;
  source?: SourceProduct;
  container?: JsonShape;
  accepted: number;
  rejected: number;
  /** Accepted records that name no usable identifier: kept, but attributed to no user. */
  unattributed: number;
  bytes: number;
  /** The first errors (capped), each naming file, record or line, field and reason. */
  errors: RecordError[];
  /** Set when the file could not be read to its end: what was read before is kept. */
  fatal?: RecordError;
}

export type ParseEvent =
  | { type: 'format'; format: string; label: string; source: SourceProduct; container: JsonShape }
  | { type: 'batch'; records: NormalizedRecord[]; errors: RecordError[]; bytesRead: number }
  | { type: 'end'; summary: FileSummary };

export interface ParseOptions {
  /** Records per yielded batch. */
  batchSize?: number;
  /** How many errors a summary keeps in full (all are counted). */
  maxErrorsKept?: number;
}

const DETECTION_SAMPLE = 20;

/**
 * Reads one export file: decodes it, finds its records, recognises the format by content and
 * normalizes every record. Total by design: every problem becomes a RecordError in the events,
 * never an exception, and what was read before a fatal problem is still yielded.
 */
export async function* parseExport(
  file: string,
  chunks: AsyncIterable<Uint8Array>,
  options: ParseOptions = {},
): AsyncGenerator<ParseEvent> {
  const batchSize = options.batchSize ?? 2000;
  const maxErrorsKept = options.maxErrorsKept ?? 200;
  const summary: FileSummary = { file, accepted: 0, rejected: 0, unattributed: 0, bytes: 0, errors: [] };
  const counted = countBytes(chunks, (n) => (summary.bytes += n));
  const scanner = new JsonRecordScanner();

  let adapter: FormatAdapter | undefined;
  let pendingSample: { item: ScanItem; parsed?: unknown }[] = [];
  let records: NormalizedRecord[] = [];
  let errors: RecordError[] = [];
  let firstText = true;

  const noteError = (error: RecordError) => {
    summary.rejected++;
    errors.push(error);
    if (summary.errors.length < maxErrorsKept) summary.errors.push(error);
  };

  const accept = (item: ScanItem, parsed: unknown) => {
    if (item.type === 'reject') {
      noteError({ file, record: item.index, line: item.line, reason: item.reason });
      return;
    }
    if (!isObject(parsed)) {
      noteError({ file, record: item.index, line: item.line, reason: 'record is not a JSON object' });
      return;
    }
    const result = adapter!.normalize(new FieldReader(parsed), parsed);
    if (!result.ok) {
      noteError({ file, record: item.index, line: item.line, field: result.field, reason: result.reason });
      return;
    }
    for (const record of [result.record, ...(result.extra ?? [])]) {
      summary.accepted++;
      if (record.identifiers.length === 0) summary.unattributed++;
      records.push(record);
    }
  };

  const parseItem = (item: ScanItem): { item: ScanItem; parsed?: unknown } => {
    if (item.type !== 'record') return { item };
    try {
      return { item, parsed: JSON.parse(item.text) as unknown };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { item: { type: 'reject', index: item.index, line: item.line, reason: `malformed JSON: ${reason}` } };
    }
  };

  /** Chooses the format from the sample; returns a fatal error when nothing matches. */
  const detect = (): RecordError | undefined => {
    const fields = new Set<string>();
    for (const { parsed } of pendingSample) if (isObject(parsed)) for (const name of new FieldReader(parsed).names()) fields.add(name);
    const detection = detectFormat(fields);
    if (!detection.adapter) {
      const closest = detection.closest
        ? `; closest format: ${detection.closest.adapter.label} (${Math.round(detection.closest.score * 100)}% of its fields)`
        : '';
      return { file, reason: `unrecognized export: no known format matches its fields${closest}` };
    }
    adapter = detection.adapter;
    return undefined;
  };

  function* drain(final: boolean): Generator<ParseEvent> {
    if (records.length >= batchSize || (final && (records.length || errors.length)) || errors.length >= batchSize) {
      yield { type: 'batch', records, errors, bytesRead: summary.bytes };
      records = [];
      errors = [];
    }
  }

  try {
    for await (const text of decodeChunks(counted)) {
      if (firstText) {
        const start = text.trimStart();
        if (!start) continue;
        firstText = false;
        if (start[0] !== '[' && start[0] !== '{') {
          summary.fatal = { file, line: 1, reason: `not a JSON export: it starts with "${start.slice(0, 20)}"` };
          break;
        }
      }
      for (const item of scanner.push(text)) {
        if (!adapter) {
          pendingSample.push(parseItem(item));
          if (pendingSample.length < DETECTION_SAMPLE) continue;
          const fatal = detect();
          if (fatal) {
            summary.fatal = fatal;
            break;
          }
          yield formatEvent(adapter!, scanner.shape);
          for (const sample of pendingSample) accept(sample.item, sample.parsed);
          pendingSample = [];
          continue;
        }
        const parsed = parseItem(item);
        accept(parsed.item, parsed.parsed);
        if (records.length >= batchSize) yield* drain(false);
      }
      if (summary.fatal) break;
      yield* drain(false);
    }
    if (!summary.fatal && !firstText) scanner.end();
  } catch (error) {
    summary.fatal = fatalFrom(file, error);
  }
  // Fewer records than a detection sample, or a file cut short: recognise what was read and keep it.
  if (!adapter && pendingSample.length && (!summary.fatal || summary.fatal.line !== undefined)) {
    const structural = summary.fatal;
    const unrecognized = detect();
    if (unrecognized) summary.fatal = structural ?? unrecognized;
    else {
      yield formatEvent(adapter!, scanner.shape);
      for (const sample of pendingSample) accept(sample.item, sample.parsed);
    }
  }
  if (!summary.fatal && firstText) summary.fatal = { file, reason: 'the file is empty' };
  if (!summary.fatal && !adapter) summary.fatal = { file, reason: 'the export holds no records' };
  if (adapter) {
    summary.format = adapter.id;
    summary.formatLabel = adapter.label;
    summary.source = adapter.source;
  }
  if (scanner.shape) summary.container = scanner.shape;
  yield* drain(true);
  yield { type: 'end', summary };
}

function formatEvent(adapter: FormatAdapter, shape: JsonShape | undefined): ParseEvent {
  return { type: 'format', format: adapter.id, label: adapter.label, source: adapter.source, container: shape ?? 'objects' };
}

function fatalFrom(file: string, error: unknown): RecordError {
  if (error instanceof JsonStructureError) return { file, line: error.line, reason: error.message };
  if (error instanceof DecodeError) return { file, reason: error.message };
  return { file, reason: `could not be read: ${error instanceof Error ? error.message : String(error)}` };
}

async function* countBytes(chunks: AsyncIterable<Uint8Array>, add: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    add(chunk.length);
    yield chunk;
  }
}

/** Adapts a web ReadableStream (File.stream(), a transferred stream) to the async iterable parseExport reads. */
export async function* readableChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      if (value) yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Parses a whole in-memory export: for tests and small inputs. */
export async function parseAll(file: string, bytes: Uint8Array, options?: ParseOptions): Promise<{ records: NormalizedRecord[]; summary: FileSummary }> {
  const records: NormalizedRecord[] = [];
  let summary: FileSummary | undefined;
  async function* one() {
    yield bytes;
  }
  for await (const event of parseExport(file, one(), options)) {
    if (event.type === 'batch') records.push(...event.records);
    if (event.type === 'end') summary = event.summary;
  }
  return { records, summary: summary! };
}
