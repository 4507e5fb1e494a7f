import { Link, useNavigate } from 'react-router';
import { RiskLevelBadge, RiskStateBadge } from '../components/Badges.tsx';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { formatNumber } from '../components/format.ts';
import { IncidentLinks } from '../components/IncidentLinks.tsx';
import { QueryView } from '../components/QueryView.tsx';
import { Time } from '../components/Time.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { getWorkspaceCounts, listImports, listIncidents, listUsers } from '../db/repo.ts';
import type { RankedUser } from '../db/repo.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { priorityColumn, UserName } from './UsersView.tsx';

const userColumns: Column<RankedUser>[] = [
  { key: 'name', header: 'User', render: (user) => <UserName user={user} /> },
  priorityColumn,
  { key: 'level', header: 'Risk level', render: (user) => <RiskLevelBadge level={user.riskLevel} /> },
  { key: 'state', header: 'Risk state', render: (user) => <RiskStateBadge state={user.riskState} /> },
  { key: 'detections', header: 'Risk detections', render: (user) => formatNumber(user.riskDetections), className: 'numeric' },
  { key: 'alerts', header: 'Alerts', render: (user) => formatNumber(user.alerts ?? 0), className: 'numeric' },
];

const closedStatuses = new Set(['resolved', 'dismissed', 'closed']);

export function DashboardView() {
  const navigate = useNavigate();
  const state = useStoreQuery(async () => {
    const [counts, users, imports, incidents] = await Promise.all([getWorkspaceCounts(), listUsers(), listImports(), listIncidents(50)]);
    const open = incidents.rows.filter((incident) => !closedStatuses.has(incident.status));
    return { counts, users: users.slice(0, 10), lastImport: imports[0], openIncidents: open.slice(0, 6), openCount: open.length };
  }, []);
  return (
    <div className="view">
      <ViewHeader title="Dashboard" subtitle="Who to look at first, and what the workspace holds." />
      <QueryView state={state}>
        {({ counts, users, lastImport, openIncidents, openCount }) =>
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
                <Stat to="/alerts" value={counts.alerts + counts.riskDetections} label="Alerts" testId="stat-alerts" />
                <Stat to="/users" value={counts.users} label="Users" testId="stat-users" />
                <Stat to="/activities" value={counts.activities} label="Activities" />
                <Stat to="/incidents" value={counts.incidents} label="Incidents" />
                <Stat to="/imports" value={counts.imports} label="Imports" />
              </section>
              <div className="dashboard-grid">
                <section className="panel" aria-labelledby="riskiest-users">
                  <header className="panel-header">
                    <h2 id="riskiest-users">Riskiest users</h2>
                    <Link to="/users" className="small">
                      All users
                    </Link>
                  </header>
                  <DataTable
                    columns={userColumns}
                    rows={users}
                    onOpen={(user) => void navigate(`/users/${encodeURIComponent(user.id)}`)}
                    label="Riskiest users"
                    compact
                  />
                </section>
                <section className="panel" aria-labelledby="open-incidents">
                  <header className="panel-header">
                    <h2 id="open-incidents">Open incidents</h2>
                    <Link to="/incidents" className="small">
                      All incidents
                    </Link>
                  </header>
                  {openIncidents.length === 0 ? (
                    <p className="muted">No open incident in the latest {counts.incidents > 50 ? '50' : formatNumber(counts.incidents)} incidents.</p>
                  ) : (
                    <IncidentLinks incidents={openIncidents} />
                  )}
                  {openCount > openIncidents.length && <p className="muted small">and {formatNumber(openCount - openIncidents.length)} more</p>}
                </section>
              </div>
              {lastImport && (
                <p className="muted small">
                  Last import: <Time value={lastImport.startedAt} /> · {lastImport.files.length} file(s) · <Link to="/imports">history</Link>
                </p>
              )}
            </>
          )
        }
      </QueryView>
    </div>
  );
}

function Stat({ to, value, label, testId }: { to: string; value: number; label: string; testId?: string }) {
  return (
    <Link className="stat" to={to}>
      <span className="stat-value" data-testid={testId}>
        {formatNumber(value)}
      </span>
      <span className="stat-label">{label}</span>
    </Link>
  );
}
