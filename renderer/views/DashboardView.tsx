import { Link } from 'react-router';
import { RiskLevelBadge, RiskStateBadge } from '../components/Badges.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { formatNumber, formatTime } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { getWorkspaceCounts, listImports, listUsers } from '../db/repo.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { UserName } from './UsersView.tsx';

export function DashboardView() {
  const state = useStoreQuery(async () => {
    const [counts, users, imports] = await Promise.all([getWorkspaceCounts(), listUsers(), listImports()]);
    return { counts, users: users.slice(0, 10), lastImport: imports[0] };
  }, []);
  return (
    <div className="view">
      <header className="view-header">
        <h1>Dashboard</h1>
        <p className="subtitle">Who to look at first, and what the workspace holds.</p>
      </header>
      <QueryView state={state}>
        {({ counts, users, lastImport }) =>
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
                <Link className="stat" to="/alerts">
                  <span className="stat-value" data-testid="stat-alerts">
                    {formatNumber(counts.alerts + counts.riskDetections)}
                  </span>
                  <span className="stat-label">Alerts</span>
                </Link>
                <Link className="stat" to="/users">
                  <span className="stat-value" data-testid="stat-users">
                    {formatNumber(counts.users)}
                  </span>
                  <span className="stat-label">Users</span>
                </Link>
                <Link className="stat" to="/activities">
                  <span className="stat-value">{formatNumber(counts.activities)}</span>
                  <span className="stat-label">Activities</span>
                </Link>
                <Link className="stat" to="/incidents">
                  <span className="stat-value">{formatNumber(counts.incidents)}</span>
                  <span className="stat-label">Incidents</span>
                </Link>
                <Link className="stat" to="/imports">
                  <span className="stat-value">{formatNumber(counts.imports)}</span>
                  <span className="stat-label">Imports</span>
                </Link>
              </section>
              <section className="panel">
                <h2>Riskiest users</h2>
                <table className="table" aria-label="Riskiest users">
                  <thead>
                    <tr>
                      <th scope="col">User</th>
                      <th scope="col">Risk level</th>
                      <th scope="col">Risk state</th>
                      <th scope="col">Risk detections</th>
                    </tr>
                  </thead>
                  <tbody>
                    {users.map((user) => (
                      <tr key={user.id}>
                        <td>
                          <Link to={`/users/${encodeURIComponent(user.id)}`}>
                            <UserName user={user} />
                          </Link>
                        </td>
                        <td>
                          <RiskLevelBadge level={user.riskLevel} />
                        </td>
                        <td>
                          <RiskStateBadge state={user.riskState} />
                        </td>
                        <td className="numeric">{formatNumber(user.riskDetections)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </section>
              {lastImport && (
                <p className="muted small">
                  Last import: {formatTime(lastImport.startedAt)} · {lastImport.files.length} file(s) · <Link to="/imports">history</Link>
                </p>
              )}
            </>
          )
        }
      </QueryView>
    </div>
  );
}
