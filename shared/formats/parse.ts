import { integrationLabels, integrationOf } from '../model/integrations.ts';
import type { NormalizedRecord, SourceProduct } from '../model/records.ts';
import type { FormatAdapter } from './adapter.ts';
import { DecodeError, decodeChunks } from './decode.ts';
import { FieldReader, isObject, takeFieldNotes } from './fields.ts';
import { ArchiveError, openExports } from './containers.ts';
import { CsvRecordScanner, CsvStructureError, csvPreamble, looksLikeCsvHeader, sniffDelimiter } from './csv-scan.ts';
import { malformedJson } from './json-error.ts';
import { JsonRecordScanner, JsonStructureError, type JsonShape } from './json-scan.ts';
import { detectFormat, type Detection } from './registry.ts';
import { isSlashDate, setSlashDateOrder, slashDateEvidence, type SlashDateOrder } from './time.ts';

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
  container?: Container;
  accepted: number;
  rejected: number;
  /** Accepted records that name no usable identifier: kept, but attributed to no user. */
  unattributed: number;
  bytes: number;
  /** The first errors (capped), each naming file, record or line, field and reason. */
  errors: RecordError[];
  /** Set when the file could not be read to its end: what was read before is kept. */
  fatal?: RecordError;
  /** Formats of records that the file's own format could not read but their fields pointed to (mixed files). */
  otherFormats?: string[];
  /** Set when the file is plainly not an export (a README, notes): it was skipped, not failed. */
  skipped?: string;
  /**
   * How the file's slash dates (`03/04/2025`) were read, when it has any: from a date of its own that only
   * reads one way, or month first (.NET's en-US default) when none of its first records told (`dateOrderGuessed`).
   */
  dateOrder?: SlashDateOrder;
  dateOrderGuessed?: true;
  /**
   * Field values the parser cleaned before keeping them (controls and bidirectional overrides removed, unpaired
   * surrogates replaced, overlong text cut: `cleanFieldText`), and the first one, located. The records are kept.
   */
  cleaned?: { values: number; first: RecordError };
}

/** How the records sit in the file. */
export type Container = JsonShape | 'csv';

/** A record found in a file, parsed to a value, or why it could not be. */
type Found = { index: number; line: number } & ({ value: unknown } | { reason: string });

/** Finds records in decoded text, whatever the container. */
interface RecordFinder {
  push(text: string): Found[];
  end(): Found[];
  readonly container: Container | undefined;
}

function jsonFinder(): RecordFinder {
  const scanner = new JsonRecordScanner();
  const toFound = (items: ReturnType<JsonRecordScanner['push']>): Found[] =>
    items.map((item) => {
      if (item.type === 'reject') return { index: item.index, line: item.line, reason: item.reason };
      try {
        return { index: item.index, line: item.line, value: JSON.parse(item.text) as unknown };
      } catch (error) {
        return { index: item.index, ...malformedJson(item, error) };
      }
    });
  return {
    push: (text) => toFound(scanner.push(text)),
    end: () => toFound(scanner.end()),
    get container() {
      return scanner.shape;
    },
  };
}

/** `skip`: characters above the header (a preamble and the blank text before it) in the first text pushed. */
function csvFinder(delimiter: string, skip = 0, linesSkipped = 0): RecordFinder {
  const scanner = new CsvRecordScanner();
  scanner.useDelimiter(delimiter);
  scanner.startAtLine(linesSkipped + 1);
  const toFound = (items: ReturnType<CsvRecordScanner['push']>): Found[] =>
    items.map((item) =>
      item.type === 'reject' ? { index: item.index, line: item.line, reason: item.reason } : { index: item.index, line: item.line, value: item.value },
    );
  const push = (text: string) => {
    // The first text is the head the container was chosen on, so it holds the whole preamble.
    const rest = skip ? text.slice(skip) : text;
    skip = 0;
    return toFound(scanner.push(rest));
  };
  return { push, end: () => toFound(scanner.end()), container: 'csv' };
}

