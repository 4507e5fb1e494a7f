/** Messages between the page and the import worker. Only control messages and counts cross: records never do. */
import type { SourceProduct } from '../../shared/model/records.ts';
import type { ImportFileRow } from '../db/schema.ts';
import type { PolicyPreview } from '../db/scoring.ts';
import type { PolicySettings } from '../../shared/score/policies.ts';

export interface WorkerFile {
  name: string;
  relativePath: string;
  size: number;
  /**
   * A browser File, when there is one (the web build's picker and drops): the worker reads it itself in
   * large slices, with no per-chunk hop between threads, and can read it twice.
   */
  file?: File;
  /** Otherwise a stream (the desktop's IPC reads), transferred to the worker: the page never holds the bytes. */
  stream?: ReadableStream<Uint8Array>;
}

export type ToWorker =
  | {
      type: 'import';
      importId: string;
      files: WorkerFile[];
      resumeOf?: string;
      skipSources?: SourceProduct[];
      /** Log where the import's time went (the worker's console): set by `localStorage['sightline:debug-import']`. */
      debug?: boolean;
    }
  | { type: 'cancel'; importId: string }
  /** Scores are recomputed from the store (after a policy, decision or reset changed). */
  | { type: 'rescore' }
  /** The Policies panel's counts, and the what-if of a draft against the saved settings. */
  | { type: 'policy-preview'; requestId: number; draft?: PolicySettings }
  /** The answer to `reopen`: a fresh stream of the same file. */
  | { type: 'stream'; importId: string; index: number; stream: ReadableStream<Uint8Array> };

export type FromWorker =
  | { type: 'file-start'; importId: string; index: number }
  | { type: 'progress'; importId: string; index: number; bytes: number; records: number; rejected: number }
  | { type: 'file-done'; importId: string; index: number; files: ImportFileRow[] }
  /** A batch committed: what the views show may have changed (progress only says what was parsed). */
  | { type: 'committed'; importId: string }
  | { type: 'done'; importId: string; state: 'done' | 'failed' | 'cancelled'; message?: string }
  /** Rescoring started (after an import, or on request). */
  | { type: 'scoring' }
  /** Scores and trends were recomputed and stored. */
  | { type: 'scored'; ms: number; users: number; message?: string }
  | { type: 'policy-preview'; requestId: number; preview?: PolicyPreview; message?: string }
  /** The file was read once to recognise a re-import and turned out new: the worker needs its bytes again. */
  | { type: 'reopen'; importId: string; index: number };
