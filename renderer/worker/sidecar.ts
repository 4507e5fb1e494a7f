/**
 * Work the import worker hands to a worker of its own (`sidecar.worker.ts`), so its thread parses while
 * the other core hashes and compresses: the streaming SHA-256 of each imported file, and the compressed
 * raw text of each batch. Where no worker can be started (unit tests under Node), the same work is done
 * in the calling thread.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { encodeRawTexts, packRawBytes, packRawTexts, type PackedRaw } from '../db/raw-pack.ts';
import { fileChunks } from './file-slices.ts';
import { BlockFingerprint } from './fingerprint.ts';

export type ToSidecar =
  | { type: 'update'; job: number; bytes: ArrayBuffer }
  | { type: 'digest'; job: number }
  | { type: 'drop'; job: number }
  /**
   * A batch's raw texts as UTF-8 joined by `\n` (a JSON text never holds one; raw-pack.ts), the first
   * `length` bytes of a transferred buffer: an array of thousands of strings took 26 µs a text to clone on
   * the import thread, and one joined string still put its megabytes on both threads' heaps.
   */
  | { type: 'pack'; job: number; bytes: ArrayBuffer; length: number; count: number }
  /** A whole File, read here: the import thread then neither copies nor hashes its bytes. */
  | { type: 'hash-file'; job: number; file: Blob };
export type FromSidecar =
  | { type: 'digest'; job: number; hex: string }
  | { type: 'file-hashes'; job: number; hashes: FileHashes }
  | { type: 'packed'; job: number; packed: PackedRaw }
  | { type: 'failed'; job: number; reason: string };

/** What the imports ledger records of a file's bytes: its SHA-256 and the block fingerprint that spots a re-import. */
export interface FileHashes {
  sha256: string;
  fingerprint: string;
}

type Hasher = ReturnType<typeof sha256.create>;
export type HashJobs = Map<number, Hasher>;