/**
 * Chooses the container from the text read so far: JSON, CSV, or plainly not an export. Undefined while it
 * cannot tell yet: a CSV header (and the preamble line some tools write above it) must be seen whole, however
 * small the chunks, unless the file ends or runs past HEADER_LIMIT without a line break.
 */
function chooseFinder(head: string, final: boolean): RecordFinder | { skipped: string } | undefined {
  const start = head.trimStart();
  if (!start) return undefined;
  if (start[0] === '[' || start[0] === '{') return jsonFinder();
  const preamble = csvPreamble(start);
  const rest = preamble ? start.slice(preamble.length) : start;
  if (!final && head.length < HEADER_LIMIT && !rest.includes('\n')) return undefined;
  const headerLine = rest.split('\n', 1)[0] ?? '';
  if (!looksLikeCsvHeader(headerLine)) {
    const firstLine = start.split('\n', 1)[0] ?? '';
    return { skipped: `not an export: neither JSON nor CSV (it starts with "${firstLine.slice(0, 40)}")` };
  }
  if (!preamble) return csvFinder(sniffDelimiter(headerLine));
  const skip = head.length - start.length + preamble.length;
  return csvFinder(preamble.delimiter ?? sniffDelimiter(headerLine), skip, countLines(head, skip));
}

function countLines(text: string, end: number): number {
  let lines = 0;
  for (let at = text.indexOf('\n'); at >= 0 && at < end; at = text.indexOf('\n', at + 1)) lines++;
  return lines;
}

export type ParseEvent =
  | { type: 'format'; format: string; label: string; source: SourceProduct; container: Container }
  | { type: 'batch'; records: NormalizedRecord[]; errors: RecordError[]; bytesRead: number }
  | { type: 'end'; summary: FileSummary };

export interface ParseOptions {
  /** Records per yielded batch. */
  batchSize?: number;
  /** How many errors a summary keeps in full (all are counted). */
  maxErrorsKept?: number;
  /**
   * Products the analyst disabled in Settings: a file whose recognized format belongs to one of them is
   * reported as skipped (format named, nothing read past detection), so its records never reach the store.
   */
  skipSources?: Iterable<SourceProduct>;
}

/** The `skipped` reason of a file whose source the analyst disabled, naming the switch in Settings. */
export function sourceDisabledReason(source: SourceProduct): string {
  return `source disabled: ${integrationLabels[integrationOf(source)]} is turned off in Settings`;
}

/** Records read (parsed, whatever their fields) before the format is judged. */
const DETECTION_SAMPLE = 20;
/**
 * Records of a file that wait at most for one of its slash dates to tell their order: any date past the 12th of
 * its month does, so a file spanning more than a few days tells it in its first rows; 5,000 held rows cost a few MB.
 */
const DATE_ORDER_RECORDS = 5000;
/**
 * Unreadable records (malformed JSON, ragged rows) held at most while waiting for that sample: a file whose first
 * records are all malformed (Python's `json.dumps` writes `NaN`) is still judged on the good ones after them,
 * but a file of nothing else is judged, and its records reported, without being held whole.
 */
const DETECTION_REJECTS = 200;
/** How much text may pass without a line break before a file that is not JSON is judged on it anyway. */
const HEADER_LIMIT = 64 * 1024;

/**
 * Reads one export file: decodes it, finds its records, recognises the format by content and
 * normalizes every record. Total by design: every problem becomes a RecordError in the events,
 * never an exception, and what was read before a fatal problem is still yielded.
 */
