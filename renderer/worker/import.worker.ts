/// <reference lib="webworker" />
/**
 * The import worker: decodes, parses, normalizes and writes every file of an import, so the UI
 * thread only ever sees progress counts (posting records to the page costs it seconds of jank).
 */
import { parseInput, readableChunks } from '../../shared/formats/parse.ts';
import type { SourceProduct } from '../../shared/model/records.ts';
import { Ingestor, toPending, type BatchBuilder, type PendingRecord } from '../db/ingest.ts';
import { openDatabase, type ImportFileRow, type ImportRow } from '../db/schema.ts';
import type { BaselineBuilder } from '../../shared/score/baseline.ts';
import { loadBaseline, loadScoringInputs, scoringInputsKey, previewPolicies, rescoreWorkspace, saveBaseline, type ScoringInputs } from '../db/scoring.ts';
import { fileChunks } from './file-slices.ts';
import { BlockFingerprint, sampledFingerprint } from './fingerprint.ts';
import { hashFileOffThread, OffThreadSha256, packRawOffThread } from './sidecar.ts';
import { StageClock } from './stages.ts';
import type { FromWorker, ToWorker, WorkerFile } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

/**
 * Records per write transaction. Bigger batches rewrite each activity chunk fewer times; smaller ones hold
 * less memory and lose less to a crash. A batch is prepared in parts of `PREPARE_RECORDS` (identities
 * resolved, events built, raw text sent to compress), so it holds its events rather than its parsed records.
 * Measured at a million events (profile-import, one run each on a shared machine): 20,000 wrote 39,193 chunk
 * rows against 43,634 for batches of ~5,000-9,000, for a worker heap of 1.4-1.7 GB; once chunks were merged a
 * step at a time, 10,000 wrote 46,498 rows with a 477 MiB heap peak and 5,000 wrote 54,388 with 314 MiB, the
 * import taking 212-233 s either way. The row count follows the users active on a batch's days far more
 * than its size, so the smaller batch, with room under the 512 MB heap target, is kept.
 */
export const WRITE_BATCH_RECORDS = 5_000;
/** Parsed records waiting to be prepared into the batch being built (their parsed objects are the bulk of them). */
export const PREPARE_RECORDS = 1_000;

const db = openDatabase();
const cancelled = new Set<string>();
const reopened = new Map<string, (stream: ReadableStream<Uint8Array>) => void>();

function post(message: FromWorker): void {
  self.postMessage(message);
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'cancel') cancelled.add(message.importId);
  else if (message.type === 'rescore') void rescore();
  else if (message.type === 'policy-preview') void preview(message.requestId, message.draft);
  else if (message.type === 'stream') {
    const key = `${message.importId}:${message.index}`;
    reopened.get(key)?.(message.stream);
    reopened.delete(key);
  } else {
    importsRunning++;
    clearTimeout(rescoreTimer);
    void exclusively(() => runImport(message.importId, message.files, message.resumeOf, message.skipSources ?? [], message.debug ?? false)).then((wrote) => {
      importsRunning--;
      if (wrote) pendingRescore = true;
      if (importsRunning === 0 && pendingRescore) scheduleRescore();
    });
  }
};

/**
 * Rescoring is synchronous work of many seconds on a large workspace: started at once after an import, it
 * would hold up the next one in the queue (a re-import of the same folder waited ~10 s behind it). So it
 * runs once imports have stopped arriving for a moment, after the last of them.
 */
const RESCORE_DELAY_MS = 2000;
let importsRunning = 0;
/** Set when an import may have written something: only then are the scores recomputed. */
let pendingRescore = false;
let rescoreTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleRescore(): void {
  clearTimeout(rescoreTimer);
  rescoreTimer = setTimeout(() => {
    rescoreTimer = undefined;
    if (importsRunning === 0) {
      pendingRescore = false;
      void rescore();
    }
  }, RESCORE_DELAY_MS);
}

/**
 * One import writes to the store at a time, across every tab and window of the app: the ingestor keeps
 * what it knows of the store (identity links, which chunks exist) in memory for the whole import.
 */
function exclusively<T>(task: () => Promise<T>): Promise<T> {
  const locks = (self.navigator as Navigator | undefined)?.locks;
  return locks ? locks.request('sightline-import', task) : task();
}

