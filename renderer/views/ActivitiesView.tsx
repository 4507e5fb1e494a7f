import { ResultBadge, RiskLevelBadge } from '../components/Badges.tsx';
import type { Column } from '../components/DataTable.tsx';
import { formatTime } from '../components/format.ts';
import { UserLink } from '../components/RecordLink.tsx';
import { listActivities } from '../db/repo.ts';
import type { StoredActivity } from '../db/schema.ts';
import { RecordListView } from './RecordListView.tsx';

const columns: Column<StoredActivity>[] = [
  { key: 'time', header: 'Time (UTC)', render: (row) => formatTime(row.time), className: 'nowrap' },
  { key: 'user', header: 'User', render: (row) => <UserLink userId={row.userId} label={row.displayName ?? row.identifiers[0]?.value} /> },
  { key: 'app', header: 'Application', render: (row) => row.appDisplayName ?? '—' },
  { key: 'result', header: 'Result', render: (row) => <ResultBadge success={row.success} label={row.success ? 'Success' : `Failure ${row.errorCode}`} /> },
  { key: 'ip', header: 'IP address', render: (row) => row.ipAddress ?? '—', className: 'mono' },
  { key: 'where', header: 'Location', render: (row) => [row.location?.city, row.location?.country].filter(Boolean).join(', ') || '—' },
  { key: 'risk', header: 'Sign-in risk', render: (row) => <RiskLevelBadge level={row.riskLevelDuringSignIn} /> },
];

export function ActivitiesView() {
  return (
    <RecordListView
      title="Activities"
      subtitle="Sign-ins and other activity from every source, newest first."
      emptyTitle="No activities yet"
      fetchPage={listActivities}
      columns={columns}
      testId="activities-table"
    />
  );
}
