/** The three ways in (files, a folder, the demo), callable from buttons and from the command palette alike. */
import { bridge, unwrap } from '../api/bridge.ts';
import { loadDemoWorkspace } from '../import/demo.ts';
import { enqueueImport, sourceFromPicked } from '../import/queue.ts';

export async function importFiles(): Promise<void> {
  const files = unwrap(await bridge.openFiles());
  if (files.length === 0) return; // the picker was cancelled
  enqueueImport(files.length === 1 ? files[0]!.name : `${files.length} files`, files.map(sourceFromPicked));
}

export async function importFolder(): Promise<void> {
  const files = unwrap(await bridge.openFolder());
  if (files.length === 0) return;
  const folder = files[0]?.relativePath.split('/')[0] ?? 'folder';
  enqueueImport(`Folder ${folder}`, files.map(sourceFromPicked));
}

export async function loadDemo(): Promise<void> {
  await loadDemoWorkspace();
}
