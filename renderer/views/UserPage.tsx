import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { ResultBadge, RiskLevelBadge, RiskStateBadge, SourceLabel } from '../components/Badges.tsx';
import { summarize } from '../components/describe.ts';
import { formatNumber, humanize } from '../components/format.ts';
import { IncidentLinks } from '../components/IncidentLinks.tsx';
import { QueryView } from '../components/QueryView.tsx';
import { RecordDetails } from '../components/RecordDetails.tsx';
import { Time } from '../components/Time.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { ScorePanel } from '../components/ScorePanel.tsx';
import { DecisionsPanel } from '../components/DecisionsPanel.tsx';
import { getUser, getUserIdentities, getUserPriority, getUserTimeline, listIncidents, type TimelineItem } from '../db/repo.ts';
import { incidentNamesUser } from './incident-model.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';

const identifierLabels: Record<string, string> = { objectId: 'Object id', upn: 'UPN', sid: 'On-prem SID', samAccount: 'DOMAIN\\sam', email: 'Email' };

export function UserPage() {
  const { userId = '' } = useParams();
  const [selected, setSelected] = useState<TimelineItem>();
  const state = useStoreQuery(async () => {
    const [user, identities, timeline, incidents, priority] = await Promise.all([
      getUser(userId),
      getUserIdentities(userId),
      getUserTimeline(userId),
      listIncidents(500),
      getUserPriority(userId),
    ]);
    // The store has no per-user incident index yet: incidents are few, so the newest 500 are checked here.
    const keys = new Set(identities.map((identity) => identity.key));
    return { user, identities, timeline, priority, incidents: incidents.rows.filter((incident) => incidentNamesUser(incident, userId, keys)) };
  }, [userId]);

  return (
    <div className="view">
      <div className="view-main">
        <QueryView state={state}>
          {({ user, identities, timeline, incidents, priority }) =>
            !user ? (
              <EmptyState title="No such user in this workspace" actions={false}>
                <p>
                  It may have been cleared with the workspace. <Link to="/users">Back to users</Link>
                </p>
              </EmptyState>
            ) : (
              <>
                <ViewHeader
                  breadcrumbs={
                    <>
                      <Link to="/users">Users</Link> /
                    </>
                  }
                  title={user.displayName || user.upn || user.id}
                  testId="user-title"
                  subtitle={user.upn ?? user.objectId}
                />
                <section className="cards">
                  <div className="card">
                    <h2>User risk</h2>
                    <p className="card-row">
                      <RiskLevelBadge level={user.riskLevel} /> <RiskStateBadge state={user.riskState} />
                    </p>
                    <p className="muted small">
                      {user.riskUpdated !== undefined ? (
                        <>
                          As Entra ID Protection reported it on <Time value={user.riskUpdated} />
                        </>
                      ) : (
                        'No risky-user record in the exports.'
                      )}
                      {user.riskDetail && user.riskDetail !== 'none' ? ` · ${humanize(user.riskDetail)}` : ''}
                    </p>
                  </div>
                  <div className="card">
                    <h2>Activity</h2>
                    <p className="card-row">
                      <span>
                        <strong>{formatNumber(user.alerts ?? 0)}</strong> alerts
                      </span>
                      <span>
                        <strong>{formatNumber(user.riskDetections)}</strong> risk detections
                      </span>
                      <span>
                        <strong>{formatNumber(user.signIns)}</strong> sign-ins ({formatNumber(user.failedSignIns)} failed)
                      </span>
                      <span>
                        <strong>{formatNumber(user.activities ?? 0)}</strong> other activities
                      </span>
                    </p>
                    <p className="muted small">
                      Seen <Time value={user.firstSeen} /> – <Time value={user.lastSeen} />
                    </p>
                  </div>
                </section>
                <ScorePanel score={priority.score} trend={priority.trend} scoredUsers={priority.scoredUsers} />
                <DecisionsPanel userId={userId} />
                {incidents.length > 0 && (
                  <section className="panel" aria-labelledby="user-incidents">
                    <h2 id="user-incidents">Incidents</h2>
                    <IncidentLinks incidents={incidents} testId="user-incidents" />
                  </section>
                )}
                <section className="panel" aria-labelledby="identities-joined">
                  <h2 id="identities-joined">Identities joined</h2>
                  <table className="table compact" aria-label="Identities joined">
                    <thead>
                      <tr>
                        <th scope="col">Identifier</th>
                        <th scope="col">Value</th>
                        <th scope="col">Why it is this user</th>
                      </tr>
                    </thead>
                    <tbody>
                      {identities.map((identity) => (
                        <tr key={identity.key}>
                          <td>{identifierLabels[identity.type] ?? identity.type}</td>
                          <td className="mono">{identity.value}</td>
                          <td className="small">
                            Carried by record{' '}
                            <code title={identity.evidenceRecordId}>
                              {identity.evidenceRecordId.length > 40 ? `${identity.evidenceRecordId.slice(0, 40)}…` : identity.evidenceRecordId}
                            </code>{' '}
                            of <Time value={identity.firstSeen} />
                            {identities.length > 1 ? ', together with the other identifiers it names' : ''}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </section>
                <section className="panel" aria-labelledby="user-timeline-heading">
                  <h2 id="user-timeline-heading">Timeline</h2>
                  {timeline.length === 0 ? (
                    <p className="muted">No records for this user yet.</p>
                  ) : (
                    <ol className="timeline" data-testid="user-timeline">
                      {timeline.map((item) => {
                        const { title, detail, success, level } = summarize(item);
                        return (
                          <li key={item.id} className={`timeline-item kind-${item.kind} sev-${level ?? 'none'}`}>
                            <button type="button" className="timeline-button" onClick={() => setSelected(item)} aria-pressed={selected?.id === item.id}>
                              <span className="timeline-time">
                                <Time value={item.time} />
                              </span>
                              <span className="timeline-title">{title}</span>
                              <span className="timeline-badges">
                                {item.kind === 'riskDetection' || item.kind === 'alert' ? (
                                  <RiskLevelBadge level={level} />
                                ) : (
                                  success !== undefined && <ResultBadge success={success} />
                                )}
                                <SourceLabel source={item.source} />
                              </span>
                              <span className="timeline-detail muted small">{detail}</span>
                            </button>
                          </li>
                        );
                      })}
                    </ol>
                  )}
                </section>
              </>
            )
          }
        </QueryView>
      </div>
      {selected && <RecordDetails record={selected} onClose={() => setSelected(undefined)} />}
    </div>
  );
}
