/**
 * The streaming SHA-256 of an imported file, computed in a worker of its own (`hash.worker.ts`) so that the
 * import worker's thread parses while the other core hashes. Where no worker can be started (unit tests
 * under Node), the same digest is computed in the calling thread.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';

export type ToHashWorker = { type: 'update'; job: number; bytes: ArrayBuffer } | { type: 'digest'; job: number } | { type: 'drop'; job: number };
export type FromHashWorker = { type: 'digest'; job: number; hex: string };

type Hasher = ReturnType<typeof sha256.create>;
export type HashJobs = Map<number, Hasher>;

/** The hash worker's whole logic, kept pure so it is tested without a worker. */
export function handleHashMessage(jobs: HashJobs, message: ToHashWorker): FromHashWorker | undefined {
  if (message.type === 'drop') {
    jobs.delete(message.job);
    return undefined;
  }
  let hasher = jobs.get(message.job);
  if (!hasher) {
    hasher = sha256.create();
    jobs.set(message.job, hasher);
  }
  if (message.type === 'update') {
    hasher.update(new Uint8Array(message.bytes));
    return undefined;
  }
  jobs.delete(message.job);
  return { type: 'digest', job: message.job, hex: bytesToHex(hasher.digest()) };
}

/** Messages below this size are gathered first: fewer, larger posts (a File is read in 8 MiB slices anyway). */
const POST_BYTES = 4 * 1024 * 1024;

let shared: Worker | undefined | null;
let nextJob = 1;
const waiting = new Map<number, { resolve: (hex: string) => void; reject: (error: Error) => void }>();

function hashWorker(): Worker | undefined {
  if (shared === undefined) {
    try {
      shared = typeof Worker === 'undefined' ? null : new Worker(new URL('./hash.worker.ts', import.meta.url), { type: 'module', name: 'sha256' });
      shared?.addEventListener('message', (event: MessageEvent<FromHashWorker>) => {
        waiting.get(event.data.job)?.resolve(event.data.hex);
        waiting.delete(event.data.job);
      });
      // A worker that cannot start (or dies) fails the file's import with a reason instead of leaving it waiting.
      shared?.addEventListener('error', (event) => {
        event.preventDefault();
        for (const { reject } of waiting.values()) reject(new Error(`The SHA-256 worker stopped: ${event.message || 'it could not be started'}`));
        waiting.clear();
      });
    } catch {
      shared = null;
    }
  }
  return shared ?? undefined;
}

/**
 * One file's SHA-256: `update` with its bytes in order, then `digest` once. The bytes are copied to the
 * hash worker, so the caller may keep using (or transfer) its chunks.
 */
export class OffThreadSha256 {
  private readonly job = nextJob++;
  private readonly worker = hashWorker();
  private readonly local: Hasher | undefined = this.worker ? undefined : sha256.create();
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;

  update(chunk: Uint8Array): void {
    if (this.local) {
      this.local.update(chunk);
      return;
    }
    this.pending.push(chunk.slice());
    this.pendingBytes += chunk.length;
    if (this.pendingBytes >= POST_BYTES) this.post();
  }

  digest(): Promise<string> {
    if (this.local) return Promise.resolve(bytesToHex(this.local.digest()));
    this.post();
    return new Promise((resolve, reject) => {
      waiting.set(this.job, { resolve, reject });
      this.worker!.postMessage({ type: 'digest', job: this.job } satisfies ToHashWorker);
    });
  }

  /** Forgets a file whose import stopped before its end. */
  drop(): void {
    this.pending = [];
    this.worker?.postMessage({ type: 'drop', job: this.job } satisfies ToHashWorker);
  }

  private post(): void {
    if (!this.pending.length) return;
    const bytes = this.pending.length === 1 ? this.pending[0]! : concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const buffer = bytes.buffer as ArrayBuffer;
    this.worker!.postMessage({ type: 'update', job: this.job, bytes: buffer } satisfies ToHashWorker, [buffer]);
  }
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