function reopen(importId: string, index: number): Promise<ReadableStream<Uint8Array>> {
  return new Promise((resolve) => {
    reopened.set(`${importId}:${index}`, resolve);
    post({ type: 'reopen', importId, index });
  });
}

/** The bytes of a file: read from its File when the page had one, else from the stream it transferred. */
async function* bytesOf(file: WorkerFile, stream: ReadableStream<Uint8Array> | undefined): AsyncGenerator<Uint8Array> {
  if (file.file) yield* fileChunks(file.file);
  else if (stream) yield* readableChunks(stream);
}

interface ImportContext {
  importId: string;
  ingestor: () => Promise<Ingestor>;
  /** Earlier imports of a file, by label and size: how a re-import is recognised before parsing. */
  previous: Map<string, { row: ImportFileRow; importedAt: number }>;
  /** For a resumed import: how many records of each export the interrupted one committed. */
  committed: Map<string, number>;
  /** Products the analyst turned off in Settings: their files are recognised and skipped. */
  skipSources: SourceProduct[];
  /** The sampled fingerprint of the file at an index, when an earlier import vouches for its name, size and time. */
  sampled: (index: number) => Promise<string> | undefined;
  clock: StageClock;
}

/** Imports the files; resolves whether it may have written records (a file was parsed), which calls for a rescoring. */
async function runImport(importId: string, files: WorkerFile[], resumeOf: string | undefined, skipSources: SourceProduct[], debug: boolean): Promise<boolean> {
  const importStarted = performance.now();
  const row: ImportRow = { id: importId, startedAt: Date.now(), state: 'running', by: 'analyst', files: [] };
  let builder: BaselineBuilder | undefined;
  let outcome: FromWorker & { type: 'done' };
  try {
    await db.imports.put(row);
    const clock = new StageClock();
    /**
     * Opened when the first file needs parsing: it reads every identity link and chunk key, and the scoring
     * baseline, which at a million events takes seconds that a re-import of unchanged files must not pay.
     */
    let opened: Promise<Ingestor> | undefined;
    const openIngestor = async (): Promise<Ingestor> => {
      // What scoring read is about to change; it is also the worker's largest cache.
      inputs = undefined;
      const ingestor = await Ingestor.open(db);
      ingestor.packRaw = packRawOffThread;
      ingestor.clock = clock;
      // The scoring baseline follows every committed batch; it is stored before the import reports done.
      const baseline = await loadBaseline(db);
      builder = baseline;
      ingestor.onCommit = ({ attributed, merges }) => {
        for (const { from, into } of merges) baseline.mergeUsers(from, into);
        baseline.add(attributed);
        post({ type: 'committed', importId });
      };
      return ingestor;
    };
    const lap = clock.split();
    const previous = await previousImports(importId);
    lap('ledger: earlier imports read');
    const context: ImportContext = {
      importId,
      ingestor: () => (opened ??= openIngestor()),
      previous,
      sampled: sampledAhead(files, previous),
      committed: resumeOf ? await committedRecords(resumeOf) : new Map(),
      skipSources,
      clock,
    };
    for (const [index, file] of files.entries()) {
      if (cancelled.has(importId)) break;
      post({ type: 'file-start', importId, index });
      const summaries = await importFile(context, index, file);
      lap('files');
      row.files.push(...summaries);
      // Each write of the ledger waits for the disk (durable commits): a file that wrote nothing waits for the next one.
      if (summaries.some((summary) => summary.unchangedSince === undefined)) await db.imports.put(row);
      lap('ledger: file rows written');
      post({ type: 'file-done', importId, index, files: summaries });
    }
    row.state = cancelled.has(importId) ? 'cancelled' : 'done';
    row.finishedAt = Date.now();
    await db.imports.put(row);
    if (resumeOf && row.state === 'done') await db.imports.update(resumeOf, { state: 'resumed', resumedBy: importId });
    outcome = { type: 'done', importId, state: row.state };
    if (debug) console.info(`[import ${importId}] ${Math.round(performance.now() - importStarted)} ms`, JSON.stringify(clock.report(), null, 1));
  } catch (error) {
    const message = describeStorageError(error, row);
    row.state = 'failed';
    row.finishedAt = Date.now();
    row.message = message;
    await db.imports.put(row).catch(() => undefined);
    outcome = { type: 'done', importId, state: 'failed', message };
  } finally {
    cancelled.delete(importId);
  }
  // Whatever committed is in the baseline; saved before "done", so the next import starts from it.
  if (builder) await saveBaseline(db, builder).catch(() => undefined);
  post(outcome);
  return builder !== undefined;
}

