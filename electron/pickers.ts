/**
 * Native open dialogs, shared by the IPC handlers and the File menu. The path never leaves main: the
 * renderer gets tokens registered in the FileRegistry.
 */
import path from 'node:path';
import { dialog } from 'electron';
import type { BrowserWindow, OpenDialogOptions } from 'electron';
import type { PickedFile } from '../shared/ipc.ts';
import { describeFiles, listFolderFiles } from './files.ts';
import type { FileRegistry } from './files.ts';

async function showOpenDialog(window: BrowserWindow | null, options: OpenDialogOptions): Promise<string[]> {
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? [] : result.filePaths;
}

export async function pickFiles(window: BrowserWindow | null, registry: FileRegistry): Promise<PickedFile[]> {
  const paths = await showOpenDialog(window, {
    title: 'Import files',
    // No extension filter: formats are detected from content, and exports often arrive renamed.
    properties: ['openFile', 'multiSelections'],
  });
  return describeFiles(
    registry,
    paths.map((absolutePath) => ({ absolutePath, relativePath: path.basename(absolutePath) })),
  );
}

export async function pickFolder(window: BrowserWindow | null, registry: FileRegistry): Promise<PickedFile[]> {
  const [folder] = await showOpenDialog(window, { title: 'Import folder', properties: ['openDirectory'] });
  if (folder === undefined) return [];
  const listing = await listFolderFiles(folder);
  if (listing.truncated) {
    // The IPC result has no room for a warning yet; log it so a support bundle shows it.
    console.warn(`[sightline] folder listing truncated at ${listing.files.length} files: ${folder}`);
  }
  return describeFiles(registry, listing.files);
}
