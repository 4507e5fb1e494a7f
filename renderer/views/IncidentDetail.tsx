import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { RiskLevelBadge, SourceLabel } from '../components/Badges.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { recordUserLabel } from '../components/describe.ts';
import { EmptyState } from '../components/EmptyState.tsx';
import { formatNumber, humanize } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { UserLink } from '../components/RecordLink.tsx';
import { RecordDetails } from '../components/RecordDetails.tsx';
import { Time, TimeHeader } from '../components/Time.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { getAlertsByIds, getRecord, rowRaw } from '../db/repo.ts';
import type { StoredAlert, StoredIncident } from '../db/schema.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { alertTime, positionOnSpan, summarizeIncident, type IncidentSummary } from './incident-model.ts';

/** The alerts table; `names` gives each attributed user the name the incident's users list shows. */
const alertColumns = (names: Map<string, string>): Column<StoredAlert>[] => [
  { key: 'time', header: <TimeHeader label="First activity" />, render: (row) => <Time value={alertTime(row)} bare />, className: 'nowrap' },
  { key: 'title', header: 'Alert', render: (row) => row.title },
  { key: 'severity', header: 'Severity', render: (row) => <RiskLevelBadge level={row.severity} /> },
  { key: 'status', header: 'Status', render: (row) => humanize(row.status) },
  { key: 'source', header: 'Source', render: (row) => <SourceLabel source={row.source} short /> },
  { key: 'category', header: 'Category', render: (row) => humanize(row.category) },
  {
    key: 'user',
    header: 'User',
    render: (row) => <UserLink userId={row.userId} label={names.get(row.userId) ?? recordUserLabel(row)} />,
  },
];

/** One incident: who it touches, which products saw it, its alerts in order, and where it stands. */
export function IncidentDetail() {
  const { incidentId = '' } = useParams();
  const [selected, setSelected] = useState<StoredAlert>();
  const state = useStoreQuery(async () => {
    const record = await getRecord(incidentId);
    if (record?.kind !== 'incident') return undefined;
    // Oldest first, as the timeline above the table tells it.
    const alerts = (await getAlertsByIds(record.alertIds)).sort((a, b) => alertTime(a) - alertTime(b));
    return { incident: record, alerts, summary: summarizeIncident(record, alerts) };
  }, [incidentId]);

  return (
    <div className="view">
      <div className="view-main">
        <QueryView state={state} loadingLabel="Loading the incident…">
          {(found) =>
            !found ? (
              <EmptyState title="No such incident in this workspace" actions={false}>
                <p>
                  It may have been cleared with the workspace. <Link to="/incidents">Back to incidents</Link>
                </p>
              </EmptyState>
            ) : (
              <IncidentBody incident={found.incident} alerts={found.alerts} summary={found.summary} selectedId={selected?.id} onSelect={setSelected} />
            )
          }
        </QueryView>
      </div>
      {selected && <RecordDetails record={selected} onClose={() => setSelected(undefined)} />}
    </div>
  );
}

