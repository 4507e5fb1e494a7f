/**
 * Keeps watched folders in sync with the workspace. Main never parses: it decides which files are new or
 * changed and complete, registers them in the FileRegistry and hands the renderer tokens, which it imports
 * through the same queue as a manual import. A file counts as seen only once the renderer reports that its
 * import ended (recordSync), so a crash or a closed window before then means it is offered again, and the
 * store's idempotent import makes that harmless.
 */
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { PickedFile, SyncResult, WatchDelivery, WatchedFolder } from '../../shared/ipc.ts';
import { IpcFailure } from '../errors.ts';
import { listFolderFiles } from '../files.ts';
import type { FileRegistry } from '../files.ts';
import type { SeenFile, StoredFolder, WatchStore } from './store.ts';
import { watchFolder } from './watcher.ts';
import type { FolderWatchHandlers, FolderWatcher } from './watcher.ts';

export interface WatchServiceOptions {
  store: WatchStore;
  registry: FileRegistry;
  /** Sends files the watcher found to the renderer (main → renderer `watch:folder-changed`). */
  deliver(delivery: WatchDelivery): void;
  /**
   * A file is complete once it has not been modified for this long. Export jobs write in bursts; two seconds
   * of quiet is far longer than a gap between writes and short enough that new data shows up promptly.
   */
  quietMs?: number;
  /** Files found within this long of each other are delivered as one import. */
  batchMs?: number;
  now?: () => number;
  watch?: (root: string, handlers: FolderWatchHandlers) => FolderWatcher;
}

interface Pending {
  folderId: string;
  relativePath: string;
  seen: SeenFile;
}

/** 'touched': same bytes as seen, under a new mtime (remembered, so the store needs saving). */
type Examined = { kind: 'deliver'; file: PickedFile } | { kind: 'seen' | 'touched' | 'pending' | 'unsettled' | 'gone' };

async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function relativeOf(root: string, absolute: string): string {
  return path.relative(root, absolute).split(path.sep).join('/');
}

