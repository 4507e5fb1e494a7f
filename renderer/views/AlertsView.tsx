import { RiskLevelBadge, SourceLabel } from '../components/Badges.tsx';
import type { Column } from '../components/DataTable.tsx';
import { recordUserLabel, summarize } from '../components/describe.ts';
import { humanize } from '../components/format.ts';
import { UserLink } from '../components/RecordLink.tsx';
import { Time, TimeHeader } from '../components/Time.tsx';
import { type Cursor, listAlertQueue, type QueueItem } from '../db/repo.ts';
import { RecordListView } from './RecordListView.tsx';

const columns: Column<QueueItem>[] = [
  { key: 'time', header: <TimeHeader label="Time" />, render: (row) => <Time value={row.time} bare />, className: 'nowrap' },
  { key: 'title', header: 'Alert', render: (row) => summarize(row).title },
  { key: 'severity', header: 'Severity', render: (row) => <RiskLevelBadge level={row.kind === 'alert' ? row.severity : row.riskLevel} /> },
  { key: 'status', header: 'Status', render: (row) => humanize(row.kind === 'alert' ? row.status : row.riskState) },
  { key: 'source', header: 'Source', render: (row) => <SourceLabel source={row.source} /> },
  { key: 'user', header: 'User', render: (row) => <UserLink userId={row.userId} label={recordUserLabel(row)} /> },
  { key: 'ip', header: 'IP address', render: (row) => summarize(row).ipAddress ?? '—', className: 'mono nowrap' },
];

/** The search box's text is the filter's text: the store answers it (renderer/db/filters.ts defines the match). */
const fetchAlerts = (text: string, limit: number, after?: Cursor) => listAlertQueue({ text }, limit, after);

/** The alerts queue: alerts from every source, with Identity Protection's risk detections among them. */
export function AlertsView() {
  return (
    <RecordListView
      title="Alerts"
      subtitle="Alerts from every source and Identity Protection risk detections, newest first."
      emptyTitle="No alerts yet"
      searchLabel="Search alerts"
      fetchPage={fetchAlerts}
      columns={columns}
      testId="alerts-table"
    />
  );
}
