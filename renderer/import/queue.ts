/**
 * The import queue: one import runs at a time in the worker; later drops wait their turn.
 * UI state only (progress of running and queued imports); results live in the store.
 */
import { create } from 'zustand';
import type { PickedFile } from '../../shared/ipc.ts';
import { streamPickedFile } from '../api/bridge.ts';
import { fileForToken } from '../api/web-bridge.ts';
import type { ImportFileRow } from '../db/schema.ts';
import type { PolicyPreview } from '../db/scoring.ts';
import type { PolicySettings } from '../../shared/score/policies.ts';
import { skippedSourceProducts } from '../settings/sources.ts';
import type { FromWorker, ToWorker, WorkerFile } from '../worker/protocol.ts';
import { dataChangeNotifier } from './data-changes.ts';

export interface ImportSource {
  name: string;
  relativePath: string;
  size: number;
  /** The browser File behind this source, when there is one: the worker then reads it directly. */
  file?: File;
  open(): ReadableStream<Uint8Array>;
}

export interface FileProgress {
  name: string;
  size: number;
  bytes: number;
  records: number;
  rejected: number;
  startedAt?: number;
  /** Time spent on this file so far, as of the latest progress message. */
  elapsedMs: number;
  state: 'queued' | 'reading' | 'done';
  results?: ImportFileRow[];
}

export interface ImportJob {
  id: string;
  label: string;
  state: 'queued' | 'running' | 'done' | 'failed' | 'cancelled';
  files: FileProgress[];
  message?: string;
}

interface ImportQueueState {
  jobs: readonly ImportJob[];
  /** The rescoring running now, or the last one the worker reported in this session. */
  scoring?: { running: boolean; ms?: number; users?: number; at?: number; message?: string };
  /** Bumped whenever an import commits data, so views re-query. */
  dataVersion: number;
}

export const useImportQueue = create<ImportQueueState>(() => ({ jobs: [], dataVersion: 0 }));

/** Views re-query on a commit, coalesced while an import runs (data-changes.ts). */
const dataChanges = dataChangeNotifier(() => useImportQueue.setState((state) => ({ dataVersion: state.dataVersion + 1 })));

const sources = new Map<string, ImportSource[]>();
/** Imports that resume an interrupted one: its committed batches are not written again. */
const resumes = new Map<string, string>();
let worker: Worker | undefined;

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../worker/import.worker.ts', import.meta.url), { type: 'module', name: 'import' });
    worker.onmessage = (event: MessageEvent<FromWorker>) => onWorkerMessage(event.data);
  }
  return worker;
}

function updateJob(id: string, change: (job: ImportJob) => ImportJob): void {
  useImportQueue.setState((state) => ({ jobs: state.jobs.map((job) => (job.id === id ? change(job) : job)) }));
}

function updateFile(id: string, index: number, change: Partial<FileProgress>): void {
  const now = performance.now();
  updateJob(id, (job) => ({
    ...job,
    files: job.files.map((file, i) => {
      if (i !== index) return file;
      const next = { ...file, ...change };
      return next.startedAt === undefined ? next : { ...next, elapsedMs: now - next.startedAt };
    }),
  }));
}

function onWorkerMessage(message: FromWorker): void {
  switch (message.type) {
    case 'file-start':
      updateFile(message.importId, message.index, { state: 'reading', startedAt: performance.now() });
      break;
    case 'progress':
      updateFile(message.importId, message.index, { bytes: message.bytes, records: message.records, rejected: message.rejected });
      break;
    case 'committed':
      dataChanges.changed();
      break;
    case 'file-done':
      updateFile(message.importId, message.index, { state: 'done', results: message.files, bytes: message.files.reduce((sum, file) => sum + file.bytes, 0) });
      break;
    case 'reopen': {
      // The worker read the file to compare it with an earlier import and found it changed: it needs the bytes again.
      const source = sources.get(message.importId)?.[message.index];
      if (!source) break;
      const stream = source.open();
      const reply: ToWorker = { type: 'stream', importId: message.importId, index: message.index, stream };
      getWorker().postMessage(reply, [stream] as unknown as Transferable[]);
      break;
    }
    case 'scoring':
      useImportQueue.setState((state) => ({ scoring: { ...state.scoring, running: true } }));
      break;
    case 'scored':
      // A failed rescoring leaves the previous scores in place; say so where a developer will see it.
      if (message.message) console.error(message.message);
      useImportQueue.setState((state) => ({
        dataVersion: state.dataVersion + 1,
        scoring: { running: false, ms: message.ms, users: message.users, at: Date.now(), message: message.message },
      }));
      break;
    case 'policy-preview': {
      const pending = previews.get(message.requestId);
      previews.delete(message.requestId);
      if (message.preview) pending?.resolve(message.preview);
      else pending?.reject(new Error(message.message ?? 'The preview failed'));
      break;
    }
    case 'done':
      updateJob(message.importId, (job) => ({ ...job, state: message.state, message: message.message }));
      sources.delete(message.importId);
      resumes.delete(message.importId);
      dataChanges.flush();
      startNext();
      break;
  }
}

