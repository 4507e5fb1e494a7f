import type { ReactNode } from 'react';
import type { QueryState } from '../state/useStoreQuery.ts';

/** One place for the loading and error states every view needs. */
export function QueryView<T>({ state, children }: { state: QueryState<T>; children: (data: T) => ReactNode }) {
  if (state.status === 'loading') {
    return (
      <div className="loading" role="status" aria-live="polite">
        Loading…
      </div>
    );
  }
  if (state.status === 'error') {
    return (
      <div className="error-panel" role="alert">
        <strong>Could not read the workspace.</strong> {state.error}
      </div>
    );
  }
  return <>{children(state.data)}</>;
}
