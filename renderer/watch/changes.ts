/**
 * Pure rules of a watched folder in the renderer: which listed files are new or changed since the last sync,
 * and what an ended import brought. Kept apart from the bridge and the queue so they can be tested under Node.
 */
import type { PickedFile, SyncResult } from '../../shared/ipc.ts';
import type { ImportJob } from '../import/queue.ts';

/** A file of a picked directory, with its path below the directory ('/'-separated, the directory's name excluded). */
export interface ListedFile {
  pathInFolder: string;
  size: number;
  lastModified: number;
}

/**
 * What the browser lets us compare cheaply. Name (the path), size and lastModified is what a re-picked
 * directory can tell; an export job that rewrites a file changes at least its modification time.
 */
export function fingerprint(file: ListedFile): string {
  return `${file.size}:${file.lastModified}`;
}

export function newOrChanged<F extends ListedFile>(files: readonly F[], seen: Readonly<Record<string, string>>): F[] {
  return files.filter((file) => seen[file.pathInFolder] !== fingerprint(file));
}

/** Dotfiles and dot-folders (.git, .DS_Store) are skipped, as the desktop's folder listing skips them. */
export function isHiddenPath(pathInFolder: string): boolean {
  return pathInFolder.split('/').some((part) => part.startsWith('.'));
}

/**
 * What one delivery's import brought, and which of its files may be remembered as seen: only files whose
 * import ended. A cancelled or failed job leaves the rest to be offered again.
 */
export function summarizeSync(
  job: Pick<ImportJob, 'files'> | undefined,
  delivered: readonly PickedFile[],
  at: number,
): { tokens: string[]; result: SyncResult } {
  const result: SyncResult = { at, files: delivered.length, added: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0, failed: 0 };
  const tokens: string[] = [];
  delivered.forEach((file, index) => {
    const progress = job?.files[index];
    if (progress?.state !== 'done') {
      result.failed++;
      return;
    }
    tokens.push(file.token);
    for (const row of progress.results ?? []) {
      result.added += row.added;
      result.updated += row.updated;
      result.unchanged += row.unchanged;
      result.rejected += row.rejected;
      if (row.skipped) result.skipped++;
      else if (row.fatal) result.failed++;
    }
  });
  return { tokens, result };
}