/**
 * What scoring reads, kept between a rescoring and the policy previews that follow it: a slider moved
 * ten times must not stream the activity log ten times. Any import drops it.
 */
let inputs: { key: string; loaded: Promise<ScoringInputs> } | undefined;
async function scoringInputs(): Promise<ScoringInputs> {
  // The page can change the store too (a retention purge, clearing the workspace): the row counts say so.
  const key = await scoringInputsKey(db);
  if (inputs?.key !== key) {
    const loaded = loadScoringInputs(db);
    inputs = { key, loaded };
    loaded.catch(() => (inputs = undefined));
  }
  return inputs.loaded;
}

async function preview(requestId: number, draft: Parameters<typeof previewPolicies>[1]): Promise<void> {
  try {
    post({ type: 'policy-preview', requestId, preview: await previewPolicies(db, draft, await scoringInputs()) });
  } catch (error) {
    post({ type: 'policy-preview', requestId, message: error instanceof Error ? error.message : String(error) });
  }
}

/** Recomputes every score; a failure is reported, never thrown (the import itself succeeded). */
async function rescore(): Promise<void> {
  post({ type: 'scoring' });
  try {
    const run = await rescoreWorkspace(db, await scoringInputs());
    post({ type: 'scored', ms: run.ms, users: run.users });
  } catch (error) {
    post({ type: 'scored', ms: 0, users: 0, message: `Scoring failed: ${error instanceof Error ? error.message : String(error)}` });
  }
}

/** How an earlier import of a file is found: by its name (with its folder path) and size. */
function ledgerKey(label: string, size: number): string {
  return `${label}\u0001${size}`;
}

async function previousImports(currentId: string): Promise<ImportContext['previous']> {
  const previous: ImportContext['previous'] = new Map();
  for (const done of await db.imports.orderBy('startedAt').toArray()) {
    if (done.id === currentId || done.state !== 'done') continue;
    for (const file of done.files)
      if (file.fingerprint && !file.fatal) previous.set(ledgerKey(file.file, file.size), { row: file, importedAt: file.unchangedSince ?? done.startedAt });
  }
  return previous;
}

/** Files whose sampled fingerprints are read ahead of the one being checked: each is ~3 MiB in 18 small reads. */
const SAMPLE_AHEAD = 4;

/**
 * The sampled fingerprints of files that may be unchanged, each started a few files ahead: the reads wait on
 * the disk, not the CPU, so checking files side by side took a re-import of 14 files from ~0.94 s to ~0.3 s.
 * Bounded, so a folder of a thousand files never holds more than a few samples.
 */
function sampledAhead(files: WorkerFile[], previous: ImportContext['previous']): ImportContext['sampled'] {
  const started = new Map<number, Promise<string>>();
  const start = (index: number) => {
    const file = files[index];
    const earlier = file && previous.get(ledgerKey(file.relativePath || file.name, file.size));
    if (!file?.file || !earlier?.row.sampled || earlier.row.lastModified !== file.file.lastModified || started.has(index)) return;
    const sampling = sampledFingerprint(file.file);
    sampling.catch(() => undefined);
    started.set(index, sampling);
  };
  return (index) => {
    for (let ahead = index; ahead <= index + SAMPLE_AHEAD; ahead++) start(ahead);
    const sampling = started.get(index);
    started.delete(index);
    return sampling;
  };
}

/**
 * How many records of each export an interrupted import committed: batches commit in order, so that many
 * from its start. Counted in records, not batches, so a resume is right whatever the batch size was.
 */
async function committedRecords(importId: string): Promise<Map<string, number>> {
  const committed = new Map<string, number>();
  await db.journal
    .where('importId')
    .equals(importId)
    .each((entry) => committed.set(entry.file, (committed.get(entry.file) ?? 0) + entry.records));
  return committed;
}

