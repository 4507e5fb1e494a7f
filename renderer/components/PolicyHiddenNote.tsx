import { Link } from 'react-router';
import type { PolicyHiddenView } from '../db/filters.ts';
import { getLastRescore } from '../db/repo.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { formatNumber } from './format.ts';

/**
 * Says how many alerts the policies keep out of the queue, so an empty or short queue is never a
 * mystery, and lets the analyst list them (marked) to audit what a policy suppresses. The count is the
 * last rescoring's (it judges every item with the same policies the queue applies), read from one
 * stored row rather than by scanning the alerts again.
 */
export function PolicyHiddenNote({ view = 'hide', onView }: { view?: PolicyHiddenView; onView: (view: PolicyHiddenView) => void }) {
  const last = useStoreQuery(getLastRescore, []);
  if (last.status !== 'ready' || !last.data?.hiddenByPolicy) return null;
  const hidden = Object.values(last.data.hiddenByPolicy).reduce((sum, count) => sum + count, 0);
  if (hidden === 0) return null;
  const count = `${formatNumber(hidden)} ${hidden === 1 ? 'alert or detection' : 'alerts and detections'}`;
  const choice = (to: PolicyHiddenView, label: string, testId: string) => (
    <button type="button" className="button link" onClick={() => onView(to)} data-testid={testId}>
      {label}
    </button>
  );
  return (
    <p className="filter-note" data-testid="policy-hidden-note" data-view={view}>
      {view === 'hide' ? (
        <>
          {count} {hidden === 1 ? 'is' : 'are'} hidden by policies. {choice('show', 'Show them, marked', 'policy-hidden-show')} ·{' '}
          {choice('only', 'Only them', 'policy-hidden-only')} ·{' '}
        </>
      ) : (
        <>
          {view === 'show' ? `Listed with the others: the ${count} policies hide, each marked.` : `Only the ${count} policies hide.`}{' '}
          {view === 'show' ? choice('only', 'Only them', 'policy-hidden-only') : choice('show', 'With the others', 'policy-hidden-show')} ·{' '}
          {choice('hide', 'Hide them again', 'policy-hidden-hide')} ·{' '}
        </>
      )}
      <Link to="/settings">Review the policies</Link>
    </p>
  );
}
