import { useState } from 'react';
import { ImportActions } from '../components/ImportActions.tsx';
import { formatBytes, formatDuration, formatNumber, plural } from '../components/format.ts';
import { Time, TimeHeader } from '../components/Time.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { QueryView } from '../components/QueryView.tsx';
import { bridge, unwrap } from '../api/bridge.ts';
import { discardInterruptedImport, getCommittedProgress, listImportErrors, listImports } from '../db/repo.ts';

import type { ImportRow } from '../db/schema.ts';
import { ScoringStatus } from '../import/ScoringStatus.tsx';
import { cancelImport, enqueueImport, sourceFromPicked, useImportQueue, type ImportJob } from '../import/queue.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { WatchedFoldersPanel } from '../watch/WatchedFoldersPanel.tsx';

function JobProgress({ job }: { job: ImportJob }) {
  return (
    <section className="panel" aria-label={`Import ${job.label}`} data-testid="import-job" data-state={job.state}>
      <header className="panel-header">
        <h2>
          {job.label} <span className={`badge badge-${job.state === 'failed' ? 'danger' : job.state === 'done' ? 'success' : 'info'}`}>{job.state}</span>
        </h2>
        {(job.state === 'running' || job.state === 'queued') && (
          <button type="button" className="button" onClick={() => cancelImport(job.id)}>
            Cancel
          </button>
        )}
      </header>
      {job.message && (
        <p className="error-text" role="alert">
          {job.message}
        </p>
      )}
      {job.state !== 'running' && job.state !== 'queued' ? (
        <p className="muted small">
          {plural(job.files.length, 'file')} · {formatNumber(job.files.reduce((sum, file) => sum + file.records, 0))} records ·{' '}
          {formatNumber(job.files.reduce((sum, file) => sum + file.rejected, 0))} rejected · details in the history below
        </p>
      ) : (
        <ul className="progress-list">
          {job.files.map((file) => {
            const fraction = file.size ? Math.min(1, file.bytes / file.size) : file.state === 'done' ? 1 : 0;
            const elapsed = file.elapsedMs / 1000;
            const rate = elapsed > 0 ? file.records / elapsed : 0;
            const left = fraction > 0 && fraction < 1 ? (elapsed / fraction) * (1 - fraction) : 0;
            return (
              <li key={file.name}>
                <div className="progress-label">
                  <span className="mono">{file.name}</span>
                  <span className="muted small">
                    {formatBytes(file.bytes)} of {formatBytes(file.size)} · {formatNumber(file.records)} records
                    {file.rejected ? ` · ${formatNumber(file.rejected)} rejected` : ''}
                    {rate > 0 && file.state !== 'done' ? ` · ${formatNumber(Math.round(rate))}/s · ${Math.ceil(left)} s left` : ''}
                    {file.results?.map((result) => (result.fatal ? ` · ${result.file}: ${result.fatal.reason}` : '')).join('')}
                  </span>
                </div>
                <progress max={1} value={fraction} aria-label={`Progress of ${file.name}`} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function ImportHistoryRow({ row }: { row: ImportRow }) {
  const [open, setOpen] = useState(false);
  const errors = useStoreQuery(() => (open ? listImportErrors(row.id) : Promise.resolve([])), [open, row.id]);
  const totals = row.files.reduce((sum, file) => ({ added: sum.added + file.added, errors: sum.errors + file.errorCount }), { added: 0, errors: 0 });
  return (
    <>
      <tr>
        <td className="nowrap">
          <Time value={row.startedAt} bare />
        </td>
        <td>{row.state}</td>
        <td>
          <ul className="file-results">
            {row.files.map((file) => (
              <li key={file.file}>
                <span className="mono">{file.file}</span> —{' '}
                {file.unchangedSince !== undefined ? (
                  <span className="muted" data-testid="unchanged-file">
                    already imported on <Time value={file.unchangedSince} /> — unchanged
                  </span>
                ) : file.skipped ? (
                  <span className="muted">skipped: {file.skipped}</span>
                ) : (
                  (file.formatLabel ?? <span className="error-text">{file.fatal?.reason ?? 'not recognized'}</span>)
                )}
                {file.formatLabel && file.fatal && <span className="error-text"> · stopped: {file.fatal.reason}</span>}
                {file.dateOrder && <DateOrderNote order={file.dateOrder} guessed={file.dateOrderGuessed === true} />}
                {file.cleaned && (
                  <span className="warning-text small" data-testid="cleaned-values">
                    {' '}
                    · {plural(file.cleaned.values, 'field value')} cleaned (first: record {file.cleaned.first.record}, {file.cleaned.first.field}:{' '}
                    {file.cleaned.first.reason})
                  </span>
                )}
                <span className="muted small">
                  {' '}
                  · {formatBytes(file.size)} · {formatNumber(file.accepted)} accepted ({formatNumber(file.added)} new, {formatNumber(file.updated)} updated,{' '}
                  {formatNumber(file.unchanged)} unchanged) · {formatNumber(file.rejected)} rejected · {formatNumber(file.unattributed)} unattributed ·{' '}
                  {formatDuration(file.durationMs)}
                </span>
                {file.sha256 && (
                  <span className="muted small">
                    {' '}
                    · SHA-256{' '}
                    <abbr className="mono" title={file.sha256} data-testid="file-sha256" data-sha256={file.sha256}>
                      {file.sha256.slice(0, 12)}…
                    </abbr>
                  </span>
                )}
              </li>
            ))}
          </ul>
        </td>
        <td className="numeric">{formatNumber(totals.added)}</td>
        <td className="numeric nowrap">
          {totals.errors > 0 ? (
            <button type="button" className="button link" onClick={() => setOpen(!open)} aria-expanded={open}>
              {plural(totals.errors, 'error')}
            </button>
          ) : (
            '0'
          )}
        </td>
      </tr>
      {open && (
        <tr>
          <td colSpan={5}>
            <QueryView state={errors}>
              {(list) => (
                <ul className="error-list" data-testid="import-errors">
                  {list.map((error) => (
                    <li key={error.seq}>
                      <span className="mono">{error.file}</span>
                      {error.line !== undefined && `, line ${error.line}`}
                      {error.record !== undefined && `, record ${error.record}`}
                      {error.field && `, field ${error.field}`}: {error.reason}
                    </li>
                  ))}
                </ul>
              )}
            </QueryView>
          </td>
        </tr>
      )}
    </>
  );
}

/** An import cut short by a crash or a closed window: only whole batches were kept. */
function InterruptedImport({ row }: { row: ImportRow }) {
  const progress = useStoreQuery(() => getCommittedProgress(row.id), [row.id]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const act = (action: () => Promise<unknown>) => () => {
    setBusy(true);
    setError(undefined);
    action()
      .catch((reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)))
      .finally(() => setBusy(false));
  };
  const resume = act(async () => {
    const files = unwrap(await bridge.openFiles());
    enqueueImport(`Resume: ${files.length === 1 ? files[0]!.name : `${files.length} files`}`, files.map(sourceFromPicked), { resumeOf: row.id });
  });
  const discard = act(() => discardInterruptedImport(row.id));
  return (
    <section className="panel warning-panel" data-testid="interrupted-import" aria-label="Interrupted import">
      <h2>An import was interrupted</h2>
      <p>
        The import started <Time value={row.startedAt} /> stopped before it finished
        {progress.status === 'ready' ? ` after ${formatNumber(progress.data.batches)} whole batches (${formatNumber(progress.data.records)} records)` : ''}.
        Nothing from an unfinished batch was kept. Resume by picking the same files again (batches already stored are skipped), or discard what it stored.
      </p>
      <div className="form-actions">
        <button type="button" className="button primary" onClick={resume} disabled={busy} data-testid="resume-import">
          Resume…
        </button>
        <button type="button" className="button" onClick={discard} disabled={busy} data-testid="discard-import">
          Discard its records
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}

export function ImportsView() {
  const jobs = useImportQueue((state) => state.jobs);
  const history = useStoreQuery(listImports, []);
  return (
    <div className="view">
      <ViewHeader
        title="Imports"
        subtitle="Drop export files or a folder anywhere in the window, or pick them here. The format of each file is recognized from its content."
      />
      <section className="drop-hint panel">
        <ImportActions />
        <ScoringStatus />
      </section>
      <QueryView state={history}>
        {(rows) => (
          <>
            {rows
              .filter((row) => row.state === 'interrupted')
              .map((row) => (
                <InterruptedImport key={row.id} row={row} />
              ))}
          </>
        )}
      </QueryView>
      <WatchedFoldersPanel />
      {jobs.map((job) => (
        <JobProgress key={job.id} job={job} />
      ))}
      <section className="panel" aria-labelledby="import-history-heading">
        <h2 id="import-history-heading">History</h2>
        <QueryView state={history}>
          {(rows) =>
            rows.length === 0 ? (
              <p className="muted" data-testid="empty-history">
                Nothing imported yet. Imports and their errors are listed here, newest first.
              </p>
            ) : (
              <table className="table" data-testid="import-history" aria-label="Import history">
                <thead>
                  <tr>
                    <th scope="col">
                      <TimeHeader label="Started" />
                    </th>
                    <th scope="col">State</th>
                    <th scope="col">Files</th>
                    <th scope="col">New records</th>
                    <th scope="col">Errors</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <ImportHistoryRow key={row.id} row={row} />
                  ))}
                </tbody>
              </table>
            )
          }
        </QueryView>
      </section>
    </div>
  );
}

/** How the file's slash dates were read: worth a look when its own dates could not tell. */
function DateOrderNote({ order, guessed }: { order: 'month-first' | 'day-first'; guessed: boolean }) {
  const read = order === 'day-first' ? 'day first (05/03 = 5 March)' : 'month first (05/03 = May 3)';
  return guessed ? (
    <span
      className="warning-text small"
      data-testid="date-order"
      data-guessed="true"
      title="No date in the file's first 5,000 records had a day past the 12th, so its order could not be told"
    >
      {' '}
      · dates read {read}: the file's own dates did not say, check a record
    </span>
  ) : (
    <span className="muted small" data-testid="date-order">
      {' '}
      · dates read {read}
    </span>
  );
}
