import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { Cursor, Page } from '../db/repo.ts';
import { useImportQueue } from '../import/queue.ts';
import { useDisabledSources } from '../settings/sources.ts';

export type KeysetList<T> =
  | { status: 'loading'; key: string }
  | { status: 'error'; key: string; error: string }
  | { status: 'ready'; key: string; rows: T[]; next?: Cursor; loadingMore: boolean };

/** Most rows re-read at once when an import commits while the analyst is deep in a list. */
const MAX_RELOAD_ROWS = 5000;

/**
 * Rows of one filter, in keyset pages: the first page when `key` (the filter's canonical form) changes,
 * the next page after the last row on `loadMore` (scrolling near the end, or "Show more"). The state names
 * the key it holds, so a view can say when the first page *for this filter* is on screen. An import that
 * commits re-reads as many rows as are shown, so the list does not jump back to the top.
 */
export function useKeysetList<T extends { time: number; id: string }>(
  key: string,
  fetchPage: (limit: number, after?: Cursor) => Promise<Page<T>>,
  pageSize = 100,
): { list: KeysetList<T>; loadMore: () => void; reload: () => void } {
  const dataVersion = useImportQueue((state) => state.dataVersion);
  const disabledSources = useDisabledSources();
  const [list, setList] = useState<KeysetList<T>>({ status: 'loading', key });
  const fetchRef = useRef(fetchPage);
  const listRef = useRef(list);
  // Layout effects run before the effects below: the first-page effect reads this render's query.
  useLayoutEffect(() => {
    fetchRef.current = fetchPage;
    listRef.current = list;
  });
  const shownKey = useRef<string>(undefined);
  // Bumped after the view itself writes (bulk triage), which no import announces.
  const [revision, setRevision] = useState(0);

  useEffect(() => {
    let live = true;
    const current = listRef.current;
    // Same filter, new data: keep the analyst's place. A new filter starts at its first page.
    const sameFilter = shownKey.current === key && current.status === 'ready';
    const limit = sameFilter ? Math.min(Math.max(pageSize, current.rows.length), MAX_RELOAD_ROWS) : pageSize;
    if (!sameFilter) setList({ status: 'loading', key });
    fetchRef.current(limit).then(
      (page) => {
        if (!live) return;
        shownKey.current = key;
        setList({ status: 'ready', key, rows: page.rows, next: page.next, loadingMore: false });
      },
      (error: unknown) => live && setList({ status: 'error', key, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [key, dataVersion, disabledSources, pageSize, revision]);

  const loadMore = useCallback(() => {
    const current = listRef.current;
    if (current.status !== 'ready' || !current.next || current.loadingMore) return;
    const forKey = current.key;
    const after = current.next;
    // Marked at once, not at the next render: a scroll and a click in the same frame must ask for the page once.
    listRef.current = { ...current, loadingMore: true };
    setList(listRef.current);
    fetchRef.current(pageSize, after).then(
      (page) =>
        setList((latest) =>
          latest.status === 'ready' && latest.key === forKey && latest.next === after
            ? { ...latest, rows: [...latest.rows, ...page.rows], next: page.next, loadingMore: false }
            : latest,
        ),
      (error: unknown) =>
        setList((latest) => (latest.key === forKey ? { status: 'error', key: forKey, error: error instanceof Error ? error.message : String(error) } : latest)),
    );
  }, [pageSize]);

  const reload = useCallback(() => setRevision((value) => value + 1), []);
  return { list, loadMore, reload };
}
