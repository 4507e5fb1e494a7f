import { ResultBadge, RiskLevelBadge } from '../components/Badges.tsx';
import type { Column } from '../components/DataTable.tsx';
import { recordUserLabel, summarize } from '../components/describe.ts';
import { UserLink } from '../components/RecordLink.tsx';
import { Time, TimeHeader } from '../components/Time.tsx';
import { type ActivityItem, type Cursor, listActivities } from '../db/repo.ts';
import { RecordListView } from './RecordListView.tsx';

const columns: Column<ActivityItem>[] = [
  { key: 'time', header: <TimeHeader label="Time" />, render: (row) => <Time value={row.time} bare />, className: 'nowrap' },
  { key: 'user', header: 'User', render: (row) => <UserLink userId={row.userId} label={recordUserLabel(row)} /> },
  { key: 'activity', header: 'Activity', render: (row) => summarize(row).title },
  { key: 'app', header: 'Application', render: (row) => summarize(row).app ?? '—' },
  {
    key: 'result',
    header: 'Result',
    render: (row) => {
      const { success, resultLabel } = summarize(row);
      return success === undefined ? '—' : <ResultBadge success={success} label={resultLabel} />;
    },
  },
  { key: 'ip', header: 'IP address', render: (row) => row.ipAddress ?? '—', className: 'mono nowrap' },
  { key: 'where', header: 'Location', render: (row) => summarize(row).place ?? '—' },
  { key: 'risk', header: 'Sign-in risk', render: (row) => (row.kind === 'signIn' ? <RiskLevelBadge level={row.riskLevelDuringSignIn} /> : '—') },
];

/** The search box's text is the filter's text: the store answers it (renderer/db/filters.ts defines the match). */
const fetchActivities = (text: string, limit: number, after?: Cursor) => listActivities({ text }, limit, after);

export function ActivitiesView() {
  return (
    <RecordListView
      title="Activities"
      subtitle="Sign-ins and other activity from every source, newest first."
      emptyTitle="No activities yet"
      searchLabel="Search activities"
      fetchPage={fetchActivities}
      columns={columns}
      testId="activities-table"
    />
  );
}
