import { useState } from 'react';
import { useNavigate } from 'react-router';
import { RiskLevelBadge, RiskStateBadge } from '../components/Badges.tsx';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { formatNumber } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { Time, TimeHeader } from '../components/Time.tsx';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { listUsers } from '../db/repo.ts';
import type { RankedUser } from '../db/repo.ts';
import type { UserRow } from '../db/schema.ts';
import { BandBadge, Percentile } from '../components/ScorePanel.tsx';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { useImportQueue } from '../import/queue.ts';
import { prefetchTimeline } from './UserTimeline.tsx';

/** Score and band, as the worker last ranked the user; the Dashboard's list shows the same column. */
export const priorityColumn: Column<RankedUser> = {
  key: 'priority',
  header: 'Priority',
  render: (row) =>
    row.priority ? (
      <span className="nowrap">
        <strong>{row.priority.score.toFixed(1)}</strong> <BandBadge band={row.priority.band} />
      </span>
    ) : (
      '—'
    ),
  className: 'numeric',
};

const columns: Column<RankedUser>[] = [
  { key: 'name', header: 'User', render: (row) => <UserName user={row} /> },
  priorityColumn,
  { key: 'percentile', header: 'Percentile', render: (row) => (row.priority ? <Percentile value={row.priority.percentile} short /> : '—') },
  {
    key: 'risk',
    header: 'Entra risk',
    render: (row) => {
      const risk = effectiveRisk(row);
      return (
        <span className="risk-pair">
          <span className="nowrap">
            <RiskLevelBadge level={risk.riskLevel} /> <RiskStateBadge state={risk.riskState} />
          </span>
          {risk.local && (
            <>
              {' '}
              <span
                className="badge badge-info"
                title={`An analyst's decision here; Entra ID Protection reported ${row.riskLevel ?? 'none'}, ${row.riskState ?? 'none'}`}
              >
                local
              </span>
            </>
          )}
        </span>
      );
    },
  },
  { key: 'detections', header: 'Detections', render: (row) => formatNumber(row.riskDetections), className: 'numeric' },
  { key: 'alerts', header: 'Alerts', render: (row) => formatNumber(row.alerts ?? 0), className: 'numeric' },
  { key: 'signins', header: 'Sign-ins', render: (row) => formatNumber(row.signIns), className: 'numeric' },
  { key: 'failed', header: 'Failed', render: (row) => formatNumber(row.failedSignIns), className: 'numeric' },
  { key: 'last', header: <TimeHeader label="Last seen" />, render: (row) => <Time value={row.lastSeen} bare />, className: 'nowrap' },
];

/** The risk the analyst decided here, when there is such a decision (the scoring applies it), else as reported. */
function effectiveRisk(row: RankedUser): { riskLevel?: string; riskState?: string; local: boolean } {
  const risk = row.priority?.risk;
  return risk?.source === 'local'
    ? { riskLevel: risk.riskLevel, riskState: risk.riskState, local: true }
    : { riskLevel: row.riskLevel, riskState: row.riskState, local: false };
}

export function UserName({ user }: { user: UserRow }) {
  return (
    <span className="user-name">
      <strong>{user.displayName || user.upn || user.objectId || user.id}</strong>
      {user.upn && user.displayName && (
        <span className="muted small" title={user.upn}>
          {user.upn}
        </span>
      )}
    </span>
  );
}

/** Every user is in memory for this view already, so the search filters here: name, UPN or any id. */
export function userMatches(user: UserRow, text: string): boolean {
  const needle = text.toLowerCase();
  return [user.displayName, user.upn, user.objectId, user.id].some((value) => value?.toLowerCase().includes(needle));
}

export function UsersView() {
  const navigate = useNavigate();
  const dataVersion = useImportQueue((queue) => queue.dataVersion);
  const state = useStoreQuery(listUsers, []);
  const [text, setText] = useState('');
  return (
    <div className="view">
      <ViewHeader
        title="Users"
        subtitle="Every person in the workspace, joined across sources, by investigation priority (confirmed compromised first)."
        actions={<SearchBox label="Search users" placeholder="Search users" onSearch={setText} delayMs={50} />}
      />
      <QueryView state={state}>
        {(users) => {
          if (users.length === 0) return <EmptyState title="No users yet" />;
          const shown = text ? users.filter((user) => userMatches(user, text)) : users;
          if (shown.length === 0)
            return (
              <EmptyState title={`No user matches “${text}”`} actions={false}>
                <p>Search by display name, UPN or object id; Escape clears the search.</p>
              </EmptyState>
            );
          return (
            <>
              <DataTable
                columns={columns}
                rows={shown}
                onOpen={(user) => {
                  // The timeline's first page is read while the user page renders, not after.
                  prefetchTimeline(user.id, dataVersion);
                  void navigate(`/users/${encodeURIComponent(user.id)}`);
                }}
                testId="users-table"
                label="Users"
              />
              <footer className="table-footer">
                {formatNumber(shown.length)} of {formatNumber(users.length)} users
              </footer>
            </>
          );
        }}
      </QueryView>
    </div>
  );
}
