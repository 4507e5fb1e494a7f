import { useState } from 'react';
import type { Cursor, Page } from '../db/repo.ts';
import { useStoreQuery } from './useStoreQuery.ts';

/** Keyset-paged rows: "Show more" fetches the next page after the last row, never by offset. */
export function usePagedQuery<T>(fetchPage: (limit: number, after?: Cursor) => Promise<Page<T>>, pageSize = 100) {
  const [pageCount, setPageCount] = useState(1);
  const state = useStoreQuery(async () => {
    const rows: T[] = [];
    let cursor: Cursor | undefined;
    for (let i = 0; i < pageCount; i++) {
      const page = await fetchPage(pageSize, cursor);
      rows.push(...page.rows);
      cursor = page.next;
      if (!cursor) break;
    }
    return { rows, hasMore: Boolean(cursor) };
  }, [pageCount, fetchPage]);
  return { state, showMore: () => setPageCount((count) => count + 1) };
}
