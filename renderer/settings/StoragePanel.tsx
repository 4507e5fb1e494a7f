import { useState } from 'react';
import { formatBytes } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { clearWorkspace } from '../db/repo.ts';
import { useImportQueue } from '../import/queue.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { readStorage, STORAGE_WARNING_FRACTION, type StorageReport } from './storage.ts';

function persistenceText(storage: StorageReport): string {
  if (storage.granted === undefined && storage.persisted === undefined) return 'Unknown: this browser cannot say.';
  if (storage.granted || storage.persisted) return 'Granted: the browser will not evict the workspace under storage pressure.';
  return 'Not granted: the browser may evict the workspace under storage pressure. Keep the original exports: they can be imported again.';
}

function ClearWorkspace() {
  const [confirming, setConfirming] = useState(false);
  const clear = async () => {
    await clearWorkspace();
    setConfirming(false);
    useImportQueue.setState((current) => ({ dataVersion: current.dataVersion + 1, jobs: [] }));
  };
  return confirming ? (
    <div
      className="confirm"
      role="alertdialog"
      aria-label="Confirm clearing the workspace"
      onKeyDown={(event) => {
        if (event.key !== 'Escape') return;
        event.stopPropagation();
        setConfirming(false);
      }}
    >
      <p>Delete every record, user and import of this workspace? The export files are not touched.</p>
      <button type="button" className="button danger" onClick={() => void clear()}>
        Delete workspace data
      </button>
      {/* Focus starts on the harmless answer: Enter or Escape keeps the data. */}
      <button type="button" className="button" onClick={() => setConfirming(false)} autoFocus>
        Keep it
      </button>
    </div>
  ) : (
    <button type="button" className="button danger" onClick={() => setConfirming(true)}>
      Clear workspace…
    </button>
  );
}

/** Settings → Storage: space used and available (re-read after every import), and whether eviction is ruled out. */
export function StoragePanel({ shell }: { shell: 'electron' | 'web' }) {
  const state = useStoreQuery(readStorage, []);
  return (
    <section className="panel" aria-label="Storage">
      <h2>Storage</h2>
      <p className="muted small">The workspace lives in this app's IndexedDB storage{shell === 'web' ? ' for this browser profile and address' : ''}.</p>
      <QueryView state={state}>
        {(storage) => (
          <>
            {storage.fraction !== undefined && storage.fraction >= STORAGE_WARNING_FRACTION && (
              <p className="error-text" role="alert">
                The workspace uses {Math.round(storage.fraction * 100)}% of the space the browser allows: imports stop when it is full. Free space or clear old
                data.
              </p>
            )}
            <dl className="fields">
              <div className="field">
                <dt>Used</dt>
                <dd data-testid="storage-usage">
                  {formatBytes(storage.usage)}
                  {storage.fraction !== undefined && (
                    <span className="muted"> ({(storage.fraction * 100).toFixed(storage.fraction < 0.01 ? 2 : 0)}% of the quota)</span>
                  )}
                </dd>
              </div>
              <div className="field">
                <dt>Available to Sightline</dt>
                <dd data-testid="storage-quota">{formatBytes(storage.quota)}</dd>
              </div>
              <div className="field">
                <dt>Persistent storage</dt>
                <dd data-testid="storage-persistence">{persistenceText(storage)}</dd>
              </div>
            </dl>
          </>
        )}
      </QueryView>
      <ClearWorkspace />
    </section>
  );
}
