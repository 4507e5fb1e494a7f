/**
 * One folder watched with chokidar. It only says "this file was added or changed"; deciding whether the file
 * is complete and new is the service's job (service.ts), so the same rule applies to watcher events and to
 * re-scans. Removals are ignored on purpose: deleting an export never deletes what it brought.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { watch } from 'chokidar';
import { MAX_FOLDER_DEPTH } from '../files.ts';

export interface FolderWatcher {
  /** Settles once the watcher has walked the folder: changes after this are reported, earlier ones are the re-scan's. */
  ready: Promise<void>;
  close(): Promise<void>;
}

export interface FolderWatchHandlers {
  /** A regular file under the folder appeared or changed (absolute path). */
  onFile(absolutePath: string): void;
  onError(error: Error): void;
}

/** True for dotfiles and anything inside a dot-folder below the root (.git, .DS_Store), as folder imports skip them. */
export function isHiddenBelow(root: string, candidate: string): boolean {
  const relative = path.relative(root, candidate);
  if (!relative || relative.startsWith('..')) return false;
  return relative.split(path.sep).some((part) => part.startsWith('.'));
}

export function watchFolder(folder: string, handlers: FolderWatchHandlers): FolderWatcher {
  const root = path.resolve(folder);
  const watcher = watch(root, {
    // Files already there are the re-scan's business, which the renderer asks for when it starts.
    ignoreInitial: true,
    // A link could lead outside the folder the analyst chose, or into a cycle.
    followSymlinks: false,
    depth: MAX_FOLDER_DEPTH,
    ignored: (candidate) => isHiddenBelow(root, candidate),
    // Our own quiet-period check (service.ts) replaces awaitWriteFinish, so scans and events share one rule.
    awaitWriteFinish: false,
  });
  // Settled by an error too, so a folder that cannot be walked never leaves a caller waiting.
  const ready = new Promise<void>((resolve) => {
    watcher.once('ready', resolve);
    watcher.once('error', () => resolve());
  });
  watcher.on('add', (file) => handlers.onFile(file));
  watcher.on('change', (file) => handlers.onFile(file));
  // The folder itself went away (unmounted, renamed): its watches die with it, so say so rather than stay silent.
  // chokidar reports an empty root's removal only as a raw rename event on the root, hence the stat.
  watcher.on('raw', (event, _name, details) => {
    if (event !== 'rename' || (details as { watchedPath?: string } | undefined)?.watchedPath !== root) return;
    fs.stat(root).catch((error: unknown) => {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') handlers.onError(Object.assign(new Error('the folder was removed'), { code: 'ENOENT' }));
    });
  });
  watcher.on('error', (error) => handlers.onError(error instanceof Error ? error : new Error(String(error))));
  return { ready, close: () => watcher.close() };
}
