import { useCallback, useState } from 'react';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { formatNumber } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { RecordDetails } from '../components/RecordDetails.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import type { ActivityItem, AnyStoredRecord, Cursor, Page } from '../db/repo.ts';
import { usePagedQuery } from '../state/usePagedQuery.ts';

/**
 * A newest-first list of one kind of record, searchable, with a details drawer that follows j/k while
 * open. Alerts, Activities and (with their own detail page) Incidents are all this.
 */
export function RecordListView<T extends AnyStoredRecord | ActivityItem>({
  title,
  subtitle,
  emptyTitle,
  searchLabel,
  fetchPage,
  columns,
  testId,
  onOpen,
}: {
  title: string;
  subtitle: string;
  emptyTitle: string;
  searchLabel: string;
  /** One keyset page of rows matching the search text ('' for all). Must be stable across renders. */
  fetchPage: (text: string, limit: number, after?: Cursor) => Promise<Page<T>>;
  columns: Column<T>[];
  testId: string;
  /** Opens a row somewhere else (a detail page) instead of the drawer. */
  onOpen?: (row: T) => void;
}) {
  const [text, setText] = useState('');
  const fetchMatching = useCallback((limit: number, after?: Cursor) => fetchPage(text, limit, after), [fetchPage, text]);
  const { state, showMore } = usePagedQuery(fetchMatching);
  const [selected, setSelected] = useState<T>();
  return (
    <div className="view">
      <div className="view-main">
        <ViewHeader title={title} subtitle={subtitle} actions={<SearchBox label={searchLabel} placeholder={searchLabel} onSearch={setText} />} />
        <QueryView state={state}>
          {({ rows, hasMore }) =>
            rows.length === 0 ? (
              text ? (
                <EmptyState title={`Nothing matches “${text}”`} actions={false}>
                  <p>Try fewer words, or clear the search with Escape.</p>
                </EmptyState>
              ) : (
                <EmptyState title={emptyTitle} />
              )
            ) : (
              <>
                <DataTable
                  columns={columns}
                  rows={rows}
                  selectedId={selected?.id}
                  onOpen={onOpen ?? setSelected}
                  onMove={(row) => selected && setSelected(row)}
                  testId={testId}
                  label={title}
                />
                <footer className="table-footer">
                  <span data-testid={`${testId}-count`}>
                    {formatNumber(rows.length)} shown{hasMore ? ', more below' : ''}
                  </span>
                  {hasMore && (
                    <button type="button" className="button" onClick={showMore}>
                      Show more
                    </button>
                  )}
                </footer>
              </>
            )
          }
        </QueryView>
      </div>
      {selected && <RecordDetails record={selected} onClose={() => setSelected(undefined)} />}
    </div>
  );
}