function IncidentBody({
  incident,
  alerts,
  summary,
  selectedId,
  onSelect,
}: {
  incident: StoredIncident;
  alerts: StoredAlert[];
  summary: IncidentSummary;
  selectedId?: string;
  onSelect: (alert: StoredAlert) => void;
}) {
  const names = new Map(summary.users.flatMap((user) => (user.userId ? [[user.userId, user.label] as const] : [])));
  return (
    <>
      <ViewHeader
        breadcrumbs={
          <>
            <Link to="/incidents">Incidents</Link> /
          </>
        }
        title={incident.title}
        testId="incident-title"
        subtitle={
          <>
            Incident <span className="mono">{incident.nativeId}</span> · <SourceLabel source={incident.source} /> · created <Time value={incident.time} />
          </>
        }
      />
      <dl className="facts" aria-label="Incident facts">
        <Fact label="Severity">
          <RiskLevelBadge level={incident.severity} />
        </Fact>
        <Fact label="Status">{humanize(incident.status)}</Fact>
        <Fact label="Classification">
          {humanize(incident.classification)}
          {incident.determination && incident.determination !== 'notAvailable' && <span className="muted small"> · {humanize(incident.determination)}</span>}
        </Fact>
        <Fact label="Assigned to">{incident.assignedTo || <span className="muted">Unassigned</span>}</Fact>
        <Fact label="Alerts">
          <span data-testid="incident-alert-count">{formatNumber(incident.alertIds.length)}</span>
        </Fact>
        <Fact label="Tags">{incident.tags.length ? incident.tags.join(', ') : <span className="muted">None</span>}</Fact>
      </dl>

      <div className="cards">
        <section className="card" aria-labelledby="incident-users">
          <h2 id="incident-users">Affected users</h2>
          {summary.users.length === 0 ? (
            <p className="muted">The export names no user for this incident.</p>
          ) : (
            <ul className="plain-list" data-testid="incident-users">
              {summary.users.map((user) => (
                <li key={user.userId ?? user.identifiers.map((id) => id.value).join('|')}>
                  {user.userId ? <UserLink userId={user.userId} label={user.label} /> : <strong>{user.label}</strong>}
                  <span className="muted small">
                    {' '}
                    · {user.alerts === 0 ? 'named by the incident' : `${formatNumber(user.alerts)} alert${user.alerts === 1 ? '' : 's'}`}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section className="card" aria-labelledby="incident-sources">
          <h2 id="incident-sources">Sources</h2>
          <ul className="plain-list" data-testid="incident-sources">
            {summary.sources.map((source) => (
              <li key={source.source}>
                <strong>{source.label}</strong>
                <span className="muted small">
                  {' '}
                  · {formatNumber(source.alerts)} alert{source.alerts === 1 ? '' : 's'}
                  {source.services.length > 0 && ` · ${source.services.join(', ')}`}
                </span>
              </li>
            ))}
          </ul>
        </section>
      </div>

      <section className="panel" aria-labelledby="incident-timeline">
        <h2 id="incident-timeline">Timeline</h2>
        <IncidentStrip summary={summary} />
        <ol className="timeline" data-testid="incident-timeline">
          {summary.events.map((event, index) => (
            <li key={`${event.kind}-${event.alert?.id ?? index}`} className={`timeline-item kind-${event.kind} sev-${event.alert?.severity ?? 'none'}`}>
              {event.alert ? (
                <button type="button" className="timeline-button" onClick={() => onSelect(event.alert!)}>
                  <span className="timeline-time">
                    <Time value={event.time} />
                  </span>
                  <span className="timeline-title">{event.title}</span>
                  <span className="timeline-badges">
                    <RiskLevelBadge level={event.alert.severity} />
                    <SourceLabel source={event.alert.source} />
                  </span>
                </button>
              ) : (
                <div className="timeline-button static">
                  <span className="timeline-time">
                    <Time value={event.time} />
                  </span>
                  <span className="timeline-title muted">{event.title}</span>
                </div>
              )}
            </li>
          ))}
        </ol>
      </section>

      <section className="panel" aria-labelledby="incident-alerts">
        <h2 id="incident-alerts">Alerts</h2>
        {summary.missingAlertIds.length > 0 && (
          <p className="notice notice-info" role="note">
            {formatNumber(summary.missingAlertIds.length)} of the {formatNumber(incident.alertIds.length)} alerts this incident lists were not in the imported
            files: {summary.missingAlertIds.map((id) => id.replace(/^alert:/, '')).join(', ')}.
          </p>
        )}
        {alerts.length > 0 ? (
          <DataTable
            columns={alertColumns(names)}
            rows={alerts}
            selectedId={selectedId}
            onOpen={onSelect}
            onMove={(alert) => selectedId && onSelect(alert)}
            label="Alerts of this incident"
            testId="incident-alerts"
            compact
          />
        ) : (
          <p className="muted">No alert of this incident is in the workspace.</p>
        )}
      </section>

      <details className="raw panel">
        <summary>View raw data</summary>
        <pre data-testid="incident-raw" tabIndex={0} aria-label="Raw incident">
          {JSON.stringify(rowRaw(incident), null, 2)}
        </pre>
      </details>
    </>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** The incident's span at a glance: one mark per alert, coloured by severity, placed by time. */
function IncidentStrip({ summary }: { summary: IncidentSummary }) {
  const { first, last, events } = summary;
  if (first === undefined || last === undefined) return null;
  return (
    <figure className="strip" aria-label="When the alerts happened">
      <svg className="strip-chart" width="100%" height="28" role="img" aria-label={`${events.length} events`}>
        <line x1="0" x2="100%" y1="14" y2="14" className="strip-axis" />
        {events.map((event, index) => {
          const x = `${(2 + positionOnSpan(event.time, first, last) * 96).toFixed(2)}%`;
          return event.kind === 'alert' ? (
            <circle key={index} cx={x} cy="14" r="6" className={`strip-dot sev-${event.alert?.severity ?? 'none'}`} />
          ) : (
            <rect key={index} x={x} y="6" width="2" height="16" className="strip-tick" />
          );
        })}
      </svg>
      <figcaption className="strip-labels muted small">
        <Time value={first} />
        <span>{last > first ? describeSpan(last - first) : 'all at once'}</span>
        <Time value={last} />
      </figcaption>
    </figure>
  );
}

function describeSpan(ms: number): string {
  const minutes = ms / 60_000;
  if (minutes < 90) return `${Math.max(1, Math.round(minutes))} min`;
  const hours = minutes / 60;
  if (hours < 48) return `${Math.round(hours)} h`;
  return `${Math.round(hours / 24)} days`;
}
