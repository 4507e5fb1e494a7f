import { userInfo } from 'node:os';
import { app, shell } from 'electron';
import { IpcFailure } from '../errors.ts';
import { safeExternalUrl } from '../security.ts';
import { handle } from './handle.ts';
import type { IpcContext } from './handle.ts';

export function registerAppIpc(context: IpcContext): void {
  const { ipcMain, getWindow, extraOrigins } = context;
  handle(
    ipcMain,
    'app:info',
    () => ({ name: app.getName(), version: app.getVersion(), platform: process.platform, shell: 'electron' as const, userName: osUserName() }),
    getWindow,
    extraOrigins,
  );
  handle(
    ipcMain,
    'shell:open-external',
    async ({ url }) => {
      const safe = safeExternalUrl(url);
      if (!safe) throw new IpcFailure('refused', 'Only https links without credentials can be opened');
      await shell.openExternal(safe); // eng-disable OPEN_EXTERNAL_JS_CHECK: only safeExternalUrl output
    },
    getWindow,
    extraOrigins,
  );
}

/** The OS account name, or nothing: userInfo throws where the account has no passwd entry (some containers). */
function osUserName(): string | undefined {
  try {
    return userInfo().username || undefined;
  } catch {
    return undefined;
  }
}
