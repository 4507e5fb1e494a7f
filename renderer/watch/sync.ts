/**
 * Watched folders in the renderer: the list (UI state only), and the one path by which a folder's new files
 * become an import. Deliveries from main's watcher, from Add and from Re-scan all go through `importDelivery`,
 * which uses the same import queue as a manual import and reports back what the sync brought.
 */
import { create } from 'zustand';
import type { WatchDelivery, WatchedFolder } from '../../shared/ipc.ts';
import { bridge, unwrap } from '../api/bridge.ts';
import { enqueueImport, sourceFromPicked, useImportQueue, type ImportJob } from '../import/queue.ts';
import { summarizeSync } from './changes.ts';

interface WatchState {
  folders: readonly WatchedFolder[];
  /** Folders with a delivery being imported right now (a folder appears once per delivery). */
  syncing: readonly string[];
  error?: string;
}

export const useWatchedFolders = create<WatchState>(() => ({ folders: [], syncing: [] }));

function setFolder(folder: WatchedFolder): void {
  useWatchedFolders.setState((state) => ({
    folders: state.folders.some((known) => known.id === folder.id)
      ? state.folders.map((known) => (known.id === folder.id ? folder : known))
      : [...state.folders, folder],
  }));
}

/** One entry per delivery in flight, so a folder stays "syncing" until its last delivery ends. */
function setSyncing(folderId: string, on: boolean): void {
  useWatchedFolders.setState((state) => {
    if (on) return { syncing: [...state.syncing, folderId] };
    const index = state.syncing.indexOf(folderId);
    return { syncing: index < 0 ? state.syncing : [...state.syncing.slice(0, index), ...state.syncing.slice(index + 1)] };
  });
}

function fail(reason: unknown): void {
  useWatchedFolders.setState({ error: reason instanceof Error ? reason.message : String(reason) });
}

/** Resolves with the job once it is no longer queued or running. */
function jobEnded(id: string): Promise<ImportJob | undefined> {
  return new Promise((resolve) => {
    const find = () => useImportQueue.getState().jobs.find((job) => job.id === id);
    const ended = (job: ImportJob | undefined) => !job || (job.state !== 'queued' && job.state !== 'running');
    if (ended(find())) return resolve(find());
    const unsubscribe = useImportQueue.subscribe(() => {
      const job = find();
      if (!ended(job)) return;
      unsubscribe();
      resolve(job);
    });
  });
}

/** Imports a delivery through the queue, then tells the shell which files are done and what they brought. */
export async function importDelivery(delivery: WatchDelivery): Promise<void> {
  const name = useWatchedFolders.getState().folders.find((folder) => folder.id === delivery.folderId)?.name ?? 'folder';
  setSyncing(delivery.folderId, true);
  try {
    const id = enqueueImport(`Watched folder ${name}`, delivery.files.map(sourceFromPicked));
    const job = id === undefined ? undefined : await jobEnded(id);
    const { tokens, result } = summarizeSync(job, delivery.files, Date.now());
    setFolder(unwrap(await bridge.watchRecordSync(delivery.folderId, tokens, result)));
  } finally {
    setSyncing(delivery.folderId, false);
  }
}

export async function refreshWatchedFolders(): Promise<void> {
  try {
    useWatchedFolders.setState({ folders: unwrap(await bridge.watchList()) });
  } catch (reason) {
    fail(reason);
  }
}

export async function addWatchedFolder(): Promise<void> {
  useWatchedFolders.setState({ error: undefined });
  try {
    const added = unwrap(await bridge.watchAdd());
    if (!added) return;
    setFolder(added.folder);
    await importDelivery(added.delivery);
  } catch (reason) {
    fail(reason);
  }
}

export async function rescanWatchedFolder(folderId: string): Promise<void> {
  useWatchedFolders.setState({ error: undefined });
  try {
    await importDelivery(unwrap(await bridge.watchRescan(folderId)));
  } catch (reason) {
    fail(reason);
    await refreshWatchedFolders();
  }
}

export async function removeWatchedFolder(folderId: string): Promise<void> {
  useWatchedFolders.setState({ error: undefined });
  try {
    unwrap(await bridge.watchRemove(folderId));
    useWatchedFolders.setState((state) => ({ folders: state.folders.filter((folder) => folder.id !== folderId) }));
  } catch (reason) {
    fail(reason);
  }
}

/**
 * Started once by the app shell: imports what main's watcher finds, and on the desktop catches up on what
 * changed while the app was closed. Browser folders ('manual') wait for the analyst's Re-scan, which needs a click.
 */
let caughtUp = false;

export function startWatchSync(): () => void {
  const unsubscribe = bridge.onWatchFolderChanged((delivery) => void importDelivery(delivery).catch(fail));
  // Once per page, even when React mounts the shell twice (StrictMode in development).
  if (caughtUp) return unsubscribe;
  caughtUp = true;
  void (async () => {
    await refreshWatchedFolders();
    for (const folder of useWatchedFolders.getState().folders) {
      if (folder.status !== 'manual') await rescanWatchedFolder(folder.id);
    }
  })();
  return unsubscribe;
}
