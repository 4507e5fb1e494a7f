import { useCallback, useMemo, useState } from 'react';
import { ResultBadge, RiskLevelBadge } from '../components/Badges.tsx';
import { rowUserLabel, summarize } from '../components/describe.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import {
  ActiveFilters,
  ColumnChooser,
  FilterChips,
  FilterInput,
  FilterSelect,
  FilterText,
  SavedFilters,
  TimeRange,
  UserFilter,
} from '../components/FilterBar.tsx';
import { formatNumber, humanize } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { RecordDetails } from '../components/RecordDetails.tsx';
import { UserLink } from '../components/RecordLink.tsx';
import { Time, TimeHeader } from '../components/Time.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { VirtualTable, type VirtualColumn } from '../components/VirtualTable.tsx';
import { activityPresets, activityType, type ActivityPreset } from '../db/filters.ts';
import { getActivityFacets, listActivities, type ActivityItem, type Cursor, type Named } from '../db/repo.ts';
import { useKeysetList } from '../state/useKeysetList.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { useUrlQuery } from '../state/useUrlQuery.ts';
import { useWorkbench } from '../state/workbench.ts';
import { activityFilterOf, activityQueryString, aroundInstant, emptyActivityQuery, parseActivityQuery, type ActivityQuery } from './queue-url.ts';

const appOf = (row: ActivityItem) => summarize(row).app;

/** Pivots: from one event to the activity that shares its user, address or country, or its time. */
export function pivotQuery(row: ActivityItem, pivot: 'user' | 'ip' | 'country' | 'around', current: ActivityQuery): ActivityQuery | undefined {
  if (pivot === 'user') return row.userId ? { ...emptyActivityQuery, user: row.userId } : undefined;
  if (pivot === 'ip') return row.ipAddress ? { ...emptyActivityQuery, ip: row.ipAddress } : undefined;
  if (pivot === 'country') return row.location?.country ? { ...emptyActivityQuery, country: row.location.country } : undefined;
  // The time window narrows what is already filtered (this user's, this address's) rather than replacing it.
  return { ...current, ...aroundInstant(row.time) };
}