function startNext(): void {
  const { jobs } = useImportQueue.getState();
  if (jobs.some((job) => job.state === 'running')) return;
  const next = jobs.find((job) => job.state === 'queued');
  if (!next) return;
  const files: WorkerFile[] = (sources.get(next.id) ?? []).map((source) =>
    source.file
      ? { name: source.name, relativePath: source.relativePath, size: source.size, file: source.file }
      : { name: source.name, relativePath: source.relativePath, size: source.size, stream: source.open() },
  );
  updateJob(next.id, (job) => ({ ...job, state: 'running' }));
  const message: ToWorker = {
    type: 'import',
    importId: next.id,
    files,
    resumeOf: resumes.get(next.id),
    skipSources: skippedSourceProducts(),
    debug: debugImports(),
  };
  getWorker().postMessage(message, files.flatMap((file) => (file.stream ? [file.stream] : [])) as unknown as Transferable[]);
}

/** Developers ask for the worker's stage timings with `localStorage['sightline:debug-import'] = '1'`. */
function debugImports(): boolean {
  try {
    return Boolean(localStorage.getItem('sightline:debug-import'));
  } catch {
    return false;
  }
}

/** Queues an import of these sources and returns its id; it starts as soon as the worker is free. */
export function enqueueImport(label: string, items: ImportSource[], options: { resumeOf?: string } = {}): string | undefined {
  if (items.length === 0) return undefined;
  const id = `imp-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  sources.set(id, items);
  if (options.resumeOf) resumes.set(id, options.resumeOf);
  const job: ImportJob = {
    id,
    label,
    state: 'queued',
    files: items.map((item) => ({ name: item.relativePath || item.name, size: item.size, bytes: 0, records: 0, rejected: 0, elapsedMs: 0, state: 'queued' })),
  };
  useImportQueue.setState((state) => ({ jobs: [job, ...state.jobs] }));
  startNext();
  return id;
}

/** Recomputes every score from the store: after a policy, local decision or reset changed. */
export function requestRescore(): void {
  const message: ToWorker = { type: 'rescore' };
  getWorker().postMessage(message);
}

const previews = new Map<number, { resolve: (preview: PolicyPreview) => void; reject: (error: Error) => void }>();
let nextPreview = 1;

/**
 * The Policies panel's figures from the worker: what the saved settings hide now, and what the draft
 * would change (alerts, users' scores and ranks). Computed off the UI thread from the scoring inputs.
 */
export function requestPolicyPreview(draft?: PolicySettings): Promise<PolicyPreview> {
  const requestId = nextPreview++;
  return new Promise((resolve, reject) => {
    previews.set(requestId, { resolve, reject });
    const message: ToWorker = { type: 'policy-preview', requestId, draft };
    getWorker().postMessage(message);
  });
}

export function cancelImport(id: string): void {
  const job = useImportQueue.getState().jobs.find((candidate) => candidate.id === id);
  if (!job) return;
  if (job.state === 'queued') {
    sources.delete(id);
    updateJob(id, (current) => ({ ...current, state: 'cancelled' }));
    return;
  }
  const message: ToWorker = { type: 'cancel', importId: id };
  getWorker().postMessage(message);
}

export function sourceFromFile(file: File): ImportSource {
  return { name: file.name, relativePath: file.webkitRelativePath || file.name, size: file.size, file, open: () => file.stream() };
}

export function sourceFromPicked(file: PickedFile): ImportSource {
  return { name: file.name, relativePath: file.relativePath, size: file.size, file: fileForToken(file.token), open: () => streamPickedFile(file) };
}

/** Resolves once no import is queued or running: lets callers (and tests) wait for the store to settle. */
export function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    const check = () => !useImportQueue.getState().jobs.some((job) => job.state === 'queued' || job.state === 'running');
    if (check()) return resolve();
    const unsubscribe = useImportQueue.subscribe(() => {
      if (check()) {
        unsubscribe();
        resolve();
      }
    });
  });
}
