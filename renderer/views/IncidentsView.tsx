import { RiskLevelBadge } from '../components/Badges.tsx';
import type { Column } from '../components/DataTable.tsx';
import { formatNumber, formatTime, humanize } from '../components/format.ts';
import { UserLink } from '../components/RecordLink.tsx';
import { listIncidents } from '../db/repo.ts';
import type { StoredIncident } from '../db/schema.ts';
import { RecordListView } from './RecordListView.tsx';

const columns: Column<StoredIncident>[] = [
  { key: 'time', header: 'Created (UTC)', render: (row) => formatTime(row.time), className: 'nowrap' },
  { key: 'title', header: 'Incident', render: (row) => row.title },
  { key: 'severity', header: 'Severity', render: (row) => <RiskLevelBadge level={row.severity} /> },
  { key: 'status', header: 'Status', render: (row) => humanize(row.status) },
  { key: 'classification', header: 'Classification', render: (row) => humanize(row.classification) },
  { key: 'alerts', header: 'Alerts', render: (row) => formatNumber(row.alertIds.length), className: 'numeric' },
  { key: 'user', header: 'First affected user', render: (row) => <UserLink userId={row.userId} label={row.displayName ?? row.identifiers[0]?.value} /> },
];

export function IncidentsView() {
  return (
    <RecordListView
      title="Incidents"
      subtitle="Incidents from Defender XDR and Sentinel exports, newest first."
      emptyTitle="No incidents yet"
      fetchPage={listIncidents}
      columns={columns}
      testId="incidents-table"
    />
  );
}
