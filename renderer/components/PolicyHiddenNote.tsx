import { Link } from 'react-router';
import { getLastRescore } from '../db/repo.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { formatNumber } from './format.ts';

/**
 * Says how many alerts the policies keep out of the queue, so an empty or short queue is never a
 * mystery. The count is the last rescoring's (it judges every item with the same policies the queue
 * applies), read from one stored row rather than by scanning the alerts again.
 */
export function PolicyHiddenNote() {
  const last = useStoreQuery(getLastRescore, []);
  if (last.status !== 'ready' || !last.data?.hiddenByPolicy) return null;
  const hidden = Object.values(last.data.hiddenByPolicy).reduce((sum, count) => sum + count, 0);
  if (hidden === 0) return null;
  return (
    <p className="filter-note" data-testid="policy-hidden-note">
      {formatNumber(hidden)} {hidden === 1 ? 'alert or detection is' : 'alerts and detections are'} hidden by policies.{' '}
      <Link to="/settings">Review the policies</Link>
    </p>
  );
}
