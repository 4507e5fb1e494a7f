import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router';
import { sourceLabels, type SourceProduct } from '../../shared/model/records.ts';
import { RiskLevelBadge, SourceLabel } from '../components/Badges.tsx';
import { rowUserLabel, summarize } from '../components/describe.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { PolicyHiddenNote } from '../components/PolicyHiddenNote.tsx';
import {
  ActiveFilters,
  ColumnChooser,
  FilterChips,
  FilterSelect,
  FilterText,
  SavedFilters,
  TimeRange,
  UserFilter,
  type FilterOption,
} from '../components/FilterBar.tsx';
import { formatNumber, humanize, plural } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { RecordDetails } from '../components/RecordDetails.tsx';
import { UserLink } from '../components/RecordLink.tsx';
import { Time, TimeHeader } from '../components/Time.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { VirtualTable, type VirtualColumn } from '../components/VirtualTable.tsx';
import { queueApp, queuePolicy, queueStatus, queueType } from '../db/filters.ts';
import {
  getQueueFacets,
  getRelatedQueueItems,
  listAlertQueue,
  applyQueueTriage,
  setQueueTriage,
  type Cursor,
  type QueueItem,
  type QueueRow,
  type QueueSort,
  type TriagePatch,
} from '../db/repo.ts';
import type { LocalTriage } from '../db/schema.ts';
import { errorMessage, showNotice } from '../state/notices.ts';
import { useKeysetList } from '../state/useKeysetList.ts';
import { useUrlQuery } from '../state/useUrlQuery.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { useWorkbench } from '../state/workbench.ts';
import { alertFilterOf, alertQueryString, parseAlertQuery } from './queue-url.ts';

/** Who a local change is recorded as: Sightline has no accounts, and the workspace is one analyst's. */
const LOCAL_ANALYST = 'Analyst (this workspace)';

const statusOptions: LocalTriage['status'][] = ['new', 'inProgress', 'resolved', 'dismissed'];
const classificationOptions: LocalTriage['classification'][] = ['truePositive', 'benignTruePositive', 'falsePositive'];
const severities = ['high', 'medium', 'low', 'informational'];

export function policyLabel(policy: string): string {
  if (policy === 'ipc:leakedCredentials') return 'Identity Protection · Leaked credentials';
  if (policy === 'ipc:riskySignIn') return 'Identity Protection · Risky sign-in';
  if (policy.startsWith('mdi:')) return `Defender for Identity · ${policy.slice(4)}`;
  return policy;
}

const title = (row: QueueItem) => summarize(row).title;

/**
 * Shown only while the list includes what policies hide: each such row's badge names the policy, with the
 * reason on hover (and in the drawer). A column of its own, so the alert's title stays readable beside it.
 */
const policyHiddenColumn: VirtualColumn<QueueRow> = {
  key: 'policyHidden',
  label: 'Hidden by policy',
  header: 'Hidden by policy',
  render: (row) =>
    row.policyHidden ? (
      <span
        className="badge badge-warning policy-hidden-badge"
        title={`${row.policyHidden.name}: ${row.policyHidden.reason}`}
        data-policy={row.policyHidden.policy}
      >
        {/* The column's header says it on screen; a screen reader reading the cell alone hears it too. */}
        <span className="visually-hidden">Hidden by policy: </span>
        {row.policyHidden.name}
      </span>
    ) : (
      <span className="muted">—</span>
    ),
};