export function ActivitiesView() {
  const { raw, query, canonical, update, open } = useUrlQuery('/activities', parseActivityQuery, activityQueryString);
  const filter = useMemo(() => activityFilterOf(query), [query]);
  const fetchPage = useCallback((limit: number, after?: Cursor) => listActivities(filter, limit, after), [filter]);
  const { list, loadMore } = useKeysetList(canonical, fetchPage);
  const facets = useStoreQuery(() => getActivityFacets(), []);
  const hidden = new Set(useWorkbench((state) => state.hidden.activities));
  const [opened, setOpened] = useState<ActivityItem>();

  const pivot = (row: ActivityItem, kind: 'user' | 'ip' | 'country' | 'around') => {
    const next = pivotQuery(row, kind, query);
    if (next) open(activityQueryString(next));
  };

  const columns: VirtualColumn<Named<ActivityItem>>[] = [
    { key: 'time', label: 'Time', header: <TimeHeader label="Time" />, render: (row) => <Time value={row.time} bare />, className: 'nowrap' },
    { key: 'user', label: 'User', header: 'User', render: (row) => <UserLink userId={row.userId} {...rowUserLabel(row)} /> },
    {
      key: 'activity',
      label: 'Activity',
      header: 'Activity',
      render: (row) => {
        const text = summarize(row).title;
        return <span title={text}>{text}</span>;
      },
    },
    { key: 'type', label: 'Type', header: 'Type', render: (row) => humanize(activityType(row)) },
    { key: 'app', label: 'Application', header: 'Application', render: (row) => appOf(row) ?? '—' },
    {
      key: 'result',
      label: 'Result',
      header: 'Result',
      render: (row) => {
        const { success, resultLabel } = summarize(row);
        return success === undefined ? '—' : <ResultBadge success={success} label={resultLabel} />;
      },
    },
    {
      key: 'ip',
      label: 'IP address',
      header: 'IP address',
      className: 'mono nowrap',
      render: (row) =>
        row.ipAddress ? (
          <button
            type="button"
            className="cell-pivot"
            title={`Show activity from ${row.ipAddress}`}
            onClick={(event) => {
              event.stopPropagation();
              pivot(row, 'ip');
            }}
          >
            {row.ipAddress}
          </button>
        ) : (
          '—'
        ),
    },
    {
      key: 'where',
      label: 'Location',
      header: 'Location',
      render: (row) =>
        row.location?.country ? (
          <button
            type="button"
            className="cell-pivot"
            title={`Show activity from ${row.location.country}`}
            onClick={(event) => {
              event.stopPropagation();
              pivot(row, 'country');
            }}
          >
            {summarize(row).place ?? row.location.country}
          </button>
        ) : (
          (summarize(row).place ?? '—')
        ),
    },
    { key: 'isp', label: 'ISP', header: 'ISP', render: (row) => (row.kind === 'activity' ? (row.isp ?? '—') : '—') },
    {
      key: 'risk',
      label: 'Sign-in risk',
      header: 'Sign-in risk',
      render: (row) => (row.kind === 'signIn' ? <RiskLevelBadge level={row.riskLevelDuringSignIn} /> : '—'),
    },
  ];
  const shown = columns.filter((column) => column.key === 'activity' || !hidden.has(column.key));
  const facetData = facets.status === 'ready' ? facets.data : undefined;

  const chips = [
    ...(query.preset ? [{ key: 'preset', label: activityPresets[query.preset].label, remove: () => update({ preset: undefined }) }] : []),
    ...(query.user ? [{ key: 'user', label: `User: ${query.user}`, remove: () => update({ user: undefined }) }] : []),
    ...query.type.map((value) => ({
      key: `type ${value}`,
      label: `Type: ${humanize(value)}`,
      remove: () => update({ type: query.type.filter((v) => v !== value) }),
    })),
    ...(['app', 'ip', 'country', 'isp', 'result'] as const).flatMap((key) =>
      query[key]
        ? [{ key, label: `${key === 'ip' ? 'IP' : key === 'isp' ? 'ISP' : humanize(key)}: ${query[key]}`, remove: () => update({ [key]: undefined }) }]
        : [],
    ),
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

  return (
    <div className="view workbench" data-testid="activities-view" data-loaded-filter={list.status === 'ready' && list.key === raw ? raw : undefined}>
      <div className="view-main">
        <ViewHeader
          title="Activities"
          subtitle="Sign-ins and other activity from every source. Filters live in the address; pivot from any row to its user, address, country or time."
          actions={<ColumnChooser list="activities" columns={columns.filter((column) => column.key !== 'activity')} />}
        />
        <nav className="presets" aria-label="Suggested queries" data-testid="activity-presets">
          <span className="filter-label">Suggested</span>
          {(Object.keys(activityPresets) as ActivityPreset[]).map((preset) => (
            <button
              key={preset}
              type="button"
              className="chip"
              aria-pressed={query.preset === preset}
              onClick={() => update({ preset: query.preset === preset ? undefined : preset })}
            >
              {activityPresets[preset].label}
            </button>
          ))}
        </nav>
        <section className="filter-bar" aria-label="Filters" data-testid="activities-filters">
          <FilterText label="Search" value={query.q ?? ''} onChange={(q) => update({ q: q || undefined })} testId="filter-text" />
          <FilterSelect
            label="Type"
            values={query.type}
            options={(facetData?.types ?? []).map(([value, count]) => ({ value, label: humanize(value), count }))}
            onChange={(type) => update({ type })}
            testId="filter-type"
          />
          <FilterChips
            label="Result"
            values={query.result ? [query.result] : []}
            options={[
              { value: 'success', label: 'Success' },
              { value: 'failure', label: 'Failure' },
            ]}
            onChange={(values) => update({ result: values.at(-1) as ActivityQuery['result'] })}
            testId="filter-result"
          />
          <UserFilter value={query.user} onChange={(user) => update({ user })} testId="filter-user" />
          <FilterInput
            label="App"
            value={query.app ?? ''}
            suggestions={facetData?.apps}
            onChange={(app) => update({ app: app || undefined })}
            testId="filter-app"
          />
          <FilterInput
            label="IP address"
            value={query.ip ?? ''}
            onChange={(ip) => update({ ip: ip || undefined })}
            testId="filter-ip"
            placeholder="Exact address"
          />
          <FilterInput
            label="Country"
            value={query.country ?? ''}
            suggestions={facetData?.countries}
            onChange={(country) => update({ country: country || undefined })}
            testId="filter-country"
          />
          <FilterInput
            label="ISP"
            value={query.isp ?? ''}
            suggestions={facetData?.isps}
            onChange={(isp) => update({ isp: isp || undefined })}
            testId="filter-isp"
          />
          <TimeRange from={query.from} to={query.to} onChange={(range) => update(range)} />
        </section>
        <ActiveFilters chips={chips} onClear={() => open('')} />
        <SavedFilters list="activities" query={canonical} onOpen={open} />
        <QueryView state={list.status === 'ready' ? { status: 'ready', data: list } : list.status === 'error' ? list : { status: 'loading' }}>
          {(ready) =>
            ready.rows.length === 0 ? (
              chips.length ? (
                <EmptyState title="No activity matches these filters" actions={false}>
                  <p>
                    Remove a filter above, or{' '}
                    <button type="button" className="button link" onClick={() => open('')}>
                      clear them all
                    </button>
                    .
                  </p>
                </EmptyState>
              ) : (
                <EmptyState title="No activities yet" />
              )
            ) : (
              <>
                <VirtualTable
                  columns={shown}
                  rows={ready.rows}
                  selectedId={opened?.id}
                  onOpen={setOpened}
                  onMove={(row) => opened && setOpened(row)}
                  hasMore={Boolean(ready.next)}
                  onNearEnd={loadMore}
                  testId="activities-table"
                  label="Activities"
                  rowLabel={(row) => summarize(row).title}
                />
                <footer className="table-footer">
                  <span data-testid="activities-table-count" aria-live="polite">
                    {formatNumber(ready.rows.length)} shown{ready.next ? ', more load as you scroll' : ''}
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
      {opened && (
        <RecordDetails record={opened} onClose={() => setOpened(undefined)}>
          <section className="drawer-section" aria-label="Pivot" data-testid="activity-pivots">
            <h3>Pivot</h3>
            <div className="pivot-buttons">
              <button type="button" className="button" disabled={!opened.userId} onClick={() => pivot(opened, 'user')} data-testid="pivot-user">
                Same user
              </button>
              <button type="button" className="button" disabled={!opened.ipAddress} onClick={() => pivot(opened, 'ip')} data-testid="pivot-ip">
                Same IP
              </button>
              <button
                type="button"
                className="button"
                disabled={!opened.location?.country}
                onClick={() => pivot(opened, 'country')}
                data-testid="pivot-country"
              >
                Same country
              </button>
              <button type="button" className="button" onClick={() => pivot(opened, 'around')} data-testid="pivot-around">
                ±48 hours around this
              </button>
            </div>
          </section>
        </RecordDetails>
      )}
    </div>
  );
}
