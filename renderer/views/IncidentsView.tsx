import { useNavigate } from 'react-router';
import { RiskLevelBadge } from '../components/Badges.tsx';
import type { Column } from '../components/DataTable.tsx';
import { recordUserLabel } from '../components/describe.ts';
import { formatNumber, humanize } from '../components/format.ts';
import { UserLink } from '../components/RecordLink.tsx';
import { Time, TimeHeader } from '../components/Time.tsx';
import { type Cursor, listIncidents } from '../db/repo.ts';
import type { StoredIncident } from '../db/schema.ts';
import { RecordListView } from './RecordListView.tsx';
import { incidentMatches } from './incident-model.ts';

const columns: Column<StoredIncident>[] = [
  { key: 'time', header: <TimeHeader label="Created" />, render: (row) => <Time value={row.time} bare />, className: 'nowrap' },
  { key: 'title', header: 'Incident', render: (row) => row.title },
  { key: 'severity', header: 'Severity', render: (row) => <RiskLevelBadge level={row.severity} /> },
  { key: 'status', header: 'Status', render: (row) => humanize(row.status) },
  { key: 'classification', header: 'Classification', render: (row) => humanize(row.classification) },
  { key: 'alerts', header: 'Alerts', render: (row) => formatNumber(row.alertIds.length), className: 'numeric' },
  { key: 'users', header: 'Affected users', render: (row) => formatNumber(row.affectedUsers.length), className: 'numeric' },
  { key: 'user', header: 'First affected user', render: (row) => <UserLink userId={row.userId} label={recordUserLabel(row)} /> },
];

/**
 * Incidents are few next to alerts, and the store has no text filter for them yet: each page is read as
 * usual and filtered here, so paging by cursor stays exact.
 */
async function fetchIncidents(text: string, limit: number, after?: Cursor) {
  const page = await listIncidents(limit, after);
  return text ? { ...page, rows: page.rows.filter((incident) => incidentMatches(incident, text)) } : page;
}

export function IncidentsView() {
  const navigate = useNavigate();
  return (
    <RecordListView
      title="Incidents"
      subtitle="Incidents from Defender XDR, Graph security and Sentinel exports, newest first."
      emptyTitle="No incidents yet"
      searchLabel="Search incidents"
      fetchPage={fetchIncidents}
      columns={columns}
      testId="incidents-table"
      onOpen={(incident) => void navigate(`/incidents/${encodeURIComponent(incident.id)}`)}
    />
  );
}
