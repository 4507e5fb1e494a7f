/**
 * The object the preload exposes as `window.sightline`: one named function per channel, nothing generic.
 * Kept apart from preload.ts so it can be tested with a fake ipcRenderer. Type-only imports keep zod
 * and the schemas out of the sandboxed preload bundle.
 */
import type { Envelope, IpcArgs, IpcChannel, IpcResult, MainEvents, PickedFile, SightlineBridge } from '../shared/ipc.ts';

/** The slice of Electron's ipcRenderer the bridge uses. It is never handed to the page. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export function createBridge(ipcRenderer: IpcRendererLike) {
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
      if (typeof listener !== 'function') throw new TypeError('onFilesPicked needs a function');
      // The IpcRendererEvent carries `sender` (the ipcRenderer itself): the page only ever sees the files.
      const forward = (_event: unknown, files: unknown) => listener(files as PickedFile[]);
      ipcRenderer.on('menu:files-picked', forward);
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        ipcRenderer.removeListener('menu:files-picked', forward);
      };
    },
  } satisfies SightlineBridge;
}
