import { useMemo, useRef, useState, useEffect } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Bar, BarChart, Brush, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { sourceLabels, type SourceProduct } from '../../shared/model/records.ts';
import { RiskLevelBadge, RiskStateBadge } from '../components/Badges.tsx';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { formatNumber, humanize, timeParts } from '../components/format.ts';
import { IncidentLinks } from '../components/IncidentLinks.tsx';
import { QueryView } from '../components/QueryView.tsx';
import { BandBadge } from '../components/ScorePanel.tsx';
import { Time, useTimeZone } from '../components/Time.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { getAlertPoints, getLastImport, getRiskLevelDistribution, getTopUsers, getUsersByPriority, type TopUser } from '../db/dashboard.ts';
import { listIncidentRows } from '../db/incidents.ts';
import { getWorkspaceCounts } from '../db/repo.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import {
  alertHistogram,
  binLabels,
  binUnitWords,
  alertsHref,
  alertTotals,
  CLOSED_STATUSES,
  inRange,
  OTHER_SEVERITY,
  parseInstant,
  SEVERITY_ORDER,
  SOURCE_ORDER,
  type AlertPoint,
  type Range,
  type StackBy,
} from './dashboard-model.ts';
import { UserName } from './UsersView.tsx';

export function DashboardView() {
  const [params, setParams] = useSearchParams();
  const range: Range = useMemo(() => ({ from: parseInstant(params.get('from')), to: parseInstant(params.get('to')) }), [params]);
  const ranged = range.from !== undefined || range.to !== undefined;
  const setRange = (next: Range | undefined) =>
    setParams(next?.from !== undefined && next.to !== undefined ? { from: new Date(next.from).toISOString(), to: new Date(next.to).toISOString() } : {}, {
      replace: true,
    });

  // Small reads first, so the page has its frame at once; the alert points may take a moment on a big workspace.
  const overview = useStoreQuery(async () => {
    const [counts, lastImport, distribution] = await Promise.all([getWorkspaceCounts(), getLastImport(), getRiskLevelDistribution()]);
    return { counts, lastImport, distribution };
  }, []);
  const alerts = useStoreQuery(() => getAlertPoints(), []);
  const incidents = useStoreQuery(() => listIncidentRows(), []);
  const points = alerts.status === 'ready' ? alerts.data : undefined;
  const totals = useMemo(() => (points ? alertTotals(points, range) : undefined), [points, range]);
  // The open alerts' link names exactly the statuses counted as open, whatever words the sources used.
  const openStatuses = useMemo(
    () => [...new Set((points ?? []).filter((point) => !CLOSED_STATUSES.has(point.status) && inRange(point.time, range)).map((point) => point.status))].sort(),
    [points, range],
  );
  const users = useStoreQuery(
    async () => (ranged ? (totals ? getUsersByPriority([...totals.byUser.keys()], 10) : undefined) : getTopUsers(10)),
    [ranged, totals],
  );

  return (
    <div className="view">
      <ViewHeader
        title="Dashboard"
        subtitle={
          ranged ? (
            <span data-testid="dashboard-range">
              Showing <Time value={range.from} /> – <Time value={range.to} />
            </span>
          ) : (
            'Who to look at first, and what the workspace holds.'
          )
        }
        actions={
          ranged && (
            <button type="button" className="button" onClick={() => setRange(undefined)} data-testid="clear-range">
              Whole period
            </button>
          )
        }
      />
      <QueryView state={overview}>
        {({ counts, lastImport, distribution }) =>
          counts.users + counts.riskDetections + counts.alerts + counts.activities + counts.incidents === 0 ? (
            <EmptyState title="Start an investigation">
              <p>
                Sightline works offline on exports from Entra ID Protection, Defender for Identity, Defender for Cloud Apps and Defender XDR. Import exports or
                load the demo workspace.
              </p>
            </EmptyState>
          ) : (
            <>
              <section className="stats" aria-label="Workspace totals">
                <Stat
                  to={alertsHref(range)}
                  value={totals ? totals.total : counts.alerts + counts.riskDetections}
                  label={ranged ? 'Alerts in range' : 'Alerts'}
                  testId="stat-alerts"
                />
                <Stat
                  to={alertsHref({ ...range, statuses: openStatuses })}
                  value={totals?.open}
                  label={ranged ? 'Open alerts in range' : 'Open alerts'}
                  testId="stat-open-alerts"
                />
                <Stat to="/users" value={counts.users} label="Users" testId="stat-users" />
                <Stat to="/activities" value={counts.activities} label="Activities" />
                <Stat to="/incidents" value={counts.incidents} label="Incidents" />
              </section>
              <div className="dash-grid">
                <div className="dash-main">
                  <AlertsOverTime points={points} failed={alerts.status === 'error'} range={range} onRange={setRange} />
                  <section className="panel" aria-labelledby="riskiest-users">
                    <header className="panel-header">
                      <h2 id="riskiest-users">Riskiest users</h2>
                      <Link to="/users" className="small">
                        All users
                      </Link>
                    </header>
                    {ranged && <p className="muted small">Users with alerts in the range, by investigation priority.</p>}
                    {users.status === 'ready' && users.data ? (
                      users.data.length ? (
                        <TopUsersTable users={users.data} range={range} totals={totals?.byUser} />
                      ) : (
                        <p className="muted">No user has an alert in this range.</p>
                      )
                    ) : (
                      <p className="muted small">Reading the ranking…</p>
                    )}
                  </section>
                </div>
                <div className="dash-side">
                  <section className="panel" aria-labelledby="open-incidents">
                    <header className="panel-header">
                      <h2 id="open-incidents">Open incidents</h2>
                      <Link to="/incidents" className="small">
                        All incidents
                      </Link>
                    </header>
                    {incidents.status === 'ready' ? <OpenIncidents rows={incidents.data} range={range} /> : <p className="muted small">Reading incidents…</p>}
                  </section>
                  <section className="panel" aria-labelledby="risk-levels">
                    <header className="panel-header">
                      <h2 id="risk-levels">User risk levels</h2>
                      <Link to="/users" className="small">
                        Users
                      </Link>
                    </header>
                    <p className="muted small">As Entra ID Protection last reported them (not limited to the range).</p>
                    <RiskDistribution distribution={distribution} />
                  </section>
                  <section className="panel" aria-labelledby="last-import">
                    <header className="panel-header">
                      <h2 id="last-import">Last import</h2>
                      <Link to="/imports" className="small">
                        History
                      </Link>
                    </header>
                    {lastImport ? (
                      <div className="last-import" data-testid="last-import">
                        <span>
                          <Time value={lastImport.finishedAt ?? lastImport.startedAt} /> · {humanize(lastImport.state)}
                        </span>
                        <span className="muted">
                          {formatNumber(lastImport.files.length)} file{lastImport.files.length === 1 ? '' : 's'} ·{' '}
                          {formatNumber(lastImport.files.reduce((sum, file) => sum + file.added, 0))} records added ·{' '}
                          {formatNumber(lastImport.files.reduce((sum, file) => sum + file.updated, 0))} updated
                        </span>
                        <ul className="plain-list small">
                          {lastImport.files.slice(0, 5).map((file) => (
                            <li key={file.file} className="mono">
                              {file.file}
                            </li>
                          ))}
                          {lastImport.files.length > 5 && <li className="muted">and {formatNumber(lastImport.files.length - 5)} more</li>}
                        </ul>
                      </div>
                    ) : (
                      <p className="muted">Nothing imported yet.</p>
                    )}
                  </section>
                </div>
              </div>
            </>
          )
        }
      </QueryView>
    </div>
  );
}

