import { isDesktop } from '../api/bridge.ts';
import { formatNumber, formatTime } from '../components/format.ts';
import type { SyncResult, WatchedFolder } from '../../shared/ipc.ts';
import { addWatchedFolder, removeWatchedFolder, rescanWatchedFolder, useWatchedFolders } from './sync.ts';

function describeSync(sync: SyncResult | undefined): string {
  if (!sync) return 'Not synced yet';
  if (sync.files === 0) return 'Nothing new';
  const parts = [
    `${formatNumber(sync.files)} file${sync.files === 1 ? '' : 's'}`,
    `${formatNumber(sync.added)} records added`,
    `${formatNumber(sync.updated)} updated`,
    `${formatNumber(sync.unchanged)} unchanged`,
  ];
  if (sync.rejected) parts.push(`${formatNumber(sync.rejected)} rejected`);
  if (sync.skipped) parts.push(`${formatNumber(sync.skipped)} skipped`);
  if (sync.failed) parts.push(`${formatNumber(sync.failed)} not read to the end`);
  return parts.join(' · ');
}

function StatusBadge({ folder }: { folder: WatchedFolder }) {
  if (folder.status === 'unavailable') return <span className="badge badge-danger">unavailable</span>;
  if (folder.status === 'watching') return <span className="badge badge-success">watching</span>;
  return <span className="badge badge-neutral">re-scan to sync</span>;
}

function FolderRow({ folder, syncing }: { folder: WatchedFolder; syncing: boolean }) {
  return (
    <tr data-testid="watched-folder" data-folder-name={folder.name}>
      <td>
        <strong>{folder.name}</strong> <StatusBadge folder={folder} />
        <div className="muted small mono">{folder.location}</div>
        {folder.message && <div className="error-text small">{folder.message}</div>}
      </td>
      <td className="nowrap" data-testid="watched-folder-last-sync">
        {syncing ? 'Syncing…' : formatTime(folder.lastSync?.at)}
      </td>
      <td data-testid="watched-folder-brought">{describeSync(folder.lastSync)}</td>
      <td className="nowrap">
        <button type="button" className="button" disabled={syncing} onClick={() => void rescanWatchedFolder(folder.id)} aria-label={`Re-scan ${folder.name}`}>
          Re-scan
        </button>{' '}
        <button
          type="button"
          className="button ghost"
          disabled={syncing}
          onClick={() => void removeWatchedFolder(folder.id)}
          aria-label={`Stop watching ${folder.name}`}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

/** The Imports view's "Watched folders" section: what is kept in sync, when it last synced and what that brought. */
export function WatchedFoldersPanel() {
  const { folders, syncing, error } = useWatchedFolders();
  return (
    <section className="panel" aria-label="Watched folders">
      <header className="panel-header">
        <h2>Watched folders</h2>
        <button type="button" className="button" onClick={() => void addWatchedFolder()} data-testid="watch-add">
          Watch a folder…
        </button>
      </header>
      <p className="muted small">
        {isDesktop
          ? 'New and changed files are imported once they stop changing. Deleting a file never deletes what it brought.'
          : 'The browser cannot watch a folder: Re-scan imports the files that are new or changed since the last sync. Deleting a file never deletes what it brought.'}
      </p>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {folders.length === 0 ? (
        <p className="muted">No folder is watched.</p>
      ) : (
        <table className="table" aria-label="Watched folders" data-testid="watched-folders">
          <thead>
            <tr>
              <th scope="col">Folder</th>
              <th scope="col">Last sync (UTC)</th>
              <th scope="col">What it brought</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {folders.map((folder) => (
              <FolderRow key={folder.id} folder={folder} syncing={syncing.includes(folder.id)} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