const columns: VirtualColumn<QueueRow>[] = [
  {
    key: 'time',
    label: 'Time',
    header: <TimeHeader label="Time" />,
    render: (row) => <Time value={row.time} bare />,
    className: 'nowrap',
    sort: { ascending: 'time', descending: '-time' },
  },
  { key: 'title', label: 'Alert', header: 'Alert', render: (row) => <span title={title(row)}>{title(row)}</span> },
  {
    key: 'severity',
    label: 'Severity',
    header: 'Severity',
    render: (row) => <RiskLevelBadge level={row.kind === 'alert' ? row.severity : row.riskLevel} />,
    sort: { ascending: 'severity', descending: '-severity' },
  },
  {
    key: 'status',
    label: 'Status',
    header: 'Status',
    render: (row) => (
      <span title={row.local?.status ? `Set in Sightline (source says ${humanize(row.kind === 'alert' ? row.status : row.riskState)})` : undefined}>
        {humanize(queueStatus(row))}
        {row.local?.status && <span className="local-mark"> · local</span>}
      </span>
    ),
  },
  {
    key: 'classification',
    label: 'Classification',
    header: 'Classification',
    render: (row) => humanize(row.local?.classification ?? (row.kind === 'alert' ? row.classification : undefined)),
  },
  { key: 'assignee', label: 'Assignee', header: 'Assignee', render: (row) => row.local?.assignee ?? '—' },
  { key: 'source', label: 'Source', header: 'Source', render: (row) => <SourceLabel source={row.source} short /> },
  { key: 'app', label: 'App', header: 'App', render: (row) => queueApp(row) ?? '—' },
  { key: 'user', label: 'User', header: 'User', render: (row) => <UserLink userId={row.userId} {...rowUserLabel(row)} /> },
  { key: 'type', label: 'Type', header: 'Type', render: (row) => humanize(queueType(row)) },
  {
    key: 'policy',
    label: 'Policy',
    header: 'Policy',
    render: (row) => {
      const p = queuePolicy(row);
      return p ? policyLabel(p) : '—';
    },
  },
  { key: 'ip', label: 'IP address', header: 'IP address', render: (row) => summarize(row).ipAddress ?? '—', className: 'mono nowrap' },
];

/** True from the first render where `value` is true on. */
function useOnceTrue(value: boolean): boolean {
  const [seen, setSeen] = useState(value);
  if (value && !seen) setSeen(true);
  return seen || value;
}

