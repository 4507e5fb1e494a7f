import { useState } from 'react';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { formatNumber } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { RecordDetails } from '../components/RecordDetails.tsx';
import type { ActivityItem, AnyStoredRecord, Cursor, Page } from '../db/repo.ts';
import { usePagedQuery } from '../state/usePagedQuery.ts';

/** A newest-first list of one kind of record, with a details drawer. Alerts and Activities are both this. */
export function RecordListView<T extends AnyStoredRecord | ActivityItem>({
  title,
  subtitle,
  emptyTitle,
  fetchPage,
  columns,
  testId,
}: {
  title: string;
  subtitle: string;
  emptyTitle: string;
  fetchPage: (limit: number, after?: Cursor) => Promise<Page<T>>;
  columns: Column<T>[];
  testId: string;
}) {
  const { state, showMore } = usePagedQuery(fetchPage);
  const [selected, setSelected] = useState<T>();
  return (
    <div className="view with-drawer">
      <div className="view-main">
        <header className="view-header">
          <h1>{title}</h1>
          <p className="subtitle">{subtitle}</p>
        </header>
        <QueryView state={state}>
          {({ rows, hasMore }) =>
            rows.length === 0 ? (
              <EmptyState title={emptyTitle} />
            ) : (
              <>
                <DataTable columns={columns} rows={rows} selectedId={selected?.id} onOpen={setSelected} testId={testId} label={title} />
                <footer className="table-footer">
                  <span data-testid={`${testId}-count`}>{formatNumber(rows.length)} shown</span>
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
