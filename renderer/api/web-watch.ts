/**
 * Watched folders in the web build. A browser cannot watch a folder, so a watched folder is a directory the
 * analyst picked, with Re-scan to look again: through its directory handle where the File System Access API
 * exists (kept in IndexedDB so it survives a reload), else by picking the same directory again
 * (`<input webkitdirectory>`). Either way only files whose name, size or modification time differ from what
 * the last acknowledged sync saw are imported.
 */
import type { Envelope, PickedFile, SyncResult, WatchDelivery, WatchedFolder } from '../../shared/ipc.ts';
import { fingerprint, isHiddenPath, newOrChanged, type ListedFile } from '../watch/changes.ts';

/** As the desktop's folder listing (electron/files.ts): a bound on what one pick may bring. */
const MAX_FILES = 10_000;
const MAX_DEPTH = 32;
const METADATA_KEY = 'sightline.watchedFolders';
const HANDLE_DB = 'sightline-watch';

interface WebFolder {
  id: string;
  name: string;
  addedAt: number;
  /** How Re-scan gets at the files again. */
  access: 'handle' | 'repick';
  lastSync?: SyncResult;
  /** Fingerprints of acknowledged files, by path below the folder. */
  seen: Record<string, string>;
}

/** The slice of the File System Access API we use; not in TypeScript's DOM library because not every browser has it. */
interface PermissionedHandle extends FileSystemDirectoryHandle {
  queryPermission?(options: { mode: 'read' }): Promise<PermissionState>;
  requestPermission?(options: { mode: 'read' }): Promise<PermissionState>;
}
type DirectoryPicker = (options?: { id?: string; mode?: 'read' }) => Promise<PermissionedHandle>;

type Listed = ListedFile & { file: File };

interface Pending {
  folderId: string;
  pathInFolder: string;
  fingerprint: string;
}

const pending = new Map<string, Pending>();
const handles = new Map<string, PermissionedHandle>();

function ok<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

function fail(code: 'not-found' | 'refused' | 'failed', message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function loadFolders(): WebFolder[] {
  try {
    const parsed = JSON.parse(localStorage.getItem(METADATA_KEY) ?? '[]') as unknown;
    return Array.isArray(parsed) ? (parsed as WebFolder[]).filter((folder) => typeof folder?.id === 'string' && typeof folder.name === 'string') : [];
  } catch {
    return [];
  }
}

function saveFolders(folders: readonly WebFolder[]): void {
  localStorage.setItem(METADATA_KEY, JSON.stringify(folders));
}

function describe(folder: WebFolder): WatchedFolder {
  return {
    id: folder.id,
    name: folder.name,
    location: folder.access === 'handle' ? `${folder.name} (picked folder)` : `${folder.name} (picked folder; Re-scan asks for it again)`,
    addedAt: folder.addedAt,
    status: 'manual',
    ...(folder.lastSync ? { lastSync: folder.lastSync } : {}),
  };
}

/** The one IndexedDB database of directory handles: a few rows, opened per call. Failures only cost the handle. */
function handleStore<T>(mode: IDBTransactionMode, act: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | undefined> {
  return new Promise((resolve) => {
    let request: IDBOpenDBRequest;
    try {
      request = indexedDB.open(HANDLE_DB, 1);
    } catch {
      resolve(undefined);
      return;
    }
    request.onupgradeneeded = () => request.result.createObjectStore('handles');
    request.onerror = () => resolve(undefined);
    request.onsuccess = () => {
      const db = request.result;
      try {
        const action = act(db.transaction('handles', mode).objectStore('handles'));
        action.onsuccess = () => resolve(action.result);
        action.onerror = () => resolve(undefined);
      } catch {
        resolve(undefined);
      } finally {
        db.close();
      }
    };
  });
}

async function handleOf(folder: WebFolder): Promise<PermissionedHandle | undefined> {
  const known = handles.get(folder.id);
  if (known) return known;
  const stored = await handleStore<PermissionedHandle>('readonly', (store) => store.get(folder.id) as IDBRequest<PermissionedHandle>);
  if (stored) handles.set(folder.id, stored);
  return stored;
}

async function listHandle(root: FileSystemDirectoryHandle): Promise<Listed[]> {
  const files: Listed[] = [];
  const walk = async (directory: FileSystemDirectoryHandle, prefix: string, depth: number): Promise<void> => {
    const entries: [string, FileSystemHandle][] = [];
    for await (const entry of directory.entries()) entries.push(entry);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [name, entry] of entries) {
      if (name.startsWith('.') || files.length >= MAX_FILES) continue;
      if (entry.kind === 'directory') {
        if (depth < MAX_DEPTH) await walk(entry as FileSystemDirectoryHandle, `${prefix}${name}/`, depth + 1);
        continue;
      }
      const file = await (entry as FileSystemFileHandle).getFile();
      files.push({ pathInFolder: `${prefix}${name}`, size: file.size, lastModified: file.lastModified, file });
    }
  };
  await walk(root, '', 1);
  return files;
}

/** Files of a directory picked with `<input webkitdirectory>`: undefined when the analyst cancelled. */
function repick(): Promise<{ name: string; files: Listed[] } | undefined> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.webkitdirectory = true;
    input.addEventListener(
      'change',
      () => {
        const picked = [...(input.files ?? [])];
        const name = picked[0]?.webkitRelativePath.split('/')[0];
        if (name === undefined) return resolve(undefined);
        const files = picked
          .map((file) => ({ pathInFolder: file.webkitRelativePath.split('/').slice(1).join('/'), size: file.size, lastModified: file.lastModified, file }))
          .filter((file) => file.pathInFolder && !isHiddenPath(file.pathInFolder))
          .sort((a, b) => (a.pathInFolder < b.pathInFolder ? -1 : a.pathInFolder > b.pathInFolder ? 1 : 0))
          .slice(0, MAX_FILES);
        resolve({ name, files });
      },
      { once: true },
    );
    input.addEventListener('cancel', () => resolve(undefined), { once: true });
    input.click();
  });
}

