import { useEffect, useState } from 'react';
import { useImportQueue } from '../import/queue.ts';
import { useDisabledSources } from '../settings/sources.ts';

export type QueryState<T> = { status: 'loading' } | { status: 'ready'; data: T } | { status: 'error'; error: string };

/**
 * Runs a repository query and re-runs it when its inputs change or an import commits data.
 * Records stay in the store; this only holds what one view shows. With `wait`, it stays loading and asks
 * nothing until `wait` turns false (a view's secondary query that would slow its first page down).
 */
export function useStoreQuery<T>(query: () => Promise<T>, deps: readonly unknown[], options: { wait?: boolean } = {}): QueryState<T> {
  const dataVersion = useImportQueue((state) => state.dataVersion);
  // Turning a source off or on in Settings changes what every query returns.
  const disabledSources = useDisabledSources();
  const [state, setState] = useState<QueryState<T>>({ status: 'loading' });
  const wait = options.wait ?? false;
  useEffect(() => {
    if (wait) return;
    let live = true;
    query().then(
      (data) => live && setState({ status: 'ready', data }),
      (error: unknown) => live && setState({ status: 'error', error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- callers pass the query's inputs as deps
  }, [dataVersion, disabledSources, wait, ...deps]);
  return state;
}
