import { useState } from 'react';
import { formatNumber, formatTime } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { db } from '../db/index.ts';
import { DEFAULT_RETENTION_DAYS, listPurges, previewRetention, purgeOlderThan, type RetentionPreview } from '../db/retention.ts';
import type { RetentionCounts } from '../db/schema.ts';
import { useImportQueue } from '../import/queue.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';

const labels: [keyof RetentionCounts, string][] = [
  ['activities', 'activities and sign-ins'],
  ['alerts', 'alerts'],
  ['riskDetections', 'risk detections'],
  ['riskyUsers', 'risky-user records'],
  ['incidents', 'incidents'],
];

function describeCounts(counts: RetentionCounts): string {
  const parts = labels.filter(([key]) => counts[key] > 0).map(([key, label]) => `${formatNumber(counts[key])} ${label}`);
  return parts.length ? parts.join(', ') : 'nothing';
}

/**
 * Settings → Retention: records older than the period (counted back from the newest record, since exports
 * are often read long after they were taken) can be purged, after a preview, and every purge is listed.
 */
export function RetentionPanel() {
  const [days, setDays] = useState(DEFAULT_RETENTION_DAYS);
  const [preview, setPreview] = useState<RetentionPreview | null>();
  const [busy, setBusy] = useState(false);
  const purges = useStoreQuery(() => listPurges(db), []);
  const valid = Number.isInteger(days) && days >= 1 && days <= 3650;

  const runPreview = async () => {
    setBusy(true);
    setPreview((await previewRetention(db, days)) ?? null);
    setBusy(false);
  };
  const purge = async () => {
    setBusy(true);
    await purgeOlderThan(db, days);
    setPreview(undefined);
    setBusy(false);
    useImportQueue.setState((state) => ({ dataVersion: state.dataVersion + 1 }));
  };

  return (
    <section className="panel" aria-labelledby="retention-title" data-testid="retention-panel">
      <h2 id="retention-title">Retention</h2>
      <p className="muted small">
        Purge records older than a period, counted back from the newest record in the workspace. The real products keep activities and alerts for 180 days.
        Nothing is purged without a preview.
      </p>
      <div className="form-actions">
        <label>
          Keep the last{' '}
          <input
            type="number"
            min={1}
            max={3650}
            value={days}
            onChange={(event) => {
              setDays(Number(event.target.value));
              setPreview(undefined);
            }}
            aria-label="Retention period in days"
            data-testid="retention-days"
          />{' '}
          days
        </label>
        <button type="button" className="button" onClick={() => void runPreview()} disabled={!valid || busy} data-testid="retention-preview">
          Preview
        </button>
      </div>
      {preview === null && <p className="muted">The workspace is empty.</p>}
      {preview && (
        <div className="confirm" role="region" aria-label="Retention preview" data-testid="retention-result">
          <p>
            Older than {formatTime(preview.cutoff)}: <strong>{describeCounts(preview.counts)}</strong> would be removed.
          </p>
          <button
            type="button"
            className="button danger"
            onClick={() => void purge()}
            disabled={busy || Object.values(preview.counts).every((count) => count === 0)}
            data-testid="retention-purge"
          >
            Purge these records
          </button>
        </div>
      )}
      <QueryView state={purges}>
        {(rows) =>
          rows.length > 0 && (
            <ul className="file-results" data-testid="retention-log">
              {rows.map((row) => (
                <li key={row.seq}>
                  {formatTime(row.at)}: kept {row.retentionDays} days, removed {describeCounts(row.removed)} older than {formatTime(row.cutoff)}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}
