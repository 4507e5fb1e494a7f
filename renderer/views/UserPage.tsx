import { useMemo, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { RiskLevelBadge, RiskStateBadge } from '../components/Badges.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { formatNumber, humanize, plural } from '../components/format.ts';
import { IncidentLinks } from '../components/IncidentLinks.tsx';
import { QueryView } from '../components/QueryView.tsx';
import { RecordDetails } from '../components/RecordDetails.tsx';
import { ScorePanel } from '../components/ScorePanel.tsx';
import { DecisionsPanel } from '../components/DecisionsPanel.tsx';
import { Time, TimeHeader } from '../components/Time.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { getUserIncidents } from '../db/incidents.ts';
import { getUser, getUserIdentities, getUserPriority } from '../db/repo.ts';
import type { IdentityRow, NoteRow, UserRow } from '../db/schema.ts';
import { addUserNote, listUserNotes, readUserHistory, type UserHistory } from '../db/userpage.ts';
import { useStoreQuery, type QueryState } from '../state/useStoreQuery.ts';
import { activitiesHref } from './dashboard-model.ts';
import { hasActivityNear, type SeenKind, type SeenRow, type TimelineItem } from './user-model.ts';
import { prefetchTimeline, UserTimeline } from './UserTimeline.tsx';
import { useImportQueue } from '../import/queue.ts';

const identifierLabels: Record<string, string> = { objectId: 'Entra object id', upn: 'UPN', sid: 'On-prem SID', samAccount: 'DOMAIN\\sam', email: 'Email' };
const identifierWhy: Record<string, string> = {
  objectId: 'the strongest identifier: the user’s key when present',
  upn: 'the cloud sign-in name',
  sid: 'the on-prem account, as Defender for Identity reports it',
  samAccount: 'the on-prem account name',
  email: 'a mailbox address',
};

export function UserPage() {
  const { userId = '' } = useParams();
  const [selected, setSelected] = useState<TimelineItem>();
  // The timeline paints first: the history pass, incidents and notes wait for it, so they do not
  // compete with it for the store (IndexedDB serves one request at a time per database here).
  const [timelineShownFor, setTimelineShownFor] = useState<string>();
  const timelineShown = timelineShownFor === userId;
  const [notesVersion, setNotesVersion] = useState(0);
  const dataVersion = useImportQueue((queue) => queue.dataVersion);
  // Before any other read of this page, so the timeline's first page is not queued behind the header's.
  useMemo(() => prefetchTimeline(userId, dataVersion), [userId, dataVersion]);
  const state = useStoreQuery(async () => {
    const [user, identities, priority] = await Promise.all([getUser(userId), getUserIdentities(userId), getUserPriority(userId)]);
    return { user, identities, priority };
  }, [userId]);
  const history = useStoreQuery(async () => (timelineShown ? readUserHistory(userId) : undefined), [userId, timelineShown]);
  const incidents = useStoreQuery(async () => (timelineShown ? getUserIncidents(userId) : undefined), [userId, timelineShown]);
  const notes = useStoreQuery(async () => (timelineShown ? listUserNotes(userId) : undefined), [userId, timelineShown, notesVersion]);
  const historyData = history.status === 'ready' ? history.data : undefined;

  return (
    <div className="view">
      <div className="view-main">
        <QueryView state={state}>
          {({ user, identities, priority }) =>
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
                  title={userTitle(user)}
                  testId="user-title"
                  subtitle={
                    <>
                      {secondName(user) && `${secondName(user)} · `}
                      seen <Time value={user.firstSeen} /> – <Time value={user.lastSeen} />
                    </>
                  }
                  actions={
                    <Link className="button" to={activitiesHref({ user: user.id })}>
                      Activity log
                    </Link>
                  }
                />
                <section className="cards">
                  <div className="card">
                    <h2>User risk</h2>
                    {priority.score?.risk.source === 'local' ? (
                      <>
                        <p className="card-row" data-testid="user-risk" data-source="local">
                          <RiskLevelBadge level={priority.score.risk.riskLevel} /> <RiskStateBadge state={priority.score.risk.riskState} />{' '}
                          <span className="badge badge-info" title="An analyst's decision in this workspace: the tenant has not changed">
                            local
                          </span>
                        </p>
                        <p className="muted small">
                          Decided here
                          {priority.score.risk.decision ? (
                            <>
                              {' '}
                              by {priority.score.risk.decision.by} on <Time value={priority.score.risk.decision.at} />
                            </>
                          ) : null}
                          , not applied in the tenant. Entra ID Protection reported {humanize(user.riskLevel ?? 'none')}, {humanize(user.riskState ?? 'none')}.
                        </p>
                      </>
                    ) : (
                      <p className="card-row" data-testid="user-risk" data-source="export">
                        <RiskLevelBadge level={user.riskLevel} /> <RiskStateBadge state={user.riskState} />
                      </p>
                    )}
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
                    <h2>Records</h2>
                    <p className="card-row">
                      <Link to={`/alerts?user=${encodeURIComponent(user.id)}`}>
                        <strong>{formatNumber((user.alerts ?? 0) + user.riskDetections)}</strong> alerts and detections
                      </Link>
                      <Link to={activitiesHref({ user: user.id, type: 'signIn' })}>
                        <strong>{formatNumber(user.signIns)}</strong> sign-ins
                      </Link>
                      <Link to={activitiesHref({ user: user.id, type: 'signIn', result: 'failure' })}>
                        <strong>{formatNumber(user.failedSignIns)}</strong> failed
                      </Link>
                      <Link to={activitiesHref({ user: user.id })}>
                        <strong>{formatNumber(user.activities ?? 0)}</strong> other activities
                      </Link>
                    </p>
                  </div>
                </section>
                <IdentitiesPanel identities={identities} />
                <ScorePanel score={priority.score} trend={priority.trend} scoredUsers={priority.scoredUsers} />
                <LonelyAlertsNote history={historyData} />
                <UserTimeline
                  key={userId}
                  userId={userId}
                  history={historyData}
                  onOpen={setSelected}
                  selectedId={selected?.id}
                  onFirstPage={() => setTimelineShownFor(userId)}
                />
                <SeenPanel userId={user.id} history={history} />
                <section className="panel" aria-labelledby="user-incidents-heading">
                  <h2 id="user-incidents-heading">Related incidents</h2>
                  {incidents.status === 'ready' && incidents.data ? (
                    incidents.data.length ? (
                      <IncidentLinks incidents={incidents.data} testId="user-incidents" />
                    ) : (
                      <p className="muted">No imported incident names this user or groups one of their alerts.</p>
                    )
                  ) : (
                    <p className="muted small">Reading incidents…</p>
                  )}
                </section>
                <DecisionsPanel userId={userId} />
                <section className="panel" aria-labelledby="user-notes-heading">
                  <h2 id="user-notes-heading">Notes</h2>
                  <NotesPanel userId={user.id} notes={notes.status === 'ready' ? notes.data : undefined} onAdded={() => setNotesVersion((v) => v + 1)} />
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

function IdentitiesPanel({ identities }: { identities: IdentityRow[] }) {
  const evidence = new Map<string, number>();
  for (const identity of identities) evidence.set(identity.evidenceRecordId, (evidence.get(identity.evidenceRecordId) ?? 0) + 1);
  return (
    <section className="panel" aria-labelledby="identities-joined">
      <h2 id="identities-joined">Who this is</h2>
      <p className="muted small">
        Every identifier the exports use for this person. Two identifiers are joined only when one record carries both: the record is named beside each.
      </p>
      <table className="table compact" aria-label="Identities joined" data-testid="user-identities">
        <thead>
          <tr>
            <th scope="col">Identifier</th>
            <th scope="col">Value</th>
            <th scope="col">Why it is this user</th>
            <th scope="col">
              <TimeHeader label="First seen" />
            </th>
          </tr>
        </thead>
        <tbody>
          {identities.map((identity) => {
            const together = (evidence.get(identity.evidenceRecordId) ?? 0) > 1 || identities.length === 1;
            return (
              <tr key={identity.key}>
                <td>{identifierLabels[identity.type] ?? identity.type}</td>
                <td className="mono">{identity.value}</td>
                <td className="small">
                  {identities.length === 1 ? 'The only identifier: ' : together ? 'Named together with another identifier by ' : 'Linked through '}
                  <code title={identity.evidenceRecordId}>{shorten(identity.evidenceRecordId)}</code>
                  <span className="muted"> · {identifierWhy[identity.type] ?? ''}</span>
                </td>
                <td className="nowrap">
                  <Time value={identity.firstSeen} bare />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

const shorten = (text: string) => (text.length > 48 ? `${text.slice(0, 48)}…` : text);

/** Says once, above the timeline, how many alerts stand alone, and why that can be normal. */
function LonelyAlertsNote({ history }: { history?: UserHistory }) {
  if (!history) return null;
  const alerts = history.points.filter((point) => point.type === 'alert');
  if (!alerts.length) return null;
  const lonely = alerts.filter((point) => !hasActivityNear(point, history.activityTimes));
  if (!lonely.length) return null;
  const cloudApps = lonely.filter((point) => point.source === 'defender-for-cloud-apps').length;
  return (
    <p className="notice notice-info" role="note" data-testid="lonely-alerts">
      {formatNumber(lonely.length)} of this user’s {plural(alerts.length, 'alert')} {lonely.length === 1 ? 'has' : 'have'} no sign-in or activity of theirs
      within an hour in the imported exports.{' '}
      {cloudApps > 0
        ? `${formatNumber(cloudApps)} of them come from Defender for Cloud Apps, which consumes only interactive sign-ins: the non-interactive sign-ins behind them are not in its data. `
        : ''}
      Import the matching sign-in or activity export to see what happened around them.
    </p>
  );
}

const seenKinds: { kind: SeenKind; label: string; one: string }[] = [
  { kind: 'country', label: 'Countries', one: 'Country' },
  { kind: 'ip', label: 'IP addresses', one: 'IP address' },
  { kind: 'device', label: 'Devices', one: 'Device' },
  { kind: 'app', label: 'Apps', one: 'App' },
];

/** Where, from what and into what the user came, newest first seen first: the new country of an attack stands at the top. */
function SeenPanel({ userId, history }: { userId: string; history: QueryState<UserHistory | undefined> }) {
  const [kind, setKind] = useState<SeenKind>('country');
  const data = history.status === 'ready' ? history.data : undefined;
  const rows: SeenRow[] = data ? data.seen.filter((row) => row.kind === kind) : [];
  return (
    <section className="panel" aria-labelledby="user-seen-heading">
      <header className="panel-header">
        <h2 id="user-seen-heading">Seen from</h2>
        <div className="segmented" role="group" aria-label="What to list">
          {seenKinds.map((entry) => (
            <button key={entry.kind} type="button" aria-pressed={kind === entry.kind} onClick={() => setKind(entry.kind)} data-testid={`seen-${entry.kind}`}>
              {entry.label} {data ? `(${formatNumber(data.seen.filter((row) => row.kind === entry.kind).length)})` : ''}
            </button>
          ))}
        </div>
      </header>
      {history.status === 'error' ? (
        <p className="error-text">Could not read the user’s history: {history.error}</p>
      ) : !data ? (
        <p className="muted small">Reading the user’s history…</p>
      ) : rows.length === 0 ? (
        <p className="muted">No {seenKinds.find((entry) => entry.kind === kind)!.label.toLowerCase()} in this user’s records.</p>
      ) : (
        <table className="table compact" aria-label={`${seenKinds.find((entry) => entry.kind === kind)!.label} seen`} data-testid="seen-table">
          <thead>
            <tr>
              <th scope="col">{seenKinds.find((entry) => entry.kind === kind)!.one}</th>
              <th scope="col">
                <TimeHeader label="First seen" />
              </th>
              <th scope="col">
                <TimeHeader label="Last seen" />
              </th>
              <th scope="col" className="numeric">
                Records
              </th>
              <th scope="col" className="numeric">
                Failures
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, 200).map((row) => (
              <tr key={row.value}>
                <td className={kind === 'ip' || kind === 'device' ? 'mono' : undefined}>
                  {kind === 'country' ? <Link to={activitiesHref({ user: userId, country: row.value })}>{row.value}</Link> : row.value}
                </td>
                <td className="nowrap">
                  <Time value={row.first} bare />
                </td>
                <td className="nowrap">
                  <Time value={row.last} bare />
                </td>
                <td className="numeric">{formatNumber(row.count)}</td>
                <td className="numeric">{row.failures ? formatNumber(row.failures) : <span className="muted">0</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function NotesPanel({ userId, notes, onAdded }: { userId: string; notes?: NoteRow[]; onAdded: () => void }) {
  const [text, setText] = useState('');
  const [saving, setSaving] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!text.trim()) return;
    setSaving(true);
    try {
      await addUserNote(userId, text);
      setText('');
      onAdded();
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <form className="note-form" onSubmit={(event) => void submit(event)}>
        <label htmlFor="note-text" className="muted small">
          Kept in this workspace only; imports never change them.
        </label>
        <textarea
          id="note-text"
          rows={3}
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder="What you found, what you did, what to check next"
        />
        <div>
          <button type="submit" className="button" disabled={saving || !text.trim()} data-testid="add-note">
            Add note
          </button>
        </div>
      </form>
      {notes && notes.length > 0 && (
        <ol className="notes" data-testid="user-notes">
          {notes.map((note) => (
            <li key={note.seq}>
              <p className="note-meta muted small">
                {note.by} · <Time value={note.at} />
              </p>
              <p className="note-text">{note.text}</p>
            </li>
          ))}
        </ol>
      )}
    </>
  );
}

/** The user's name: a display name, else the UPN, the object id, or the id without its type (`sid:S-1-5-…` → `S-1-5-…`). */
function userTitle(user: UserRow): string {
  return user.displayName || user.upn || user.objectId || user.id.slice(user.id.indexOf(':') + 1);
}

/** The identifier shown under the name, when there is one the title does not already show. */
function secondName(user: UserRow): string | undefined {
  return [user.upn, user.objectId].find((name) => name && name !== userTitle(user));
}
