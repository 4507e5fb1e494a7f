import type { BrowserWindow } from 'electron';
import type { FileRegistry } from '../files.ts';
import { registerAppIpc } from './app.ts';
import { registerDialogIpc } from './dialog.ts';
import { registerFilesIpc } from './files.ts';
import type { IpcContext } from './handle.ts';
import { registerWatchIpc } from './watch.ts';
import type { WatchService } from '../watch/service.ts';

/** Every channel of shared/ipc.ts, registered once; a unit test checks none is missing or extra. */
export function registerAllIpc(
  context: IpcContext<BrowserWindow>,
  registry: FileRegistry,
  watchService: WatchService,
): void {
  registerDialogIpc(context, registry);
  registerFilesIpc(context, registry);
  registerAppIpc(context);
  registerWatchIpc(context, watchService);
}
