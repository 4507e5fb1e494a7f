import type { ReactNode } from 'react';
import type { QueryState } from '../state/useStoreQuery.ts';

/** One place for the loading and error states every view needs. */
export function QueryView<T>({
  state,
  children,
  loadingLabel = 'Loading…',
}: {
  state: QueryState<T>;
  children: (data: T) => ReactNode;
  loadingLabel?: string;
}) {
  if (state.status === 'loading') {
    // Shown only after a short delay (CSS), so fast queries do not flash a placeholder.
    return (
      <div className="loading" role="status" aria-live="polite" data-testid="loading">
        <span className="spinner" aria-hidden="true" />
        {loadingLabel}
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="error-panel" role="alert" data-testid="query-error">
        <strong>Could not read the workspace.</strong> {state.error}
        <div>
          <button type="button" className="button" onClick={() => window.location.reload()}>
            Reload
          </button>
        </div>
      </div>
    );
  }
  return <>{children(state.data)}</>;
}
