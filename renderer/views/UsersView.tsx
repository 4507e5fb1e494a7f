import { useNavigate } from 'react-router';
import { RiskLevelBadge, RiskStateBadge } from '../components/Badges.tsx';
import { type Column, DataTable } from '../components/DataTable.tsx';
import { EmptyState } from '../components/EmptyState.tsx';
import { formatNumber, formatTime } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { listUsers } from '../db/repo.ts';
import type { UserRow } from '../db/schema.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';

const columns: Column<UserRow>[] = [
  { key: 'name', header: 'User', render: (row) => <UserName user={row} /> },
  { key: 'level', header: 'Risk level', render: (row) => <RiskLevelBadge level={row.riskLevel} /> },
  { key: 'state', header: 'Risk state', render: (row) => <RiskStateBadge state={row.riskState} /> },
  { key: 'detections', header: 'Risk detections', render: (row) => formatNumber(row.riskDetections), className: 'numeric' },
  { key: 'signins', header: 'Sign-ins', render: (row) => formatNumber(row.signIns), className: 'numeric' },
  { key: 'failed', header: 'Failed', render: (row) => formatNumber(row.failedSignIns), className: 'numeric' },
  { key: 'last', header: 'Last seen (UTC)', render: (row) => formatTime(row.lastSeen), className: 'nowrap' },
];

export function UserName({ user }: { user: UserRow }) {
  return (
    <span className="user-name">
      <strong>{user.displayName || user.upn || user.objectId || user.id}</strong>
      {user.upn && user.displayName && <span className="muted small">{user.upn}</span>}
    </span>
  );
}

export function UsersView() {
  const navigate = useNavigate();
  const state = useStoreQuery(listUsers, []);
  return (
    <div className="view">
      <header className="view-header">
        <h1>Users</h1>
        <p className="subtitle">Every person in the workspace, joined across sources, riskiest first.</p>
      </header>
      <QueryView state={state}>
        {(users) =>
          users.length === 0 ? (
            <EmptyState title="No users yet" />
          ) : (
            <DataTable columns={columns} rows={users} onOpen={(user) => navigate(`/users/${encodeURIComponent(user.id)}`)} testId="users-table" label="Users" />
          )
        }
      </QueryView>
    </div>
  );
}
