import { useEffect, useState, type ReactNode } from 'react';
import { Link } from 'react-router';
import { getRawRecord, type ActivityItem, type AnyStoredRecord } from '../db/repo.ts';
import { RiskLevelBadge, RiskStateBadge, SourceLabel } from './Badges.tsx';
import { recordUserLabel, summarize } from './describe.ts';
import { formatLabel } from '../../shared/formats/labels.ts';
import { humanize } from './format.ts';
import { isPlainKey, modalIsOpen, useDocumentKeys } from './keyboard.ts';
import { Time } from './Time.tsx';

type AnyRecord = AnyStoredRecord | ActivityItem;

function place(record: { location?: { city?: string; state?: string; country?: string } }): string {
  const { city, state, country } = record.location ?? {};
  return [city, state, country].filter(Boolean).join(', ') || '—';
}

/** Every field of a stored record, and the record as the source wrote it. */
export function RecordDetails({ record, onClose, children }: { record: AnyRecord; onClose: () => void; children?: ReactNode }) {
  useDocumentKeys((event) => {
    if (event.key === 'Escape' && isPlainKey(event) && !modalIsOpen()) {
      event.preventDefault();
      onClose();
    }
  });
  const rows: [string, React.ReactNode][] = [
    ['Time', <Time key="time" value={record.time} />],
    ['Source', <SourceLabel key="s" source={record.source} />],
    ['Format', formatLabel(record.format)],
    ['Record id', <code key="i">{record.nativeId}</code>],
    ['Original time', <code key="t">{record.timeRaw}</code>],
    [
      'User',
      record.userId ? (
        <Link key="u" to={`/users/${encodeURIComponent(record.userId)}`}>
          {recordUserLabel(record) ?? record.userId}
        </Link>
      ) : (
        'Unattributed'
      ),
    ],
    ['Identifiers', record.identifiers.map((id) => `${id.type}: ${id.value}`).join(' · ') || '—'],
  ];
  if (record.kind === 'riskDetection') {
    rows.push(
      ['Risk event type', humanize(record.riskEventType)],
      ['Risk level', <RiskLevelBadge key="l" level={record.riskLevel} />],
      ['Risk state', <RiskStateBadge key="st" state={record.riskState} />],
      ['Risk detail', humanize(record.riskDetail)],
      ['Detection timing', humanize(record.detectionTimingType)],
      ['Activity', humanize(record.activity)],
      ['IP address', record.ipAddress ?? '—'],
      ['Location', place(record)],
      ['Sign-in request id', record.requestId ?? '—'],
    );
  } else if (record.kind === 'signIn') {
    rows.push(
      ['Result', record.success ? 'Success' : `Failure ${record.errorCode}: ${record.failureReason ?? ''}`],
      ['Application', record.appDisplayName ?? '—'],
      ['Resource', record.resourceDisplayName ?? '—'],
      ['Client app', record.clientAppUsed ?? '—'],
      ['IP address', record.ipAddress ?? '—'],
      ['Location', place(record)],
      ['Device', [record.deviceOs, record.deviceBrowser].filter(Boolean).join(' · ') || '—'],
      ['Risk during sign-in', <RiskLevelBadge key="r" level={record.riskLevelDuringSignIn} />],
      ['Risk event types', record.riskEventTypes.map(humanize).join(', ') || '—'],
      ['Conditional access', humanize(record.conditionalAccessStatus)],
    );
  } else if (record.kind === 'riskyUser') {
    rows.push(
      ['Risk level', <RiskLevelBadge key="l" level={record.riskLevel} />],
      ['Risk state', <RiskStateBadge key="st" state={record.riskState} />],
      ['Risk detail', humanize(record.riskDetail)],
    );
  } else if (record.kind === 'activity') {
    rows.push(
      ['Activity', record.action],
      ['Type', humanize(record.activityType)],
      ['Application', record.app ?? '—'],
      ['Result', record.success === undefined ? '—' : record.success ? 'Success' : `Failure${record.failureReason ? `: ${record.failureReason}` : ''}`],
      ['IP address', record.ipAddress ?? '—'],
      ['Location', place(record)],
      ['Device', record.deviceName ?? '—'],
      [
        'Workload identity',
        record.workload
          ? `${record.workload.name ?? record.workload.id} (${record.workload.type === 'managedIdentity' ? 'managed identity' : 'service principal'})`
          : '—',
      ],
      ['Target', record.targetName ?? (record.targetIdentifiers.map((id) => id.value).join(', ') || '—')],
    );
  } else if (record.kind === 'alert' || record.kind === 'incident') {
    rows.push(
      ['Title', record.title],
      ['Severity', <RiskLevelBadge key="sev" level={record.severity} />],
      ['Status', humanize(record.status)],
      ['Classification', humanize(record.classification)],
      ['Determination', humanize(record.determination)],
      ['Affected users', record.affectedUsers.map((ids) => ids.map((id) => id.value).join(' / ')).join('; ') || '—'],
    );
    if (record.kind === 'alert')
      rows.push(
        ['Alert type', record.alertType ?? '—'],
        ['Category', humanize(record.category)],
        ['Application', record.app ?? '—'],
        // Identity Protection names itself as both the service and the detection source: say it once.
        ['Raised by', [...new Set([record.serviceSource, record.detectionSource].filter(Boolean))].join(' · ') || '—'],
        ['Description', record.description ?? '—'],
        ['First activity', record.firstActivity === undefined ? '—' : <Time key="fa" value={record.firstActivity} />],
        ['Last activity', record.lastActivity === undefined ? '—' : <Time key="la" value={record.lastActivity} />],
        ['Last updated', record.lastUpdateTime === undefined ? '—' : <Time key="lu" value={record.lastUpdateTime} />],
        ['Evidence: IP addresses', record.ipAddresses.join(', ') || '—'],
        ['Evidence: devices', record.devices.join(', ') || '—'],
        ['MITRE techniques', record.mitreTechniques.join(', ') || '—'],
        [
          'Incident',
          record.incidentId ? (
            <Link key="inc" to={`/incidents/${encodeURIComponent(`incident:${record.incidentId}`)}`}>
              {record.incidentId}
            </Link>
          ) : (
            '—'
          ),
        ],
      );
  }
  return (
    <aside className="drawer" aria-label="Record details" data-testid="record-details">
      <header className="drawer-header">
        <h2>{summarize(record).title}</h2>
        <button type="button" className="button ghost" onClick={onClose} aria-label="Close details" aria-keyshortcuts="Escape" title="Close (Esc)">
          ✕
        </button>
      </header>
      <dl className="fields">
        {rows.map(([label, value]) => (
          <div key={label} className="field">
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {children}
      <RawData record={record} />
    </aside>
  );
}

/** The record as the source wrote it; activities keep theirs in a separate row, read only when opened. */
function RawData({ record }: { record: AnyRecord }) {
  const [open, setOpen] = useState(false);
  const [raw, setRaw] = useState<{ for: AnyRecord; value: unknown; failed?: string }>();
  useEffect(() => {
    if (!open || raw?.for === record) return;
    let live = true;
    getRawRecord(record).then(
      (value) => live && setRaw({ for: record, value }),
      (error: unknown) => live && setRaw({ for: record, value: undefined, failed: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [open, record, raw]);
  const shown = raw?.for === record ? raw : undefined;
  return (
    <details className="raw" onToggle={(event) => setOpen((event.target as HTMLDetailsElement).open)}>
      <summary>View raw data</summary>
      {/* Focusable so the keyboard can scroll a long record. */}
      <pre data-testid="raw-data" tabIndex={0} aria-label="Raw record">
        {shown ? (shown.failed ? `Could not load the raw record: ${shown.failed}` : JSON.stringify(shown.value, null, 2)) : 'Loading…'}
      </pre>
    </details>
  );
}
