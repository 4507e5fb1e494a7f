/** Messages between the page and the import worker. Only control messages and counts cross: records never do. */
import type { ImportFileRow } from '../db/schema.ts';

export interface WorkerFile {
  name: string;
  relativePath: string;
  size: number;
  /** Transferred to the worker: the page never holds the file's bytes. */
  stream: ReadableStream<Uint8Array>;
}

export type ToWorker = { type: 'import'; importId: string; files: WorkerFile[] } | { type: 'cancel'; importId: string };

export type FromWorker =
  | { type: 'file-start'; importId: string; index: number }
  | { type: 'progress'; importId: string; index: number; bytes: number; records: number; rejected: number }
  | { type: 'file-done'; importId: string; index: number; files: ImportFileRow[] }
  | { type: 'done'; importId: string; state: 'done' | 'failed' | 'cancelled'; message?: string };
