/// <reference lib="webworker" />
/**
 * The import worker: decodes, parses, normalizes and writes every file of an import, so the UI
 * thread only ever sees progress counts (posting records to the page costs it seconds of jank).
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { parseExport, readableChunks } from '../../shared/formats/parse.ts';
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
      const summary = await importFile(importId, index, file, ingestor);
      row.files.push(summary);
      await db.imports.put(row);
      post({ type: 'file-done', importId, index, file: summary });
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

async function importFile(importId: string, index: number, file: WorkerFile, ingestor: Ingestor): Promise<ImportFileRow> {
  const started = performance.now();
  const hasher = sha256.create();
  let records = 0;
  let rejected = 0;
  let batch = 0;
  const totals = { added: 0, updated: 0, unchanged: 0 };
  async function* hashed() {
    for await (const chunk of readableChunks(file.stream)) {
      if (cancelled.has(importId)) return;
      hasher.update(chunk);
      yield chunk;
    }
  }
  const label = file.relativePath || file.name;
  for await (const event of parseExport(label, hashed())) {
    if (event.type === 'batch') {
      if (event.records.length) {
        const outcome = await ingestor.writeBatch(importId, label, ++batch, event.records);
        totals.added += outcome.added;
        totals.updated += outcome.updated;
        totals.unchanged += outcome.unchanged;
      }
      if (event.errors.length) await db.importErrors.bulkAdd(event.errors.map((error) => ({ ...error, importId })));
      records += event.records.length;
      rejected += event.errors.length;
      post({ type: 'progress', importId, index, bytes: event.bytesRead, records, rejected });
    } else if (event.type === 'end') {
      const { errors, ...summary } = event.summary;
      if (cancelled.has(importId)) delete summary.fatal;
      if (summary.fatal) await db.importErrors.add({ ...summary.fatal, importId });
      return {
        ...summary,
        size: file.size,
        sha256: cancelled.has(importId) ? undefined : bytesToHex(hasher.digest()),
        durationMs: Math.round(performance.now() - started),
        errorCount: errors.length + (summary.fatal ? 1 : 0),
        ...totals,
      };
    }
  }
  throw new Error(`parser ended without a summary for ${label}`);
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
