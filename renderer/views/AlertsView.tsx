import { RiskLevelBadge, RiskStateBadge } from '../components/Badges.tsx';
import type { Column } from '../components/DataTable.tsx';
import { formatTime, humanize } from '../components/format.ts';
import { UserLink } from '../components/RecordLink.tsx';
import { listRiskDetections } from '../db/repo.ts';
import type { StoredRiskDetection } from '../db/schema.ts';
import { RecordListView } from './RecordListView.tsx';

const columns: Column<StoredRiskDetection>[] = [
  { key: 'time', header: 'Time (UTC)', render: (row) => formatTime(row.time), className: 'nowrap' },
  { key: 'type', header: 'Detection', render: (row) => humanize(row.riskEventType) },
  { key: 'level', header: 'Level', render: (row) => <RiskLevelBadge level={row.riskLevel} /> },
  { key: 'state', header: 'State', render: (row) => <RiskStateBadge state={row.riskState} /> },
  { key: 'user', header: 'User', render: (row) => <UserLink userId={row.userId} label={row.displayName ?? row.identifiers[0]?.value} /> },
  { key: 'ip', header: 'IP address', render: (row) => row.ipAddress ?? '—', className: 'mono' },
  { key: 'where', header: 'Location', render: (row) => [row.location?.city, row.location?.country].filter(Boolean).join(', ') || '—' },
];

/** The alerts queue. Until the alert formats arrive, Identity Protection risk detections are its alerts. */
export function AlertsView() {
  return (
    <RecordListView
      title="Alerts"
      subtitle="Risk detections from Entra ID Protection, newest first."
      emptyTitle="No alerts yet"
      fetchPage={listRiskDetections}
      columns={columns}
      testId="alerts-table"
    />
  );
}
