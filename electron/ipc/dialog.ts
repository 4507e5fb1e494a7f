import type { BrowserWindow } from 'electron';
import type { FileRegistry } from '../files.ts';
import { pickFiles, pickFolder } from '../pickers.ts';
import { handle } from './handle.ts';
import type { IpcContext } from './handle.ts';

export function registerDialogIpc(
  context: IpcContext<BrowserWindow>,
  registry: FileRegistry,
): void {
  const { ipcMain, getWindow, extraOrigins } = context;
  handle(ipcMain, 'dialog:open-files', () => pickFiles(getWindow(), registry), getWindow, extraOrigins);
  handle(ipcMain, 'dialog:open-folder', () => pickFolder(getWindow(), registry), getWindow, extraOrigins);
}