/** Imports one input (an export, or an archive of them); returns one row per export read. */
async function importFile(context: ImportContext, index: number, file: WorkerFile): Promise<ImportFileRow[]> {
  const { importId } = context;
  const label = file.relativePath || file.name;
  const started = performance.now();
  let stream = file.stream;

  // The same name and size as a file imported before: compare contents before parsing anything.
  const earlier = context.previous.get(ledgerKey(label, file.size));
  const unchanged = (): ImportFileRow[] => {
    const { row } = earlier!;
    return [
      {
        ...row,
        added: 0,
        updated: 0,
        unchanged: row.accepted,
        rejected: row.rejected,
        errorCount: 0,
        durationMs: Math.round(performance.now() - started),
        unchangedSince: earlier!.importedAt,
      },
    ];
  };
  // Also the same modification time: a sample of about 3 MiB decides, instead of reading every byte. Any
  // difference (a copy has a new time, an edit a new time or size) falls back to the full fingerprint.
  const sampling = context.sampled(index);
  if (earlier?.row.sampled && sampling) {
    const sampled = await sampling;
    context.clock.add('unchanged: sampled fingerprints', performance.now() - started);
    if (sampled === earlier.row.sampled) {
      post({ type: 'progress', importId, index, bytes: file.size, records: 0, rejected: 0 });
      return unchanged();
    }
  }
  if (earlier) {
    const print = new BlockFingerprint();
    let bytes = 0;
    for await (const chunk of bytesOf(file, stream)) {
      if (cancelled.has(importId)) return [];
      print.update(chunk);
      bytes += chunk.length;
    }
    post({ type: 'progress', importId, index, bytes, records: 0, rejected: 0 });
    if ((await print.digest()) === earlier.row.fingerprint) {
      // Recognised by every byte: remember this modification time, so the next check reads only samples.
      const [row] = unchanged();
      if (file.file) {
        row!.lastModified = file.file.lastModified;
        row!.sampled = await sampledFingerprint(file.file);
      }
      return [row!];
    }
    // A File can simply be read again; a transferred stream is spent, so the page is asked for another.
    if (!file.file) stream = await reopen(importId, index);
  }
  return parseAndWrite(context, index, file, label, stream);
}