export class WatchService {
  private readonly quietMs: number;
  private readonly batchMs: number;
  private readonly now: () => number;
  private readonly watchers = new Map<string, FolderWatcher>();
  private readonly problems = new Map<string, string>();
  /** Delivered files not yet acknowledged, by token. */
  private readonly pending = new Map<string, Pending>();
  /** Files the watcher found, waiting for the batch window to close, by folder. */
  private readonly outbox = new Map<string, PickedFile[]>();
  private readonly batchTimers = new Map<string, NodeJS.Timeout>();
  /** Files modified too recently to be complete, looked at again once quiet, by folder id + relative path. */
  private readonly rechecks = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: WatchServiceOptions) {
    this.quietMs = options.quietMs ?? 2000;
    this.batchMs = options.batchMs ?? 500;
    this.now = options.now ?? Date.now;
  }

  /** Starts watching every stored folder; files already there wait for the renderer's re-scan. */
  start(): void {
    for (const folder of this.options.store.folders()) this.startWatching(folder);
  }

  list(): WatchedFolder[] {
    return this.options.store.folders().map((folder) => this.describe(folder));
  }

  async add(folderPath: string): Promise<{ folder: WatchedFolder; delivery: WatchDelivery }> {
    const stat = await fs.stat(folderPath).catch(() => undefined);
    if (!stat?.isDirectory()) throw new IpcFailure('not-found', 'That folder cannot be read');
    const folder = this.options.store.add(folderPath, this.now());
    await this.options.store.save();
    this.startWatching(folder);
    // Watch first, then list, so nothing written meanwhile falls between the two; a file both see while it is
    // still being written shares one re-check timer and is delivered once.
    await this.watchers.get(folder.id)?.ready;
    const delivery = await this.rescan(folder.id);
    return { folder: this.describe(folder), delivery };
  }

  async remove(folderId: string): Promise<void> {
    await this.stopWatching(folderId);
    for (const [token, pending] of this.pending) {
      if (pending.folderId !== folderId) continue;
      this.pending.delete(token);
      this.options.registry.release(token);
    }
    if (!this.options.store.remove(folderId)) throw new IpcFailure('not-found', 'That folder is not watched');
    await this.options.store.save();
  }

  /**
   * Every file of the folder that is new or changed since the last acknowledged sync and is complete. Files
   * still being written are looked at again once quiet and arrive through `deliver`.
   */
  async rescan(folderId: string): Promise<WatchDelivery> {
    const folder = this.folder(folderId);
    let listing;
    try {
      listing = await listFolderFiles(folder.path);
    } catch (error) {
      this.problems.set(folder.id, `The folder cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'}`);
      throw new IpcFailure('not-found', `${path.basename(folder.path)} cannot be read now; what it brought is kept`);
    }
    // Readable again after a problem (a drive plugged back in): the old watcher saw its folder vanish, start afresh.
    if (this.problems.delete(folder.id)) await this.stopWatching(folder.id);
    if (!this.watchers.has(folder.id)) {
      this.startWatching(folder);
      await this.watchers.get(folder.id)?.ready;
    }
    if (listing.truncated) console.warn(`[sightline] watched folder listing truncated at ${listing.files.length} files: ${folder.path}`);
    const files: PickedFile[] = [];
    let touched = false;
    for (const entry of listing.files) {
      const examined = await this.examine(folder, entry.absolutePath, true);
      if (examined.kind === 'deliver') files.push(examined.file);
      if (examined.kind === 'touched') touched = true;
    }
    if (touched) await this.options.store.save();
    return { folderId: folder.id, files };
  }

  /** The renderer finished importing a delivery: remember its files as seen and keep what the sync brought. */
  async recordSync(folderId: string, tokens: readonly string[], result: SyncResult): Promise<WatchedFolder> {
    const folder = this.folder(folderId);
    for (const token of tokens) {
      const pending = this.pending.get(token);
      if (!pending || pending.folderId !== folderId) continue;
      this.options.store.markSeen(folderId, pending.relativePath, pending.seen);
      this.pending.delete(token);
    }
    this.options.store.setLastSync(folderId, result);
    await this.options.store.save();
    return this.describe(folder);
  }

  /** The window that held the tokens is gone: unacknowledged files will be offered again at its next re-scan. */
  forgetPending(): void {
    this.pending.clear();
    this.outbox.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of [...this.batchTimers.values(), ...this.rechecks.values()]) clearTimeout(timer);
    this.batchTimers.clear();
    this.rechecks.clear();
    await Promise.all([...this.watchers.keys()].map((id) => this.stopWatching(id)));
  }

  private folder(folderId: string): StoredFolder {
    const folder = this.options.store.get(folderId);
    if (!folder) throw new IpcFailure('not-found', 'That folder is not watched');
    return folder;
  }

  private describe(folder: StoredFolder): WatchedFolder {
    const problem = this.problems.get(folder.id);
    return {
      id: folder.id,
      name: path.basename(folder.path),
      location: folder.path,
      addedAt: folder.addedAt,
      status: problem ? 'unavailable' : 'watching',
      ...(problem ? { message: problem } : {}),
      ...(folder.lastSync ? { lastSync: folder.lastSync } : {}),
    };
  }

  private startWatching(folder: StoredFolder): void {
    if (this.closed || this.watchers.has(folder.id)) return;
    const watch = this.options.watch ?? watchFolder;
    this.watchers.set(
      folder.id,
      watch(folder.path, {
        onFile: (absolute) => void this.onWatchedFile(folder.id, absolute),
        onError: (error) => {
          const code = (error as NodeJS.ErrnoException).code;
          this.problems.set(
            folder.id,
            code === 'ENOENT'
              ? 'The folder is gone (removed, renamed or unmounted). What it brought is kept; Re-scan once it is back.'
              : `Watching stopped (${code ?? error.message}). Re-scan to try again.`,
          );
          console.warn(`[sightline] watching ${folder.path} failed`, error);
        },
      }),
    );
  }

  private async stopWatching(folderId: string): Promise<void> {
    const watcher = this.watchers.get(folderId);
    this.watchers.delete(folderId);
    for (const [key, timer] of this.rechecks) {
      if (!key.startsWith(`${folderId}\n`)) continue;
      clearTimeout(timer);
      this.rechecks.delete(key);
    }
    await watcher?.close();
  }

  private async onWatchedFile(folderId: string, absolute: string): Promise<void> {
    const folder = this.options.store.get(folderId);
    if (!folder || this.closed) return;
    try {
      const examined = await this.examine(folder, absolute, false);
      if (examined.kind === 'deliver') this.queue(folderId, examined.file);
      if (examined.kind === 'touched') await this.options.store.save();
    } catch (error) {
      console.warn(`[sightline] could not look at ${absolute}`, error);
    }
  }

  /**
   * Decides one file. `force` (a re-scan) offers again a file delivered but never acknowledged, because the
   * renderer that got it may have reloaded; the watcher does not, or every event of a slow write would.
   */
  private async examine(folder: StoredFolder, absolute: string, force: boolean): Promise<Examined> {
    const stat = await fs.lstat(absolute).catch(() => undefined);
    if (!stat?.isFile()) return { kind: 'gone' };
    const relativePath = relativeOf(folder.path, absolute);
    const age = this.now() - stat.mtimeMs;
    if (age < this.quietMs) {
      this.scheduleRecheck(folder.id, absolute, relativePath, this.quietMs - age);
      return { kind: 'unsettled' };
    }
    const known = folder.seen[relativePath];
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) return { kind: 'seen' };
    const sha256 = await sha256Of(absolute);
    const seen: SeenFile = { size: stat.size, mtimeMs: stat.mtimeMs, sha256 };
    if (known && known.sha256 === sha256) {
      // Touched or copied over with the same bytes: nothing to import, but remember the new mtime.
      this.options.store.markSeen(folder.id, relativePath, seen);
      return { kind: 'touched' };
    }
    if (!force) {
      for (const pending of this.pending.values()) {
        if (pending.folderId === folder.id && pending.relativePath === relativePath && pending.seen.sha256 === sha256) return { kind: 'pending' };
      }
    }
    const token = this.options.registry.register(absolute);
    this.pending.set(token, { folderId: folder.id, relativePath, seen });
    return {
      kind: 'deliver',
      file: {
        token,
        name: path.basename(absolute),
        relativePath: `${path.basename(folder.path)}/${relativePath}`,
        size: stat.size,
        lastModified: stat.mtimeMs,
      },
    };
  }

  private scheduleRecheck(folderId: string, absolute: string, relativePath: string, delayMs: number): void {
    const key = `${folderId}\n${relativePath}`;
    const previous = this.rechecks.get(key);
    if (previous) clearTimeout(previous);
    const timer = setTimeout(
      () => {
        this.rechecks.delete(key);
        void this.onWatchedFile(folderId, absolute);
      },
      Math.ceil(delayMs) + 20,
    );
    this.rechecks.set(key, timer);
  }

  private queue(folderId: string, file: PickedFile): void {
    const files = this.outbox.get(folderId) ?? [];
    files.push(file);
    this.outbox.set(folderId, files);
    const previous = this.batchTimers.get(folderId);
    if (previous) clearTimeout(previous);
    this.batchTimers.set(
      folderId,
      setTimeout(() => {
        this.batchTimers.delete(folderId);
        const ready = this.outbox.get(folderId) ?? [];
        this.outbox.delete(folderId);
        if (ready.length > 0 && !this.closed) this.options.deliver({ folderId, files: ready });
      }, this.batchMs),
    );
  }
}