export function AlertsView() {
  const { raw, query, canonical, update, open } = useUrlQuery('/alerts', parseAlertQuery, alertQueryString);
  const { filter, sort } = useMemo(() => alertFilterOf(query), [query]);
  const fetchPage = useCallback((limit: number, after?: Cursor) => listAlertQueue(filter, limit, after, sort), [filter, sort]);
  const { list, loadMore, reload: reloadList } = useKeysetList(canonical, fetchPage);
  // A triage change here is announced by no import: the rows and the option counts (New (8)…) are read again.
  const [edits, setEdits] = useState(0);
  const reload = useCallback(() => {
    reloadList();
    setEdits((count) => count + 1);
  }, [reloadList]);
  // The option counts read the newest queue rows too. Asked for at the same time, they held the store's single
  // backend thread while the first page waited (alerts at 1M: ~220 → ~140 ms from the click to the first row),
  // so they wait until a first page has been shown once.
  const firstPageShown = useOnceTrue(list.status !== 'loading');
  const facets = useStoreQuery(() => getQueueFacets(query.hidden), [query.hidden, edits], { wait: !firstPageShown });
  const hiddenPrefs = useWorkbench((state) => state.hidden.alerts);
  const [opened, setOpened] = useState<QueueRow>();
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [anchor, setAnchor] = useState<number>();
  const [selectionFor, setSelectionFor] = useState(canonical);
  if (selectionFor !== canonical) {
    // A new filter is a new list: a selection made in the old one would act on rows no longer shown.
    setSelectionFor(canonical);
    setSelected(new Set());
    setAnchor(undefined);
  }

  const rows = list.status === 'ready' ? list.rows : [];
  // The drawer shows the row as the list now has it (after a bulk change the list is re-read).
  const openedRow = opened && (rows.find((row) => row.id === opened.id) ?? opened);
  const hidden = new Set(hiddenPrefs);
  const chosen = columns.filter((column) => column.key === 'title' || !hidden.has(column.key));
  const afterTitle = chosen.findIndex((column) => column.key === 'title') + 1;
  const shown = query.hidden ? [...chosen.slice(0, afterTitle), policyHiddenColumn, ...chosen.slice(afterTitle)] : chosen;

  const counts = (field: keyof NonNullable<typeof facetValues>) => new Map(facetValues?.[field] ?? []);
  const facetValues = facets.status === 'ready' ? facets.data.values : undefined;
  const options = (field: keyof NonNullable<typeof facetValues>, label: (value: string) => string = humanize): FilterOption[] =>
    (facetValues?.[field] ?? []).map(([value, count]) => ({ value, label: label(value), count }));
  const severityCounts = counts('severity');

  const toggle = (index: number, range: boolean) => {
    const row = rows[index];
    if (!row) return;
    const next = new Set(selected);
    const on = !selected.has(row.id);
    const [from, to] = range && anchor !== undefined ? [Math.min(anchor, index), Math.max(anchor, index)] : [index, index];
    for (let i = from; i <= to; i++) {
      if (on) next.add(rows[i]!.id);
      else next.delete(rows[i]!.id);
    }
    setSelected(next);
    setAnchor(index);
  };

  // A bulk change is one click on many rows: it says what it did and offers to put it back, rather than ask first.
  const applyTriage = async (patch: TriagePatch) => {
    try {
      const { changed, previous } = await applyQueueTriage(new Map([...selected].map((id) => [id, patch])), LOCAL_ANALYST);
      // Done with these rows: a selection kept after the change would act on rows that may have left the filter.
      setSelected(new Set());
      setAnchor(undefined);
      showNotice({
        tone: 'info',
        message: `${plural(changed, 'alert')} ${describePatch(patch)} in this workspace.`,
        ...(changed > 0 && {
          action: {
            label: 'Undo',
            run: () =>
              void applyQueueTriage(previous, LOCAL_ANALYST).then(
                (undone) => {
                  showNotice({ tone: 'info', message: `Undone: ${plural(undone.changed, 'alert')} back as they were.` });
                  reload();
                },
                (error: unknown) => showNotice({ tone: 'danger', message: errorMessage(error) }),
              ),
          },
        }),
      });
      reload();
    } catch (error) {
      showNotice({ tone: 'danger', message: errorMessage(error) });
    }
  };

  const chips = [
    ...query.source.map((value) => ({
      key: `source ${value}`,
      label: `Source: ${sourceLabels[value as SourceProduct] ?? value}`,
      remove: () => update({ source: query.source.filter((v) => v !== value) }),
    })),
    ...query.app.map((value) => ({ key: `app ${value}`, label: `App: ${value}`, remove: () => update({ app: query.app.filter((v) => v !== value) }) })),
    ...(query.user ? [{ key: 'user', label: `User: ${query.user}`, remove: () => update({ user: undefined }) }] : []),
    ...query.severity.map((value) => ({
      key: `severity ${value}`,
      label: `Severity: ${humanize(value)}`,
      remove: () => update({ severity: query.severity.filter((v) => v !== value) }),
    })),
    ...query.status.map((value) => ({
      key: `status ${value}`,
      label: `Status: ${humanize(value)}`,
      remove: () => update({ status: query.status.filter((v) => v !== value) }),
    })),
    ...query.type.map((value) => ({
      key: `type ${value}`,
      label: `Type: ${humanize(value)}`,
      remove: () => update({ type: query.type.filter((v) => v !== value) }),
    })),
    ...query.policy.map((value) => ({
      key: `policy ${value}`,
      label: `Policy: ${policyLabel(value)}`,
      remove: () => update({ policy: query.policy.filter((v) => v !== value) }),
    })),
    ...(query.hidden
      ? [
          {
            key: 'hidden',
            label: query.hidden === 'only' ? 'Only what policies hide' : 'With what policies hide',
            remove: () => update({ hidden: undefined }),
          },
        ]
      : []),
    ...(query.from
      ? [
          {
            key: 'from',
            label: (
              <>
                From <Time value={Date.parse(query.from)} />
              </>
            ),
            remove: () => update({ from: undefined }),
          },
        ]
      : []),
    ...(query.to
      ? [
          {
            key: 'to',
            label: (
              <>
                Before <Time value={Date.parse(query.to)} />
              </>
            ),
            remove: () => update({ to: undefined }),
          },
        ]
      : []),
    ...(query.q ? [{ key: 'text', label: `Text: “${query.q}”`, remove: () => update({ q: undefined }) }] : []),
  ];
  const filtered = chips.length > 0;

  return (
    <div className="view workbench" data-testid="alerts-view" data-loaded-filter={list.status === 'ready' && list.key === raw ? raw : undefined}>
      <div className="view-main">
        <ViewHeader
          title="Alerts"
          subtitle="Alerts from every source and Identity Protection risk detections. Filters live in the address, so a view can be bookmarked or shared."
          actions={<ColumnChooser list="alerts" columns={columns.filter((column) => column.key !== 'title')} />}
        />
        <section className="filter-bar" aria-label="Filters" data-testid="alerts-filters">
          <FilterText label="Search" value={query.q ?? ''} onChange={(q) => update({ q: q || undefined })} testId="filter-text" />
          <FilterChips
            label="Severity"
            values={query.severity}
            options={severities.map((value) => ({ value, label: humanize(value), count: severityCounts.get(value) ?? (facetValues ? 0 : undefined) }))}
            onChange={(severity) => update({ severity })}
            testId="filter-severity"
          />
          <FilterSelect
            label="Source"
            values={query.source}
            options={options('source', (v) => sourceLabels[v as SourceProduct] ?? v)}
            onChange={(source) => update({ source })}
            testId="filter-source"
          />
          <FilterSelect label="App" values={query.app} options={options('app', (v) => v)} onChange={(app) => update({ app })} testId="filter-app" />
          <FilterSelect label="Status" values={query.status} options={options('status')} onChange={(status) => update({ status })} testId="filter-status" />
          <FilterSelect label="Type" values={query.type} options={options('type')} onChange={(type) => update({ type })} testId="filter-type" />
          <FilterSelect
            label="Policy"
            values={query.policy}
            options={options('policy', policyLabel)}
            onChange={(policy) => update({ policy })}
            testId="filter-policy"
          />
          <UserFilter value={query.user} onChange={(user) => update({ user })} testId="filter-user" />
          <TimeRange from={query.from} to={query.to} onChange={(range) => update(range)} />
        </section>
        {facets.status === 'ready' && facets.data.capped && (
          <p className="filter-note">
            Option counts are from the newest {formatNumber(facets.data.sampled)} of {formatNumber(facets.data.total)} alerts and detections.
          </p>
        )}
        <ActiveFilters chips={chips} onClear={() => open('')} />
        <PolicyHiddenNote view={query.hidden} onView={(view) => update({ hidden: view === 'hide' ? undefined : view })} />
        <SavedFilters list="alerts" query={canonical} onOpen={open} />
        {selected.size > 0 && <BulkBar count={selected.size} onApply={(patch) => void applyTriage(patch)} onClear={() => setSelected(new Set())} />}
        <QueryView state={list.status === 'ready' ? { status: 'ready', data: list } : list.status === 'error' ? list : { status: 'loading' }}>
          {(ready) =>
            ready.rows.length === 0 ? (
              filtered ? (
                <EmptyState title="No alert matches these filters" actions={false}>
                  <p>
                    Remove a filter above, or{' '}
                    <button type="button" className="button link" onClick={() => open('')}>
                      clear them all
                    </button>
                    .
                  </p>
                </EmptyState>
              ) : (
                <EmptyState title="No alerts yet" />
              )
            ) : (
              <>
                <VirtualTable
                  columns={shown}
                  rows={ready.rows}
                  selectedId={openedRow?.id}
                  onOpen={setOpened}
                  onMove={(row) => opened && setOpened(row)}
                  selection={{
                    selected,
                    onToggle: toggle,
                    onToggleAll: (on) => setSelected(on ? new Set(ready.rows.map((row) => row.id)) : new Set()),
                  }}
                  sort={sort}
                  onSort={(next) => update({ sort: next === '-time' ? undefined : (next as QueueSort) })}
                  hasMore={Boolean(ready.next)}
                  onNearEnd={loadMore}
                  testId="alerts-table"
                  label="Alerts"
                  rowLabel={title}
                />
                <footer className="table-footer">
                  <span data-testid="alerts-table-count" aria-live="polite">
                    {formatNumber(ready.rows.length)} shown{ready.next ? ', more load as you scroll' : ''}
                    {selected.size > 0 && ` · ${formatNumber(selected.size)} selected`}
                  </span>
                  {ready.next && (
                    <button type="button" className="button" onClick={loadMore} disabled={ready.loadingMore}>
                      {ready.loadingMore ? 'Loading…' : 'Show more'}
                    </button>
                  )}
                </footer>
              </>
            )
          }
        </QueryView>
      </div>
      {openedRow && (
        <RecordDetails record={openedRow} onClose={() => setOpened(undefined)}>
          {openedRow.policyHidden && (
            <section className="drawer-section policy-hidden-section" aria-label="Hidden by policy" data-testid="policy-hidden-details">
              <h3>Hidden by policy</h3>
              <p>
                <strong>{openedRow.policyHidden.name}</strong>: {openedRow.policyHidden.reason}. It is left out of the queue and the scores until the policy
                changes. <Link to="/settings">Review the policies</Link>
              </p>
            </section>
          )}
          <AlertTriage item={openedRow} onChanged={reload} />
          <RelatedAlerts item={openedRow} onOpen={setOpened} />
        </RecordDetails>
      )}
    </div>
  );
}

