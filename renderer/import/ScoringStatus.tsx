import { formatDuration, formatNumber } from '../components/format.ts';
import { Time } from '../components/Time.tsx';
import { getLastRescore } from '../db/repo.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { useImportQueue } from './queue.ts';

/**
 * One line under the imports: whether priority scores are being recomputed, and how long the last
 * recomputation took for how many users. Scores lag an import by this long, so the analyst should
 * see it; `data-state` and `data-ms` are also what the benchmark reads.
 */
export function ScoringStatus() {
  const live = useImportQueue((state) => state.scoring);
  const stored = useStoreQuery(getLastRescore, []);
  const last = stored.status === 'ready' ? stored.data : undefined;
  if (live?.running)
    return (
      <p className="muted small" data-testid="scoring-status" data-state="running" role="status">
        Recomputing investigation priority for every user…
      </p>
    );
  if (live?.message)
    return (
      <p className="error-text small" data-testid="scoring-status" data-state="failed" role="status">
        {live.message} The previous scores are kept.
      </p>
    );
  if (!last) return null;
  return (
    <p className="muted small" data-testid="scoring-status" data-state="done" data-ms={Math.round(last.ms)} data-users={last.users} role="status">
      Investigation priority computed for {formatNumber(last.users)} users in {formatDuration(last.ms)}, <Time value={last.at} />, on data up to{' '}
      <Time value={last.asOf} /> (algorithm {last.algorithmVersion}).
    </p>
  );
}
