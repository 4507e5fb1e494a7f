/**
 * The watched folders and what each sync saw, persisted as one JSON file in userData so that a restart neither
 * forgets a folder nor re-sends files that were already imported.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs, readFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { syncResultSchema } from '../../shared/ipc.ts';
import type { SyncResult } from '../../shared/ipc.ts';

/** What a file looked like when its import ended: size and mtime say "unchanged" cheaply, the hash says it for sure. */
const seenFileSchema = z.object({ size: z.number(), mtimeMs: z.number(), sha256: z.string() });
export type SeenFile = z.infer<typeof seenFileSchema>;

const storedFolderSchema = z.object({
  id: z.string().min(1).max(64),
  path: z.string().min(1),
  addedAt: z.number(),
  lastSync: syncResultSchema.optional(),
  /** Keyed by the '/'-separated path relative to the folder. */
  seen: z.record(z.string(), seenFileSchema),
});
export type StoredFolder = z.infer<typeof storedFolderSchema>;

const documentSchema = z.object({ version: z.literal(1), folders: z.array(storedFolderSchema) });

export const WATCH_STORE_FILE = 'watched-folders.json';

export class WatchStore {
  private saving: Promise<void> = Promise.resolve();

  /** `open` reads an existing file; the constructor starts empty (or from given entries) without reading. */
  constructor(
    readonly file: string,
    private readonly entries: StoredFolder[] = [],
  ) {}

  /**
   * Opens the store. A missing file is an empty store; an unreadable one is set aside (renamed, never deleted)
   * and replaced by an empty store, so a damaged settings file cannot keep the app from starting. Synchronous:
   * it is one small file read once at start-up, before any handler can ask for it.
   */
  static open(file: string): WatchStore {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new WatchStore(file, []);
      throw error;
    }
    let parsed: z.infer<typeof documentSchema>;
    try {
      parsed = documentSchema.parse(JSON.parse(text));
    } catch (error) {
      const aside = `${file}.unreadable-${Date.now()}`;
      renameSync(file, aside);
      console.warn(`[sightline] ${file} could not be read (${error instanceof Error ? error.message.slice(0, 200) : String(error)}); kept as ${aside}`);
      return new WatchStore(file, []);
    }
    return new WatchStore(file, parsed.folders);
  }

  folders(): readonly StoredFolder[] {
    return this.entries;
  }

  get(id: string): StoredFolder | undefined {
    return this.entries.find((folder) => folder.id === id);
  }

  /** Adds a folder, or returns the one already watching the same path. */
  add(folderPath: string, now: number): StoredFolder {
    const resolved = path.resolve(folderPath);
    const existing = this.entries.find((folder) => folder.path === resolved);
    if (existing) return existing;
    const folder: StoredFolder = { id: randomUUID(), path: resolved, addedAt: now, seen: {} };
    this.entries.push(folder);
    return folder;
  }

  /** Forgets the folder and what it saw; the data it brought stays in the workspace. */
  remove(id: string): boolean {
    const index = this.entries.findIndex((folder) => folder.id === id);
    if (index < 0) return false;
    this.entries.splice(index, 1);
    return true;
  }

  markSeen(id: string, relativePath: string, seen: SeenFile): void {
    const folder = this.get(id);
    if (folder) folder.seen[relativePath] = seen;
  }

  setLastSync(id: string, result: SyncResult): void {
    const folder = this.get(id);
    if (folder) folder.lastSync = result;
  }

  /** Writes the whole document atomically (temporary file, then rename); saves run one after another. */
  save(): Promise<void> {
    const text = JSON.stringify({ version: 1, folders: this.entries });
    const write = async () => {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      const temporary = `${this.file}.${process.pid}.tmp`;
      await fs.writeFile(temporary, text, 'utf8');
      await fs.rename(temporary, this.file);
    };
    this.saving = this.saving.then(write, write);
    return this.saving;
  }
}