export async function* parseExport(file: string, chunks: AsyncIterable<Uint8Array>, options: ParseOptions = {}): AsyncGenerator<ParseEvent> {
  const batchSize = options.batchSize ?? 2000;
  const maxErrorsKept = options.maxErrorsKept ?? 200;
  const skipSources = new Set(options.skipSources ?? []);
  const summary: FileSummary = { file, accepted: 0, rejected: 0, unattributed: 0, bytes: 0, errors: [] };
  const counted = countBytes(chunks, (n) => (summary.bytes += n));

  let finder: RecordFinder | undefined;
  let adapter: FormatAdapter | undefined;
  /** The file's slash-date order once a date of its own told it; records wait (`datesHeld`) until then. */
  let dateOrder: SlashDateOrder | undefined;
  let slashDatesSeen = false;
  /** Set once the order is known or looking for it stopped: records are then normalized as they come. */
  let dateOrderSettled = false;
  let datesLookedAt = 0;
  let datesHeld: Found[] = [];
  let sample: Found[] = [];
  let records: NormalizedRecord[] = [];
  let errors: RecordError[] = [];
  const otherFormats: string[] = [];

  const noteError = (error: RecordError) => {
    summary.rejected++;
    errors.push(error);
    if (summary.errors.length < maxErrorsKept) summary.errors.push(error);
  };

  const accept = (found: Found) => {
    if ('reason' in found) {
      noteError({ file, record: found.index, line: found.line, reason: found.reason });
      return;
    }
    if (!isObject(found.value)) {
      noteError({ file, record: found.index, line: found.line, reason: 'record is not a JSON object' });
      return;
    }
    const reader = new FieldReader(found.value);
    const order = setSlashDateOrder(dateOrder ?? 'month-first');
    // Values read while detecting the format were not this record's.
    takeFieldNotes();
    try {
      normalize(found, found.value, reader);
    } finally {
      setSlashDateOrder(order);
    }
    const notes = takeFieldNotes();
    if (notes.length) {
      const first = notes[0]!;
      summary.cleaned ??= { values: 0, first: { file, record: found.index, line: found.line, field: first.field, reason: first.reason } };
      summary.cleaned.values += notes.length;
    }
  };

  const normalize = (found: Found, value: object, reader: FieldReader) => {
    let result = adapter!.normalize(reader, value);
    if (!result.ok) {
      // A file can mix formats (an export tool's bundle, a hunting query over several tables): a record the
      // file's format rejects is tried against the format its own fields point to, if that is another one.
      const own = detectFormat(reader.names()).adapter;
      const retry = own && own !== adapter ? own.normalize(reader, value) : undefined;
      if (!retry?.ok) {
        noteError({ file, record: found.index, line: found.line, field: result.field, reason: result.reason });
        return;
      }
      result = retry;
      if (!otherFormats.includes(own!.id)) otherFormats.push(own!.id);
    }
    for (const record of [result.record, ...(result.extra ?? [])]) {
      summary.accepted++;
      if (record.identifiers.length === 0) summary.unattributed++;
      records.push(record);
    }
    for (const problem of result.problems ?? []) noteError({ file, record: found.index, line: found.line, field: problem.field, reason: problem.reason });
  };

  /**
   * Why no format matched: the closest one if records were read; if none could be, the first unreadable one
   * (its record, line and reason), since that, not the fields, is what the analyst has to fix.
   */
  const unrecognized = (closest: Detection['closest']): RecordError => {
    const firstReject = sample.find((found) => 'reason' in found);
    if (firstReject && 'reason' in firstReject && !sample.some((found) => 'value' in found)) {
      const none = sample.length === 1 ? 'its first record could not be read' : `none of its first ${sample.length} records could be read`;
      return {
        file,
        record: firstReject.index,
        line: firstReject.line,
        reason: `unrecognized export: ${none} (record ${firstReject.index}: ${firstReject.reason})`,
      };
    }
    const named = closest ? `; closest format: ${closest.adapter.label} (${Math.round(closest.score * 100)}% of its fields)` : '';
    return { file, reason: `unrecognized export: no known format matches its fields${named}` };
  };

  let unwrapped = false;
  /** Records in the sample that were read, and those that were not (each rejected with its line, format or not). */
  let sampleRead = 0;
  let sampleRejects = 0;
  /**
   * Chooses the format from the sample's readable records (its unreadable ones are rejected after, each with its
   * line, recognised or not); returns the reason when nothing matches.
   */
  const detect = (): RecordError | undefined => {
    const objects = sample.flatMap((found) => ('value' in found && isObject(found.value) ? [found.value] : []));
    const fields = new Set<string>();
    for (const value of objects) for (const name of new FieldReader(value).names()) fields.add(name);
    const detection = detectFormat(fields);
    if (!detection.adapter && objects.length > 1) {
      // Mixed records blur the fields' union: let each record vote for its own format, and take the most common.
      const votes = new Map<FormatAdapter, number>();
      for (const value of objects) {
        const own = detectFormat(new FieldReader(value).names()).adapter;
        if (own) votes.set(own, (votes.get(own) ?? 0) + 1);
      }
      const [winner] = [...votes.entries()].sort((a, b) => b[1] - a[1]);
      if (winner) detection.adapter = winner[0];
    }
    if (!detection.adapter && !unwrapped) {
      // One object whose every value is an object may be a keyed collection of records ({"alert": {…}, "activity": {…}}).
      const only = sample.length === 1 ? sample[0] : undefined;
      const values = only && 'value' in only && isObject(only.value) ? Object.values(only.value) : [];
      if (values.length > 0 && values.every(isObject)) {
        unwrapped = true;
        sample = values.map((value, i) => ({ index: i + 1, line: only!.line, value }));
        return detect();
      }
    }
    if (!detection.adapter) return unrecognized(detection.closest);
    adapter = detection.adapter;
    if (skipSources.has(adapter.source)) summary.skipped = sourceDisabledReason(adapter.source);
    return undefined;
  };

  /** The format was not recognised: the sample's unreadable records are still rejected, each with its line. */
  const rejectSample = () => {
    for (const found of sample) if ('reason' in found) accept(found);
    sample = [];
  };

  /** Normalizes the records held for the date order, in the order they came. */
  const releaseDates = () => {
    dateOrderSettled = true;
    if (slashDatesSeen) summary.dateOrder = dateOrder ?? 'month-first';
    if (slashDatesSeen && !dateOrder) summary.dateOrderGuessed = true;
    const held = datesHeld;
    datesHeld = [];
    for (const item of held) accept(item);
  };

  /**
   * A record of the recognised format, normalized once the file's slash-date order is settled: records wait
   * (`datesHeld`) for a date of the file's own that reads one way only, up to `DATE_ORDER_RECORDS` if it writes
   * slash dates and `DETECTION_SAMPLE` if it shows none, so `05/03/2025` in the first rows of a day-first file is
   * not read as May. Rejects wait in their place too, so errors keep the file's order.
   */
  const admit = (item: Found) => {
    if (dateOrderSettled) {
      accept(item);
      return;
    }
    if ('value' in item && isObject(item.value)) {
      datesLookedAt++;
      for (const value of Object.values(item.value)) {
        if (typeof value !== 'string') continue;
        const evidence = slashDateEvidence(value);
        if (evidence) {
          dateOrder = evidence;
          slashDatesSeen = true;
          break;
        }
        if (!slashDatesSeen && isSlashDate(value)) slashDatesSeen = true;
      }
    }
    datesHeld.push(item);
    if (dateOrder || datesLookedAt >= DATE_ORDER_RECORDS || (!slashDatesSeen && datesLookedAt >= DETECTION_SAMPLE)) releaseDates();
  };

  /** Takes found records: held back until the format is known, then normalized. */
  function* take(found: Found[]): Generator<ParseEvent> {
    for (const item of found) {
      if (adapter) {
        admit(item);
        continue;
      }
      sample.push(item);
      if ('value' in item) sampleRead++;
      else sampleRejects++;
      if (sampleRead < DETECTION_SAMPLE && sampleRejects < DETECTION_REJECTS) continue;
      const failure = detect();
      if (failure) {
        rejectSample();
        summary.fatal = failure;
        return;
      }
      if (summary.skipped) return;
      yield formatEvent(adapter!, finder?.container);
      for (const held of sample) admit(held);
      sample = [];
    }
  }

  function* drain(final: boolean): Generator<ParseEvent> {
    if (records.length >= batchSize || errors.length >= batchSize || (final && (records.length || errors.length))) {
      yield { type: 'batch', records, errors, bytesRead: summary.bytes };
      records = [];
      errors = [];
    }
  }

  /** Text read before the container is known: a CSV header must be seen whole, however small the chunks. */
  let head = '';
  /** The container, once the head shows it (or the file ends); undefined while it cannot tell yet. */
  const choose = (final: boolean) => chooseFinder(head, final);

  try {
    for await (const text of decodeChunks(counted)) {
      let fresh = text;
      if (!finder) {
        head += text;
        const chosen = choose(false);
        if (!chosen) continue;
        if ('skipped' in chosen) {
          summary.skipped = chosen.skipped;
          break;
        }
        finder = chosen;
        fresh = head;
        head = '';
      }
      yield* take(finder.push(fresh));
      if (summary.fatal || summary.skipped) break;
      yield* drain(false);
    }
    if (!finder && !summary.skipped) {
      // A file shorter than one line (a header with no line break): decide on what there is.
      const chosen = choose(true);
      if (chosen && 'skipped' in chosen) summary.skipped = chosen.skipped;
      else if (chosen) {
        finder = chosen;
        yield* take(finder.push(head));
      }
    }
    if (finder && !summary.fatal && !summary.skipped) yield* take(finder.end());
  } catch (error) {
    summary.fatal = fatalFrom(file, error);
  }
  // Fewer records than a detection sample, or a file cut short: recognise what was read and keep it.
  if (!adapter && sample.length && (!summary.fatal || summary.fatal.line !== undefined)) {
    const structural = summary.fatal;
    const failure = detect();
    if (failure) {
      rejectSample();
      summary.fatal = structural ?? failure;
    } else if (!summary.skipped) {
      yield formatEvent(adapter!, finder?.container);
      for (const held of sample) admit(held);
    }
  }
  // The file ended (or stopped) before its dates told their order: what was held is read month first.
  if (!dateOrderSettled) releaseDates();
  if (!summary.fatal && !summary.skipped && !finder) summary.fatal = { file, reason: 'the file is empty' };
  if (!summary.fatal && !summary.skipped && !adapter) summary.fatal = { file, reason: 'the export holds no records' };
  if (adapter) {
    summary.format = adapter.id;
    summary.formatLabel = adapter.label;
    summary.source = adapter.source;
    if (otherFormats.length) summary.otherFormats = otherFormats;
  }
  if (finder?.container) summary.container = finder.container;
  yield* drain(true);
  yield { type: 'end', summary };
}

