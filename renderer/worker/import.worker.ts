/// <reference lib="webworker" />
/**
 * The import worker: decodes, parses, normalizes and writes every file of an import, so the UI
 * thread only ever sees progress counts (posting records to the page costs it seconds of jank).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { parseInput, readableChunks } from '../../shared/formats/parse.ts';
import { Ingestor } from '../db/ingest.ts';
import { openDatabase, type ImportFileRow, type ImportRow } from '../db/schema.ts';
import type { FromWorker, ToWorker, WorkerFile } from './protocol.ts';

declare const self: DedicatedWorkerGlobalScope;

const db = openDatabase();
const cancelled = new Set<string>();

function post(message: FromWorker): void {
  self.postMessage(message);
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'cancel') cancelled.add(message.importId);
  else void runImport(message.importId, message.files);
};

async function runImport(importId: string, files: WorkerFile[]): Promise<void> {
  const row: ImportRow = { id: importId, startedAt: Date.now(), state: 'running', by: 'analyst', files: [] };
  try {
    await db.imports.put(row);
    const ingestor = await Ingestor.open(db);
    for (const [index, file] of files.entries()) {
      if (cancelled.has(importId)) break;
      post({ type: 'file-start', importId, index });
      const summaries = await importFile(importId, index, file, ingestor);
      row.files.push(...summaries);
      await db.imports.put(row);
      post({ type: 'file-done', importId, index, files: summaries });
    }
    row.state = cancelled.has(importId) ? 'cancelled' : 'done';
    row.finishedAt = Date.now();
    await db.imports.put(row);
    post({ type: 'done', importId, state: row.state });
  } catch (error) {
    const message = describeStorageError(error);
    row.state = 'failed';
    row.finishedAt = Date.now();
    await db.imports.put(row).catch(() => undefined);
    post({ type: 'done', importId, state: 'failed', message });
  } finally {
    cancelled.delete(importId);
  }
}

/** Imports one input (an export, or an archive of them); returns one row per export read. */
async function importFile(importId: string, index: number, file: WorkerFile, ingestor: Ingestor): Promise<ImportFileRow[]> {
  let started = performance.now();
  const hasher = sha256.create();
  let records = 0;
  let rejected = 0;
  let batch = 0;
  let totals = { added: 0, updated: 0, unchanged: 0 };
  let inputBytes = 0;
  const rows: ImportFileRow[] = [];
  async function* hashed() {
    for await (const chunk of readableChunks(file.stream)) {
      if (cancelled.has(importId)) return;
      hasher.update(chunk);
      inputBytes += chunk.length;
      yield chunk;
    }
  }
  const label = file.relativePath || file.name;
  for await (const event of parseInput(label, hashed())) {
    if (event.type === 'batch') {
      if (event.records.length) {
        const outcome = await ingestor.writeBatch(importId, event.file, ++batch, event.records);
        totals.added += outcome.added;
        totals.updated += outcome.updated;
        totals.unchanged += outcome.unchanged;
      }
      if (event.errors.length) await db.importErrors.bulkAdd(event.errors.map((error) => ({ ...error, importId })));
      records += event.records.length;
      rejected += event.errors.length;
      post({ type: 'progress', importId, index, bytes: inputBytes, records, rejected });
    } else if (event.type === 'end') {
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
  }
  // The hash is of the input's bytes as they arrived: the archive itself, for archives.
  if (!cancelled.has(importId) && rows.length) rows[0]!.sha256 = bytesToHex(hasher.digest());
  return rows;
}

/** Chromium reports a full disk as an AbortError whose inner error is QuotaExceededError. */
function describeStorageError(error: unknown): string {
  const inner = (error as { inner?: { name?: string } } | undefined)?.inner;
  const name = (error as { name?: string } | undefined)?.name;
  if (name === 'QuotaExceededError' || inner?.name === 'QuotaExceededError') {
    return 'Storage is full: nothing from the failed batch was saved. Free space and import again.';
  }
  return error instanceof Error ? error.message : String(error);
}
