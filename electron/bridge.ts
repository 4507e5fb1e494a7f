/**
 * The object the preload exposes as `window.sightline`: one named function per channel, nothing generic.
 * Kept apart from preload.ts so it can be tested with a fake ipcRenderer. Type-only imports keep zod
 * and the schemas out of the sandboxed preload bundle.
 */
import type { Envelope, IpcArgs, IpcChannel, IpcResult, MainEventChannel, MainEvents, SightlineBridge, SyncResult } from '../shared/ipc.ts';

/** The slice of Electron's ipcRenderer the bridge uses. It is never handed to the page. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipcRenderer: IpcRendererLike) {
  /** Subscribes a page listener to one main event; the IpcRendererEvent (whose `sender` is ipcRenderer) never reaches the page. */
  function subscribe<E extends MainEventChannel>(channel: E, name: string, listener: (payload: MainEvents[E]) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError(`${name} needs a function`);
    const forward = (_event: unknown, payload: unknown) => listener(payload as MainEvents[E]);
    ipcRenderer.on(channel, forward);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipcRenderer.removeListener(channel, forward);
    };
  }

  function invoke<C extends IpcChannel>(channel: C, ...args: IpcArgs<C> extends undefined ? [] : [IpcArgs<C>]) {
    // Main validates and answers every channel with an Envelope, so the cast only restores the static type.
    return ipcRenderer.invoke(channel, ...args) as Promise<Envelope<IpcResult<C>>>;
  }

  return {
    openFiles: () => invoke('dialog:open-files'),
    openFolder: () => invoke('dialog:open-folder'),
    readChunk: (token: string, offset: number, length: number) => invoke('file:read-chunk', { token, offset, length }),
    releaseFile: (token: string) => invoke('file:release', { token }),
    appInfo: () => invoke('app:info'),
    openExternal: (url: string) => invoke('shell:open-external', { url }),
    onFilesPicked(listener: (files: MainEvents['menu:files-picked']) => void): () => void {
      return subscribe('menu:files-picked', 'onFilesPicked', listener);
    },
    watchList: () => invoke('watch:list'),
    watchAdd: () => invoke('watch:add'),
    watchRemove: (folderId: string) => invoke('watch:remove', { folderId }),
    watchRescan: (folderId: string) => invoke('watch:rescan', { folderId }),
    watchRecordSync: (folderId: string, tokens: string[], result: SyncResult) => invoke('watch:record-sync', { folderId, tokens, result }),
    onWatchFolderChanged(listener: (delivery: MainEvents['watch:folder-changed']) => void): () => void {
      return subscribe('watch:folder-changed', 'onWatchFolderChanged', listener);
    },
  } satisfies SightlineBridge;
}