function deliver(folder: WebFolder, listed: readonly Listed[], register: (file: File, relativePath: string) => PickedFile): WatchDelivery {
  const files = newOrChanged(listed, folder.seen).map((entry) => {
    const picked = register(entry.file, `${folder.name}/${entry.pathInFolder}`);
    pending.set(picked.token, { folderId: folder.id, pathInFolder: entry.pathInFolder, fingerprint: fingerprint(entry) });
    return picked;
  });
  return { folderId: folder.id, files };
}

function directoryPicker(): DirectoryPicker | undefined {
  const candidate = (window as unknown as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return typeof candidate === 'function' ? candidate.bind(window) : undefined;
}

export function createWebWatch(register: (file: File, relativePath: string) => PickedFile) {
  return {
    async watchList(): Promise<Envelope<WatchedFolder[]>> {
      return ok(loadFolders().map(describe));
    },

    async watchAdd(): Promise<Envelope<{ folder: WatchedFolder; delivery: WatchDelivery } | null>> {
      const folders = loadFolders();
      const picker = directoryPicker();
      let folder: WebFolder;
      let listed: Listed[];
      if (picker) {
        let handle: PermissionedHandle;
        try {
          handle = await picker({ id: 'sightline-watch', mode: 'read' });
        } catch (error) {
          if (error instanceof DOMException && error.name === 'AbortError') return ok(null);
          return fail('failed', `The folder could not be opened: ${error instanceof Error ? error.message : String(error)}`);
        }
        let existing: WebFolder | undefined;
        for (const candidate of folders) {
          const known = candidate.access === 'handle' ? await handleOf(candidate) : undefined;
          if (known && (await known.isSameEntry(handle))) existing = candidate;
        }
        folder = existing ?? { id: crypto.randomUUID(), name: handle.name, addedAt: Date.now(), access: 'handle', seen: {} };
        handles.set(folder.id, handle);
        await handleStore('readwrite', (store) => store.put(handle, folder.id));
        listed = await listHandle(handle);
      } else {
        const picked = await repick();
        if (!picked) return ok(null);
        // The browser names the directory but gives no path: a folder of the same name is taken as the same folder.
        folder = folders.find((candidate) => candidate.access === 'repick' && candidate.name === picked.name) ?? {
          id: crypto.randomUUID(),
          name: picked.name,
          addedAt: Date.now(),
          access: 'repick',
          seen: {},
        };
        listed = picked.files;
      }
      if (!folders.includes(folder)) saveFolders([...folders, folder]);
      return ok({ folder: describe(folder), delivery: deliver(folder, listed, register) });
    },

    async watchRemove(folderId: string): Promise<Envelope<void>> {
      const folders = loadFolders();
      if (!folders.some((folder) => folder.id === folderId)) return fail('not-found', 'That folder is not watched.');
      saveFolders(folders.filter((folder) => folder.id !== folderId));
      handles.delete(folderId);
      await handleStore('readwrite', (store) => store.delete(folderId));
      for (const [token, entry] of pending) if (entry.folderId === folderId) pending.delete(token);
      return ok(undefined);
    },

    async watchRescan(folderId: string): Promise<Envelope<WatchDelivery>> {
      const folder = loadFolders().find((candidate) => candidate.id === folderId);
      if (!folder) return fail('not-found', 'That folder is not watched.');
      if (folder.access === 'handle') {
        const handle = await handleOf(folder);
        if (!handle) return fail('not-found', `The browser no longer holds ${folder.name}: remove it and add it again.`);
        // After a reload the browser asks again; Re-scan is a click, so the prompt is allowed.
        const state = (await handle.queryPermission?.({ mode: 'read' })) ?? 'granted';
        if (state !== 'granted' && (await handle.requestPermission?.({ mode: 'read' })) !== 'granted') {
          return fail('refused', `Sightline may not read ${folder.name} until you allow it.`);
        }
        try {
          return ok(deliver(folder, await listHandle(handle), register));
        } catch (error) {
          return fail('not-found', `${folder.name} cannot be read now (${error instanceof Error ? error.message : String(error)}); what it brought is kept.`);
        }
      }
      const picked = await repick();
      // Cancelling the picker is not a sync that found nothing: leave the last sync as it was.
      if (!picked) return fail('refused', `Re-scan of ${folder.name} cancelled: no folder was picked.`);
      if (picked.name !== folder.name) {
        return fail('refused', `You picked “${picked.name}”, but this watched folder is “${folder.name}”. Add “${picked.name}” as a folder of its own.`);
      }
      return ok(deliver(folder, picked.files, register));
    },

    async watchRecordSync(folderId: string, tokens: string[], result: SyncResult): Promise<Envelope<WatchedFolder>> {
      const folders = loadFolders();
      const folder = folders.find((candidate) => candidate.id === folderId);
      if (!folder) return fail('not-found', 'That folder is not watched.');
      for (const token of tokens) {
        const entry = pending.get(token);
        if (!entry || entry.folderId !== folderId) continue;
        folder.seen[entry.pathInFolder] = entry.fingerprint;
        pending.delete(token);
      }
      folder.lastSync = result;
      saveFolders(folders);
      return ok(describe(folder));
    },

    onWatchFolderChanged(): () => void {
      // Nothing watches in the browser: new files arrive through Re-scan only.
      return () => undefined;
    },
  };
}
