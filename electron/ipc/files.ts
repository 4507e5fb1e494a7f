import { readChunk } from '../files.ts';
import type { FileRegistry } from '../files.ts';
import { handle } from './handle.ts';
import type { IpcContext } from './handle.ts';

export function registerFilesIpc(context: IpcContext, registry: FileRegistry): void {
  const { ipcMain, getWindow, extraOrigins } = context;
  handle(
    ipcMain,
    'file:read-chunk',
    ({ token, offset, length }) => readChunk(registry, token, offset, length),
    getWindow,
    extraOrigins,
  );
  // Releasing twice, or a token from before a reload, is harmless: release is idempotent.
  handle(ipcMain, 'file:release', ({ token }) => void registry.release(token), getWindow, extraOrigins);
}