function formatEvent(adapter: FormatAdapter, container: Container | undefined): ParseEvent {
  return { type: 'format', format: adapter.id, label: adapter.label, source: adapter.source, container: container ?? 'objects' };
}

function fatalFrom(file: string, error: unknown): RecordError {
  if (error instanceof JsonStructureError || error instanceof CsvStructureError) return { file, line: error.line, reason: error.message };
  if (error instanceof DecodeError) return { file, line: error.line, reason: error.message };
  if (error instanceof ArchiveError) return { file, reason: error.message };
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

/**
 * Parses an input that may be an archive: every export inside it (or the input itself) in turn.
 * Events carry the name of the export they belong to; an archive that cannot be opened at all ends
 * with one summary that says why.
 */
export async function* parseInput(name: string, chunks: AsyncIterable<Uint8Array>, options: ParseOptions = {}): AsyncGenerator<ParseEvent & { file: string }> {
  try {
    for await (const inner of openExports(name, chunks)) {
      if (inner.refused || inner.skipped) {
        const summary: FileSummary = { file: inner.name, accepted: 0, rejected: 0, unattributed: 0, bytes: 0, errors: [] };
        if (inner.refused) summary.fatal = { file: inner.name, reason: inner.refused };
        else summary.skipped = inner.skipped;
        yield { type: 'end', summary, file: inner.name };
        continue;
      }
      for await (const event of parseExport(inner.name, inner.chunks, options)) yield { ...event, file: inner.name };
    }
  } catch (error) {
    const summary: FileSummary = { file: name, accepted: 0, rejected: 0, unattributed: 0, bytes: 0, errors: [], fatal: fatalFrom(name, error) };
    yield { type: 'end', summary, file: name };
  }
}