/** What a bulk patch set, in words: `set to Resolved`, `assigned to ana`, `unassigned`. */
function describePatch(patch: TriagePatch): string {
  const parts: string[] = [];
  if (patch.status) parts.push(`set to ${humanize(patch.status)}`);
  if (patch.classification) parts.push(`classified ${humanize(patch.classification)}`);
  if ('assignee' in patch) parts.push(patch.assignee ? `assigned to ${patch.assignee}` : 'unassigned');
  return parts.join(', ') || 'updated';
}

/** Status, classification and assignee for the selected rows, written to the local triage. */
function BulkBar({ count, onApply, onClear }: { count: number; onApply: (patch: TriagePatch) => void; onClear: () => void }) {
  const [assignee, setAssignee] = useState('');
  return (
    <div className="bulk-bar" role="region" aria-label="Bulk actions" data-testid="bulk-bar">
      <strong>{formatNumber(count)} selected</strong>
      <label>
        Status{' '}
        <select data-testid="bulk-status" value="" onChange={(event) => event.target.value && onApply({ status: event.target.value as LocalTriage['status'] })}>
          <option value="">Set…</option>
          {statusOptions.map((status) => (
            <option key={status} value={status}>
              {humanize(status)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Classification{' '}
        <select
          data-testid="bulk-classification"
          value=""
          onChange={(event) => event.target.value && onApply({ classification: event.target.value as LocalTriage['classification'] })}
        >
          <option value="">Set…</option>
          {classificationOptions.map((value) => (
            <option key={value} value={value}>
              {humanize(value)}
            </option>
          ))}
        </select>
      </label>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          onApply({ assignee: assignee.trim() });
          setAssignee('');
        }}
      >
        <input
          className="filter-input"
          aria-label="Assign to"
          placeholder="Assign to…"
          data-testid="bulk-assignee"
          value={assignee}
          onChange={(event) => setAssignee(event.target.value)}
        />
        <button type="submit" className="button">
          {assignee.trim() ? 'Assign' : 'Unassign'}
        </button>
      </form>
      <button type="button" className="button link" onClick={onClear}>
        Clear selection
      </button>
    </div>
  );
}

/** The analyst's triage of one item and every change to it, newest last. */
function AlertTriage({ item, onChanged }: { item: QueueItem; onChanged: () => void }) {
  const set = (patch: TriagePatch) =>
    void setQueueTriage([item.id], patch, LOCAL_ANALYST).then(onChanged, (error: unknown) => showNotice({ tone: 'danger', message: errorMessage(error) }));
  return (
    <section className="drawer-section" aria-label="Triage in this workspace" data-testid="alert-triage">
      <h3>Triage in this workspace</h3>
      <div className="triage-controls">
        <label>
          Status{' '}
          <select value={item.local?.status ?? ''} onChange={(event) => set({ status: (event.target.value || undefined) as LocalTriage['status'] })}>
            <option value="">As the source says ({humanize(item.kind === 'alert' ? item.status : item.riskState)})</option>
            {statusOptions.map((status) => (
              <option key={status} value={status}>
                {humanize(status)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Classification{' '}
          <select
            value={item.local?.classification ?? ''}
            onChange={(event) => set({ classification: (event.target.value || undefined) as LocalTriage['classification'] })}
          >
            <option value="">Not classified</option>
            {classificationOptions.map((value) => (
              <option key={value} value={value}>
                {humanize(value)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {item.local?.log?.length ? (
        <ol className="triage-log" data-testid="triage-log">
          {item.local.log.map((entry, index) => (
            <li key={index}>
              <Time value={entry.at} /> {entry.by}:{' '}
              {Object.entries(entry.changes)
                .map(
                  ([field, change]) =>
                    `${field} ${humanize(change.from) === '—' ? '' : `${humanize(change.from)} → `}${change.to ? humanize(change.to) : 'cleared'}`,
                )
                .join('; ')}
            </li>
          ))}
        </ol>
      ) : (
        <p className="muted">No local changes yet. Imports never overwrite what is set here.</p>
      )}
    </section>
  );
}

function RelatedAlerts({ item, onOpen }: { item: QueueItem; onOpen: (item: QueueRow) => void }) {
  const related = useStoreQuery(() => getRelatedQueueItems(item), [item.id]);
  const list = (items: QueueItem[], empty: string) =>
    items.length ? (
      <ul className="related-list">
        {items.map((other) => (
          <li key={other.id}>
            <button type="button" className="button link" onClick={() => onOpen(other)}>
              {summarize(other).title}
            </button>{' '}
            <RiskLevelBadge level={other.kind === 'alert' ? other.severity : other.riskLevel} /> <Time value={other.time} />
          </li>
        ))}
      </ul>
    ) : (
      <p className="muted">{empty}</p>
    );
  return (
    <section className="drawer-section" aria-label="Related alerts" data-testid="related-alerts">
      <h3>Related alerts</h3>
      <QueryView state={related}>
        {({ sameUser, sameType }) => (
          <>
            <h4>
              Same user{' '}
              {item.userId && (
                <Link to={`/alerts?user=${encodeURIComponent(item.userId)}`} className="small-link">
                  all of this user’s alerts
                </Link>
              )}
            </h4>
            {list(sameUser, item.userId ? 'No other alert names this user.' : 'Unattributed.')}
            <h4>
              Same type{' '}
              <Link to={`/alerts?${new URLSearchParams({ type: queueType(item) })}`} className="small-link">
                all of this type
              </Link>
            </h4>
            {list(sameType, 'No other alert of this type.')}
          </>
        )}
      </QueryView>
    </section>
  );
}