/** The sidecar's whole logic, kept apart from the worker so it is tested without one. */
export async function handleSidecarMessage(jobs: HashJobs, message: ToSidecar): Promise<FromSidecar | undefined> {
  if (message.type === 'pack') {
    try {
      return { type: 'packed', job: message.job, packed: await packRawBytes(new Uint8Array(message.bytes, 0, message.length), message.count) };
    } catch (error) {
      return { type: 'failed', job: message.job, reason: error instanceof Error ? error.message : String(error) };
    }
  }
  if (message.type === 'hash-file') {
    try {
      const hashes = await hashFile(
        message.file,
        () => jobs.has(message.job),
        (hasher) => jobs.set(message.job, hasher),
      );
      jobs.delete(message.job);
      return hashes ? { type: 'file-hashes', job: message.job, hashes } : { type: 'failed', job: message.job, reason: 'dropped' };
    } catch (error) {
      jobs.delete(message.job);
      return { type: 'failed', job: message.job, reason: error instanceof Error ? error.message : String(error) };
    }
  }
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

/** Reads a file in large slices into both hashes; undefined when `wanted` turns false (the import stopped). */
async function hashFile(file: Blob, wanted: () => boolean, register: (hasher: Hasher) => void): Promise<FileHashes | undefined> {
  const hasher = sha256.create();
  register(hasher);
  const print = new BlockFingerprint();
  for await (const bytes of fileChunks(file)) {
    if (!wanted()) return undefined;
    hasher.update(bytes);
    print.update(bytes);
  }
  return { sha256: bytesToHex(hasher.digest()), fingerprint: await print.digest() };
}

/** Messages below this size are gathered first: fewer, larger posts (a File is read in 8 MiB slices anyway). */
const POST_BYTES = 4 * 1024 * 1024;

let shared: Worker | undefined | null;
let nextJob = 1;
const waiting = new Map<number, { resolve: (reply: FromSidecar) => void; reject: (error: Error) => void }>();

function sidecar(): Worker | undefined {
  if (shared === undefined) {
    try {
      shared = typeof Worker === 'undefined' ? null : new Worker(new URL('./sidecar.worker.ts', import.meta.url), { type: 'module', name: 'sidecar' });
      shared?.addEventListener('message', (event: MessageEvent<FromSidecar>) => {
        waiting.get(event.data.job)?.resolve(event.data);
        waiting.delete(event.data.job);
      });
      // A sidecar that cannot start (or dies) fails the import with a reason instead of leaving it waiting.
      shared?.addEventListener('error', (event) => {
        event.preventDefault();
        for (const { reject } of waiting.values()) reject(new Error(`The import's sidecar worker stopped: ${event.message || 'it could not be started'}`));
        waiting.clear();
      });
    } catch {
      shared = null;
    }
  }
  return shared ?? undefined;
}

function ask(worker: Worker, message: ToSidecar, transfer: Transferable[] = []): Promise<FromSidecar> {
  return new Promise((resolve, reject) => {
    waiting.set(message.job, { resolve, reject });
    worker.postMessage(message, transfer);
  });
}

/** A batch's raw texts, compressed on the sidecar's thread (see raw-pack.ts). */
export async function packRawOffThread(texts: string[]): Promise<PackedRaw> {
  const worker = sidecar();
  if (!worker) return packRawTexts(texts);
  const bytes = encodeRawTexts(texts);
  const reply = await ask(worker, { type: 'pack', job: nextJob++, bytes: bytes.buffer, length: bytes.length, count: texts.length }, [bytes.buffer]);
  if (reply.type === 'failed') throw new Error(reply.reason);
  if (reply.type !== 'packed') throw new Error(`unexpected sidecar reply ${reply.type}`);
  return reply.packed;
}

/**
 * A File's SHA-256 and block fingerprint, read and computed on the sidecar's thread while the import thread
 * parses the same file (a second read of it comes from the OS cache). At a million events, copying and hashing
 * every slice on the import thread took 78 s of its time. `drop` stops it.
 */
export function hashFileOffThread(file: Blob): { hashes: Promise<FileHashes>; drop: () => void } {
  const job = nextJob++;
  const worker = sidecar();
  if (!worker) {
    let wanted = true;
    return {
      hashes: hashFile(
        file,
        () => wanted,
        () => undefined,
      ).then((hashes) => hashes ?? Promise.reject(new Error('dropped'))),
      drop: () => (wanted = false),
    };
  }
  const hashes = ask(worker, { type: 'hash-file', job, file }).then((reply) => {
    if (reply.type === 'failed') throw new Error(reply.reason);
    if (reply.type !== 'file-hashes') throw new Error(`unexpected sidecar reply ${reply.type}`);
    return reply.hashes;
  });
  return { hashes, drop: () => worker.postMessage({ type: 'drop', job } satisfies ToSidecar) };
}

/**
 * One file's SHA-256: `update` with its bytes in order, then `digest` once. The bytes are copied to the
 * sidecar, so the caller may keep using (or transfer) its chunks.
 */
export class OffThreadSha256 {
  private readonly job = nextJob++;
  private readonly worker = sidecar();
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

  async digest(): Promise<string> {
    if (this.local) return bytesToHex(this.local.digest());
    this.post();
    const reply = await ask(this.worker!, { type: 'digest', job: this.job });
    if (reply.type !== 'digest') throw new Error(`unexpected sidecar reply ${reply.type}`);
    return reply.hex;
  }

  /** Forgets a file whose import stopped before its end. */
  drop(): void {
    this.pending = [];
    this.worker?.postMessage({ type: 'drop', job: this.job } satisfies ToSidecar);
  }

  private post(): void {
    if (!this.pending.length) return;
    const bytes = this.pending.length === 1 ? this.pending[0]! : concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const buffer = bytes.buffer as ArrayBuffer;
    this.worker!.postMessage({ type: 'update', job: this.job, bytes: buffer } satisfies ToSidecar, [buffer]);
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
