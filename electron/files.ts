/**
 * Files the analyst picked, and byte access to them. Main never parses content: it hands raw bytes to
 * the renderer, where a sandboxed Web Worker does the parsing (checklist item 4). The renderer only ever
 * holds opaque tokens, so it cannot ask for a path it was not given.
 */
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { MAX_CHUNK_BYTES } from '../shared/ipc.ts';
import type { PickedFile } from '../shared/ipc.ts';
import { IpcFailure } from './errors.ts';

export class FileRegistry {
  private readonly paths = new Map<string, string>();

  register(absolutePath: string): string {
    const token = randomUUID();
    this.paths.set(token, path.resolve(absolutePath));
    return token;
  }

  resolve(token: string): string | undefined {
    return this.paths.get(token);
  }

  release(token: string): boolean {
    return this.paths.delete(token);
  }

  clear(): void {
    this.paths.clear();
  }

  get size(): number {
    return this.paths.size;
  }
}

export interface FolderEntry {
  absolutePath: string;
  /** Always '/'-separated, whatever the OS, because it is shown to analysts and stored with records. */
  relativePath: string;
}

export interface FolderListing {
  files: FolderEntry[];
  /** True when the walk stopped at `maxFiles` or `maxDepth`: the listing is then incomplete. */
  truncated: boolean;
}

export const MAX_FOLDER_FILES = 10_000;
export const MAX_FOLDER_DEPTH = 32;

/**
 * Every regular file under `dir`, in a stable order. Dotfiles and dot-folders are skipped (.git, .DS_Store);
 * symlinks are skipped so a picked folder cannot lead outside itself or into a cycle.
 */
export async function listFolderFiles(
  dir: string,
  limits: { maxFiles?: number; maxDepth?: number } = {},
): Promise<FolderListing> {
  const maxFiles = limits.maxFiles ?? MAX_FOLDER_FILES;
  const maxDepth = limits.maxDepth ?? MAX_FOLDER_DEPTH;
  const root = path.resolve(dir);
  const files: FolderEntry[] = [];
  let truncated = false;

  // Depth-first with an explicit stack: no recursion limit, and sorted so relative order is predictable.
  const stack: { absolute: string; relative: string[] }[] = [{ absolute: root, relative: [] }];
  while (stack.length > 0) {
    const current = stack.pop();
    if (!current) break;
    const entries = await fs.readdir(current.absolute, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: { absolute: string; relative: string[] }[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.isSymbolicLink()) continue;
      const absolute = path.join(current.absolute, entry.name);
      const relative = [...current.relative, entry.name];
      if (entry.isDirectory()) {
        if (relative.length > maxDepth) truncated = true;
        else subdirs.push({ absolute, relative });
      } else if (entry.isFile()) {
        if (files.length >= maxFiles) return { files, truncated: true };
        files.push({ absolutePath: absolute, relativePath: relative.join('/') });
      }
    }
    // Reversed so the alphabetically first folder is walked first.
    stack.push(...subdirs.reverse());
  }
  return { files, truncated };
}

/**
 * Registers files and describes them for the renderer. Anything that vanished or is not a regular file
 * by now is dropped rather than failing the whole pick.
 */
export async function describeFiles(
  registry: FileRegistry,
  entries: readonly FolderEntry[],
): Promise<PickedFile[]> {
  const picked: PickedFile[] = [];
  for (const entry of entries) {
    let stat;
    try {
      stat = await fs.stat(entry.absolutePath);
    } catch {
      continue;
    }
    if (!stat.isFile()) continue;
    picked.push({
      token: registry.register(entry.absolutePath),
      name: path.basename(entry.absolutePath),
      relativePath: entry.relativePath,
      size: stat.size,
      lastModified: stat.mtimeMs,
    });
  }
  return picked;
}

function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

/**
 * Up to `length` bytes of a picked file from `offset`. An empty result means end of file. The file is
 * opened per call so that no handle outlives a request, even if the renderer never releases the token.
 */
export async function readChunk(
  registry: FileRegistry,
  token: string,
  offset: number,
  length: number,
): Promise<Uint8Array> {
  if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length <= 0) {
    throw new IpcFailure('bad-payload', 'offset and length must be non-negative integers');
  }
  if (length > MAX_CHUNK_BYTES) throw new IpcFailure('bad-payload', `length exceeds ${MAX_CHUNK_BYTES} bytes`);
  const filePath = registry.resolve(token);
  if (filePath === undefined) throw new IpcFailure('not-found', 'Unknown file token');

  let handle;
  try {
    handle = await fs.open(filePath, 'r');
  } catch (error) {
    if (isNodeError(error) && (error.code === 'ENOENT' || error.code === 'ENOTDIR')) {
      throw new IpcFailure('not-found', 'The file is no longer available');
    }
    throw error;
  }
  try {
    const { size } = await handle.stat();
    const wanted = Math.max(0, Math.min(length, size - offset));
    if (wanted === 0) return new Uint8Array(0);
    // A buffer of its own (not the shared pool), so IPC clones only these bytes.
    const buffer = new Uint8Array(wanted);
    let filled = 0;
    while (filled < wanted) {
      const { bytesRead } = await handle.read(buffer, filled, wanted - filled, offset + filled);
      if (bytesRead === 0) break; // The file shrank since stat.
      filled += bytesRead;
    }
    return filled === wanted ? buffer : buffer.slice(0, filled);
  } finally {
    await handle.close();
  }
}