function Stat({ to, value, label, testId }: { to: string; value: number | undefined; label: string; testId?: string }) {
  return (
    <Link className="stat" to={to} data-testid={testId ? `${testId}-link` : undefined}>
      <span className="stat-value" data-testid={testId}>
        {value === undefined ? '…' : formatNumber(value)}
      </span>
      <span className="stat-label">{label}</span>
    </Link>
  );
}

const sourceColour = (source: string) => `var(--chart-${(SOURCE_ORDER.indexOf(source as SourceProduct) % 7) + 1})`;
const severityColour: Record<string, string> = {
  high: 'var(--severity-high)',
  medium: 'var(--severity-medium)',
  low: 'var(--severity-low)',
  informational: 'var(--chart-7)',
  [OTHER_SEVERITY]: 'var(--border-strong)',
};
const seriesLabel = (by: StackBy, key: string) => (by === 'source' ? (sourceLabels[key as SourceProduct] ?? key) : humanize(key));

/** Alerts per day, stacked by source or severity; brushing a span filters the whole page to it. */
function AlertsOverTime({
  points,
  failed,
  range,
  onRange,
}: {
  points?: AlertPoint[];
  failed: boolean;
  range: Range;
  onRange: (range: Range | undefined) => void;
}) {
  const [by, setBy] = useState<StackBy>('source');
  const zone = useTimeZone();
  const histogram = useMemo(() => (points ? alertHistogram(points, by) : undefined), [points, by]);
  const pending = useRef<number>(undefined);
  useEffect(() => () => window.clearTimeout(pending.current), []);
  const totals = useMemo(() => (points ? alertTotals(points, range) : undefined), [points, range]);
  const bins = histogram?.bins ?? [];
  const unit = histogram?.unit ?? 'day';
  const spansYears = bins.length > 0 && new Date(bins[0]!.start).getUTCFullYear() !== new Date(bins.at(-1)!.start).getUTCFullYear();
  const data = bins.map((bin) => {
    if (unit === 'hour') {
      const parts = timeParts(bin.start, zone);
      return { ...bin.counts, start: bin.start, label: `${parts.date.slice(5)} ${parts.time.slice(0, 5)}`, title: `${parts.date} ${parts.time.slice(0, 5)}` };
    }
    return { ...bin.counts, start: bin.start, ...binLabels(bin.start, unit, spansYears) };
  });
  // The brush shows the page's range when one is set, so a reload or a shared link keeps it.
  const startIndex =
    range.from !== undefined
      ? Math.max(
          0,
          bins.findIndex((bin) => bin.end > range.from!),
        )
      : 0;
  const endIndex =
    range.to !== undefined
      ? Math.max(
          startIndex,
          bins.findLastIndex((bin) => bin.start < range.to!),
        )
      : bins.length - 1;

  return (
    <section className="panel" aria-labelledby="alerts-over-time">
      <header className="panel-header">
        <h2 id="alerts-over-time">Alerts over time</h2>
        <div className="segmented" role="group" aria-label="Stack alerts by">
          <button type="button" aria-pressed={by === 'source'} onClick={() => setBy('source')} data-testid="stack-source">
            By source
          </button>
          <button type="button" aria-pressed={by === 'severity'} onClick={() => setBy('severity')} data-testid="stack-severity">
            By severity
          </button>
        </div>
      </header>
      {failed ? (
        <p className="error-text">Could not read the alerts.</p>
      ) : !histogram ? (
        <p className="muted small alerts-chart">Counting alerts…</p>
      ) : bins.length === 0 ? (
        <p className="muted">No alerts or risk detections imported yet.</p>
      ) : (
        <>
          <p className="muted small" data-testid="alerts-chart-unit">
            Alerts and risk detections per {binUnitWords[unit]}. Drag the handles under the chart to look at a span of time: the whole page follows.
          </p>
          <div className="alerts-chart" data-testid="alerts-chart">
            <ResponsiveContainer width="100%" height={220}>
              <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: -16 }} barCategoryGap={2}>
                <XAxis dataKey="label" tick={{ fontSize: 11, fill: 'var(--text-muted)' }} minTickGap={24} />
                <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: 'var(--text-muted)' }} />
                <Tooltip
                  cursor={{ fill: 'var(--hover)' }}
                  content={({ active, payload }) => {
                    const row = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
                    if (!row) return null;
                    return (
                      <div className="chart-tooltip">
                        <strong>{row.title}</strong>
                        {histogram.keys
                          .filter((key) => (row as unknown as Record<string, number>)[key])
                          .map((key) => (
                            <p key={key}>
                              {seriesLabel(by, key)}: {formatNumber((row as unknown as Record<string, number>)[key]!)}
                            </p>
                          ))}
                      </div>
                    );
                  }}
                />
                {histogram.keys.map((key) => (
                  <Bar
                    key={key}
                    dataKey={key}
                    stackId="alerts"
                    name={seriesLabel(by, key)}
                    fill={by === 'source' ? sourceColour(key) : severityColour[key]}
                    isAnimationActive={false}
                  />
                ))}
                {bins.length > 1 && (
                  <Brush
                    key={`${range.from}-${range.to}`}
                    dataKey="label"
                    height={22}
                    stroke="var(--accent)"
                    fill="var(--surface-2)"
                    travellerWidth={10}
                    startIndex={startIndex}
                    endIndex={endIndex}
                    onChange={(next) => {
                      const first = bins[next.startIndex ?? 0];
                      const last = bins[next.endIndex ?? bins.length - 1];
                      if (!first || !last) return;
                      window.clearTimeout(pending.current);
                      // Dragging reports every step: the page follows once the hand rests.
                      pending.current = window.setTimeout(
                        () => onRange(next.startIndex === 0 && next.endIndex === bins.length - 1 ? undefined : { from: first.start, to: last.end }),
                        350,
                      );
                    }}
                  />
                )}
              </BarChart>
            </ResponsiveContainer>
          </div>
          {totals && (
            <ul className="totals-row" aria-label={by === 'source' ? 'Alerts by source' : 'Alerts by severity'} data-testid="alert-totals">
              {(by === 'source' ? SOURCE_ORDER : [...SEVERITY_ORDER, OTHER_SEVERITY]).flatMap((key) => {
                const count = by === 'source' ? totals.bySource.get(key as SourceProduct) : totals.bySeverity.get(key);
                if (!count) return [];
                const href =
                  by === 'source'
                    ? alertsHref({ ...range, sources: [key] })
                    : key === OTHER_SEVERITY
                      ? alertsHref(range)
                      : alertsHref({ ...range, severities: [key] });
                return [
                  <li key={key}>
                    <Link to={href} data-testid={`total-${key}`}>
                      <span className={`legend-swatch swatch-${by}-${key}`} aria-hidden="true" />
                      {seriesLabel(by, key)} <strong>{formatNumber(count)}</strong>
                    </Link>
                  </li>,
                ];
              })}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

interface TopUserRow extends TopUser {
  id: string;
}

function TopUsersTable({ users, range, totals }: { users: TopUser[]; range: Range; totals?: Map<string, number> }) {
  const navigate = useNavigate();
  const ranged = range.from !== undefined || range.to !== undefined;
  const columns: Column<TopUserRow>[] = [
    {
      key: 'name',
      header: 'User',
      render: (row) => (
        <Link
          to={`/users/${encodeURIComponent(row.user.id)}`}
          onClick={(event) => event.stopPropagation()}
          title={[row.user.displayName, row.user.upn].filter(Boolean).join(' · ') || undefined}
        >
          <UserName user={row.user} />
        </Link>
      ),
      className: 'user-cell ranking-user',
    },
    {
      key: 'priority',
      header: 'Priority',
      render: (row) =>
        row.score ? (
          <span className="nowrap">
            <strong>{row.score.score.toFixed(1)}</strong> <BandBadge band={row.score.band} />
          </span>
        ) : (
          <span className="muted">—</span>
        ),
      className: 'numeric',
    },
    { key: 'trend', header: 'Trend', render: (row) => <Sparkline user={row} /> },
    {
      // Level and state share a column and stack when it is narrow, so the ranking fits beside the incidents at 1366 px.
      key: 'risk',
      header: 'Entra risk',
      render: (row) => (
        <span className="badge-stack">
          <RiskLevelBadge level={row.user.riskLevel} /> <RiskStateBadge state={row.user.riskState} />
        </span>
      ),
    },
    {
      key: 'alerts',
      header: ranged ? 'Alerts in range' : 'Alerts',
      render: (row) => {
        const count = totals?.get(row.user.id) ?? (ranged ? 0 : (row.user.alerts ?? 0) + row.user.riskDetections);
        return (
          <Link to={alertsHref({ ...range, user: row.user.id })} onClick={(event) => event.stopPropagation()} data-testid="user-alerts-link">
            {formatNumber(count)}
          </Link>
        );
      },
      className: 'numeric',
    },
  ];
  return (
    <DataTable
      columns={columns}
      rows={users.map((user) => ({ ...user, id: user.user.id }))}
      onOpen={(row) => void navigate(`/users/${encodeURIComponent(row.user.id)}`)}
      label="Riskiest users"
      testId="top-users"
      compact
    />
  );
}

/** The user's daily priority as the scoring stored it: a glance at whether it is climbing. */
function Sparkline({ user }: { user: TopUser }) {
  const days = user.trend?.days ?? [];
  if (days.length < 2) return <span className="muted small">—</span>;
  const first = days[0]!.score;
  const last = days.at(-1)!.score;
  return (
    <span
      className="sparkline"
      role="img"
      aria-label={`Daily priority from ${first.toFixed(1)} on ${days[0]!.day} to ${last.toFixed(1)} on ${days.at(-1)!.day}`}
    >
      <LineChart width={96} height={28} data={days} margin={{ top: 2, right: 2, bottom: 2, left: 2 }} accessibilityLayer={false}>
        <YAxis hide domain={[0, 100]} />
        <Line type="monotone" dataKey="score" stroke="var(--accent)" strokeWidth={1.5} dot={false} isAnimationActive={false} />
      </LineChart>
    </span>
  );
}

function OpenIncidents({ rows, range }: { rows: Awaited<ReturnType<typeof listIncidentRows>>; range: Range }) {
  const open = rows.filter((row) => row.open && (inRange(row.incident.time, range) || inRange(row.lastUpdate, range)));
  const ranged = range.from !== undefined || range.to !== undefined;
  if (!open.length) return <p className="muted">{ranged ? 'No open incident was created or updated in this range.' : 'No open incident.'}</p>;
  return (
    <>
      <p className="small">
        <Link to="/incidents?status=open" data-testid="open-incidents-count">
          <strong>{formatNumber(open.length)}</strong> open
        </Link>{' '}
        <span className="muted">
          of {formatNumber(rows.length)} {rows.length === 1 ? 'incident' : 'incidents'} in the workspace
        </span>
      </p>
      <IncidentLinks
        incidents={open.slice(0, 6).map((row) => row.incident)}
        userNames={new Map(open.slice(0, 6).map((row) => [row.id, row.userNames]))}
        testId="dashboard-incidents"
      />
      {open.length > 6 && (
        <p className="muted small">
          and <Link to="/incidents?status=open">{formatNumber(open.length - 6)} more</Link>
        </p>
      )}
    </>
  );
}

function RiskDistribution({ distribution }: { distribution: { level: string; users: number }[] }) {
  const most = Math.max(1, ...distribution.map((entry) => entry.users));
  return (
    <ul className="bar-list" data-testid="risk-distribution">
      {distribution.map((entry) => (
        <li key={entry.level}>
          <span>{entry.level === 'none' ? 'None or hidden' : humanize(entry.level)}</span>
          <span className="bar-track" aria-hidden="true">
            <svg width="100%" height="10" preserveAspectRatio="none" viewBox="0 0 100 10">
              <rect x="0" y="0" height="10" width={(entry.users / most) * 100} className={`bar-fill-${entry.level}`} />
            </svg>
          </span>
          <Link to="/users" className="numeric" aria-label={`${formatNumber(entry.users)} users at ${entry.level} risk`}>
            {formatNumber(entry.users)}
          </Link>
        </li>
      ))}
    </ul>
  );
}