async function parseAndWrite(
  context: ImportContext,
  index: number,
  file: WorkerFile,
  label: string,
  stream: ReadableStream<Uint8Array> | undefined,
): Promise<ImportFileRow[]> {
  const { importId } = context;
  const ingestor = await context.ingestor();
  let started = performance.now();
  // A File is hashed by the sidecar, which reads it itself; a stream's bytes can be read once only, so they are hashed as they pass.
  const offThread = file.file ? hashFileOffThread(file.file) : undefined;
  offThread?.hashes.catch(() => undefined);
  const hasher = offThread ? undefined : new OffThreadSha256();
  const print = offThread ? undefined : new BlockFingerprint();
  let records = 0;
  let rejected = 0;
  let totals = { added: 0, updated: 0, unchanged: 0 };
  let inputBytes = 0;
  const rows: ImportFileRow[] = [];
  const batches = new Map<string, number>();
  /** Records read so far, per export (a resume skips as many as the journal shows committed). */
  const seen = new Map<string, number>();
  let pending: PendingRecord[] = [];
  let building: BatchBuilder | undefined;
  let pendingFile = '';

  const clock = context.clock;
  async function* hashed() {
    let at = performance.now();
    for await (const chunk of bytesOf(file, stream)) {
      const read = performance.now();
      clock.add('read', read - at);
      if (cancelled.has(importId)) return;
      hasher?.update(chunk);
      print?.update(chunk);
      inputBytes += chunk.length;
      clock.add('hash', performance.now() - read);
      yield chunk;
      at = performance.now();
    }
  }

  /**
   * The batch being written while the next one is parsed. IndexedDB does its work in the browser's
   * own thread, so the worker would otherwise sit idle during every commit (about half of an import):
   * parsing the next batch meanwhile overlaps the two. Only one write is in flight, so batches still
   * commit one at a time and in order, and at most two batches are held in memory.
   */
  let writing: Promise<void> | undefined;
  async function settle(): Promise<void> {
    const write = writing;
    writing = undefined;
    if (write) {
      const waited = performance.now();
      await write;
      clock.add('wait for previous write', performance.now() - waited);
    }
  }

  /** Prepares the parsed records into the batch being built, letting their parsed objects go. */
  function prepare(): void {
    if (!pending.length) return;
    if (!building) {
      const batch = (batches.get(pendingFile) ?? 0) + 1;
      batches.set(pendingFile, batch);
      building = ingestor.startBatch(importId, pendingFile, batch);
    }
    building.add(pending);
    pending = [];
  }

  /** Starts writing the batch being built (prepared before the previous batch has committed, so its raw text compresses meanwhile). */
  async function flush(): Promise<void> {
    prepare();
    const builder = building;
    building = undefined;
    if (!builder) return;
    const prepared = builder.finish();
    const counts = totals;
    await settle();
    const writeStarted = performance.now();
    const write = ingestor.commitBatch(prepared).then((outcome) => {
      clock.add('write (total, overlapping parse)', performance.now() - writeStarted);
      counts.added += outcome.added;
      counts.updated += outcome.updated;
      counts.unchanged += outcome.unchanged;
    });
    // Awaited by the next settle(); marked handled now so a failure is not reported twice.
    write.catch(() => undefined);
    writing = write;
  }

  let pulled = performance.now();
  try {
    for await (const event of parseInput(label, hashed(), { skipSources: context.skipSources })) {
      clock.add('parse (with read and hash)', performance.now() - pulled);
      if (event.type === 'batch') {
        if (event.file !== pendingFile) await flush();
        pendingFile = event.file;
        // A resumed import skips the records its predecessor committed.
        const read = seen.get(pendingFile) ?? 0;
        const skip = Math.max(0, Math.min(event.records.length, (context.committed.get(pendingFile) ?? 0) - read));
        seen.set(pendingFile, read + event.records.length);
        totals.unchanged += skip;
        for (let i = skip; i < event.records.length; i++) pending.push(toPending(event.records[i]!));
        if (pending.length >= PREPARE_RECORDS) prepare();
        if ((building?.records ?? 0) >= WRITE_BATCH_RECORDS) await flush();
        if (event.errors.length) await db.importErrors.bulkAdd(event.errors.map((error) => ({ ...error, importId })));
        records += event.records.length;
        rejected += event.errors.length;
        post({ type: 'progress', importId, index, bytes: inputBytes, records, rejected });
      } else if (event.type === 'end') {
        if (event.file === pendingFile) await flush();
        // The file's counts are complete once its last batch has committed.
        await settle();
        const { errors, ...summary } = event.summary;
        if (cancelled.has(importId)) delete summary.fatal;
        if (summary.fatal) await db.importErrors.add({ ...summary.fatal, importId });
        rows.push({
          ...summary,
          size: event.file === label ? file.size : summary.bytes,
          durationMs: Math.round(performance.now() - started),
          errorCount: errors.length + (summary.fatal ? 1 : 0),
          ...totals,
        });
        started = performance.now();
        totals = { added: 0, updated: 0, unchanged: 0 };
      }
      pulled = performance.now();
    }
    await flush();
    await settle();
  } catch (error) {
    hasher?.drop();
    offThread?.drop();
    throw error;
  } finally {
    // Leaving early (an error): whatever is still being written ends before the import is marked failed.
    await writing?.catch(() => undefined);
  }
  // The hash is of the input's bytes as they arrived: the archive itself, for archives.
  if (!cancelled.has(importId) && rows.length) {
    const hashes = offThread ? await offThread.hashes : { sha256: await hasher!.digest(), fingerprint: await print!.digest() };
    rows[0]!.sha256 = hashes.sha256;
    rows[0]!.fingerprint = hashes.fingerprint;
    if (file.file) {
      rows[0]!.lastModified = file.file.lastModified;
      rows[0]!.sampled = await sampledFingerprint(file.file);
    }
  } else {
    hasher?.drop();
    offThread?.drop();
  }
  return rows;
}

/** Chromium reports a full disk as an AbortError whose inner error is QuotaExceededError. */
function describeStorageError(error: unknown, row: ImportRow): string {
  const inner = (error as { inner?: { name?: string } } | undefined)?.inner;
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'QuotaExceededError' || inner?.name === 'QuotaExceededError') {
    const saved = row.files.reduce((sum, file) => sum + file.added + file.updated + file.unchanged, 0);
    return `Storage full after ${saved.toLocaleString('en-US')} records: nothing from the failed batch was saved. Free space and resume.`;
  }
  return error instanceof Error ? error.message : String(error);
}
