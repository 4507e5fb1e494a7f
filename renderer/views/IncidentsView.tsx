import { useMemo, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { RiskLevelBadge, SourceLabel } from '../components/Badges.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { formatNumber, humanize } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { Time, TimeHeader } from '../components/Time.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { listIncidentRows, type IncidentRow } from '../db/incidents.ts';
import { riskLevelRank } from '../../shared/model/records.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { incidentMatches } from './incident-model.ts';

type SortKey = 'lastUpdate' | 'created' | 'severity' | 'status' | 'alerts' | 'users' | 'title';
type StatusFilter = 'open' | 'closed' | 'all';

const statusOrder: Record<string, number> = { new: 0, inProgress: 1, active: 1, resolved: 2, dismissed: 3, closed: 3 };
const compareBy: Record<SortKey, (a: IncidentRow, b: IncidentRow) => number> = {
  lastUpdate: (a, b) => a.lastUpdate - b.lastUpdate,
  created: (a, b) => a.incident.time - b.incident.time,
  severity: (a, b) => (riskLevelRank[a.incident.severity] ?? -1) - (riskLevelRank[b.incident.severity] ?? -1),
  status: (a, b) => (statusOrder[b.incident.status] ?? 9) - (statusOrder[a.incident.status] ?? 9),
  alerts: (a, b) => a.incident.alertIds.length - b.incident.alertIds.length,
  users: (a, b) => a.users - b.users,
  title: (a, b) => b.incident.title.localeCompare(a.incident.title),
};

export function IncidentsView() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (['open', 'closed', 'all'] as const).find((value) => value === params.get('status')) ?? 'all';
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'lastUpdate', descending: true });
  const [text, setText] = useState('');
  const state = useStoreQuery(() => listIncidentRows(), []);

  const setStatus = (next: StatusFilter) => setParams(next === 'all' ? {} : { status: next }, { replace: true });

  const header = (key: SortKey, label: React.ReactNode) => (
    <button
      type="button"
      className="sort-button"
      onClick={() => setSort((current) => ({ key, descending: current.key === key ? !current.descending : true }))}
      title="Sort by this column"
    >
      {label}
      {sort.key === key && <span aria-hidden="true">{sort.descending ? '▼' : '▲'}</span>}
    </button>
  );

  const columns: Column<IncidentRow>[] = [
    {
      key: 'title',
      header: header('title', 'Incident'),
      // Titles repeat ("Initial access incident involving one user"): the id and the users tell incidents apart.
      render: (row) => (
        <div className="incident-cell">
          <strong>{row.incident.title}</strong>
          <span className="muted small">
            <span className="mono">{row.incident.nativeId}</span>
            {row.userNames.length > 0 &&
              ` · ${row.userNames.join(', ')}${row.users > row.userNames.length ? ` and ${formatNumber(row.users - row.userNames.length)} more` : ''}`}
          </span>
        </div>
      ),
    },
    { key: 'severity', header: header('severity', 'Severity'), render: (row) => <RiskLevelBadge level={row.incident.severity} /> },
    {
      key: 'status',
      header: header('status', 'Status'),
      render: (row) => <span className={`badge badge-outline badge-${row.open ? 'danger' : 'neutral'}`}>{humanize(row.incident.status)}</span>,
    },
    { key: 'classification', header: 'Classification', render: (row) => humanize(row.incident.classification) || <span className="muted">—</span> },
    { key: 'users', header: header('users', 'Users'), render: (row) => formatNumber(row.users), className: 'numeric' },
    {
      key: 'sources',
      header: 'Sources',
      render: (row) => (
        <span className="source-list">
          {row.sources.map((source) => (
            <SourceLabel key={source} source={source} short />
          ))}
        </span>
      ),
    },
    { key: 'alerts', header: header('alerts', 'Alerts'), render: (row) => formatNumber(row.incident.alertIds.length), className: 'numeric' },
    {
      key: 'updated',
      header: (
        <span className="stacked-header">
          {header('lastUpdate', <TimeHeader label="Last update" />)}
          {header('created', 'created')}
        </span>
      ),
      // Two times in one column, so the list fits a laptop screen without scrolling sideways.
      render: (row) => (
        <div className="stacked-cell">
          <Time value={row.lastUpdate} bare />
          <span className="muted small">
            created <Time value={row.incident.time} bare />
          </span>
        </div>
      ),
      className: 'nowrap',
    },
  ];

  return (
    <div className="view">
      <ViewHeader title="Incidents" subtitle="Incidents from Defender XDR, Graph security and Sentinel exports, with the products and users behind them." />
      <QueryView state={state}>
        {(rows) => (
          <IncidentList
            rows={rows}
            columns={columns}
            sort={sort}
            status={status}
            text={text}
            onText={setText}
            onStatus={setStatus}
            onOpen={(row) => void navigate(`/incidents/${encodeURIComponent(row.id)}`)}
          />
        )}
      </QueryView>
    </div>
  );
}

function IncidentList({
  rows,
  columns,
  sort,
  status,
  text,
  onText,
  onStatus,
  onOpen,
}: {
  rows: IncidentRow[];
  columns: Column<IncidentRow>[];
  sort: { key: SortKey; descending: boolean };
  status: StatusFilter;
  text: string;
  onText: (text: string) => void;
  onStatus: (status: StatusFilter) => void;
  onOpen: (row: IncidentRow) => void;
}) {
  const shown = useMemo(() => {
    const filtered = rows.filter((row) => (status === 'all' || (status === 'open') === row.open) && incidentMatches(row.incident, text, row.userNames));
    const compare = compareBy[sort.key];
    // Ties fall back to the newest update, so equal severities still read newest first.
    return filtered.sort((a, b) => (sort.descending ? compare(b, a) : compare(a, b)) || b.lastUpdate - a.lastUpdate);
  }, [rows, status, text, sort]);
  const open = rows.filter((row) => row.open).length;
  if (!rows.length)
    return (
      <EmptyState title="No incidents yet">
        <p>Import a Defender XDR, Graph security or Sentinel incidents export, or load the demo workspace.</p>
      </EmptyState>
    );
  return (
    <>
      <div className="list-toolbar">
        <div className="segmented" role="group" aria-label="Status">
          {(
            [
              ['all', `All (${formatNumber(rows.length)})`],
              ['open', `Open (${formatNumber(open)})`],
              ['closed', `Closed (${formatNumber(rows.length - open)})`],
            ] as const
          ).map(([value, label]) => (
            <button key={value} type="button" aria-pressed={status === value} onClick={() => onStatus(value)} data-testid={`incidents-${value}`}>
              {label}
            </button>
          ))}
        </div>
        <SearchBox onSearch={onText} label="Search incidents" placeholder="Title, id, tag, user…" />
      </div>
      {shown.length ? (
        <DataTable columns={columns} rows={shown} onOpen={onOpen} label="Incidents" testId="incidents-table" />
      ) : (
        <p className="muted">No incident matches.</p>
      )}
    </>
  );
}
