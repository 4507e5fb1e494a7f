import { dialog } from 'electron';
import type { BrowserWindow } from 'electron';
import type { WatchService } from '../watch/service.ts';
import { handle } from './handle.ts';
import type { IpcContext } from './handle.ts';

/** Asks for a folder to watch; undefined when the analyst cancels. */
async function chooseFolder(window: BrowserWindow | null): Promise<string | undefined> {
  const options = { title: 'Watch a folder', buttonLabel: 'Watch', properties: ['openDirectory' as const] };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? undefined : result.filePaths[0];
}

export function registerWatchIpc(context: IpcContext<BrowserWindow>, service: WatchService): void {
  const { ipcMain, getWindow, extraOrigins } = context;
  handle(ipcMain, 'watch:list', () => service.list(), getWindow, extraOrigins);
  handle(
    ipcMain,
    'watch:add',
    async () => {
      // The path comes from the native dialog only: the renderer cannot name a folder to watch.
      const folder = await chooseFolder(getWindow());
      return folder === undefined ? null : service.add(folder);
    },
    getWindow,
    extraOrigins,
  );
  handle(ipcMain, 'watch:remove', ({ folderId }) => service.remove(folderId), getWindow, extraOrigins);
  handle(ipcMain, 'watch:rescan', ({ folderId }) => service.rescan(folderId), getWindow, extraOrigins);
  handle(ipcMain, 'watch:record-sync', ({ folderId, tokens, result }) => service.recordSync(folderId, tokens, result), getWindow, extraOrigins);
}
