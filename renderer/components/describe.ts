/**
 * One-line summaries of any stored record, so lists and timelines treat every kind alike.
 */
import type { NormalizedRecord, Place } from '../../shared/model/records.ts';
import { humanize } from './format.ts';

export interface RecordSummary {
  title: string;
  app?: string;
  /** true success, false failure, undefined when the source does not say. */
  success?: boolean;
  resultLabel?: string;
  ipAddress?: string;
  place?: string;
  detail: string;
  /** The level shown as a badge: risk level for detections, severity for alerts. */
  level?: string;
}

export function placeText(place: Place | undefined): string | undefined {
  const text = [place?.city, place?.state, place?.country].filter(Boolean).join(', ');
  return text || undefined;
}

export function summarize(record: NormalizedRecord): RecordSummary {
  switch (record.kind) {
    case 'riskDetection':
      return {
        title: humanize(record.riskEventType),
        level: record.riskLevel,
        ipAddress: record.ipAddress,
        place: placeText(record.location),
        detail: [record.ipAddress, placeText(record.location), humanize(record.riskState)].filter(Boolean).join(' · '),
      };
    case 'signIn':
      return {
        title: `Sign-in to ${record.appDisplayName ?? 'an application'}`,
        app: record.appDisplayName,
        success: record.success,
        resultLabel: record.success ? 'Success' : `Failure ${record.errorCode}`,
        ipAddress: record.ipAddress,
        place: placeText(record.location),
        level: record.riskLevelDuringSignIn,
        detail: [record.ipAddress, placeText(record.location), record.deviceOs, record.deviceBrowser, record.success ? undefined : record.failureReason]
          .filter(Boolean)
          .join(' · '),
      };
    case 'activity':
      return {
        title: record.action,
        app: record.app,
        success: record.success,
        resultLabel: record.success === undefined ? undefined : record.success ? 'Success' : 'Failure',
        ipAddress: record.ipAddress,
        place: placeText(record.location),
        detail: [humanize(record.activityType), record.app, record.ipAddress, placeText(record.location), record.targetName, record.deviceName]
          .filter(Boolean)
          .join(' · '),
      };
    case 'alert':
      return {
        title: record.title,
        app: record.app,
        level: record.severity,
        ipAddress: record.ipAddresses[0],
        detail: [record.serviceSource, humanize(record.status), record.category].filter(Boolean).join(' · '),
      };
    case 'incident':
      return { title: record.title, level: record.severity, detail: [humanize(record.status), `${record.alertIds.length} alerts`].join(' · ') };
    case 'riskyUser':
      return {
        title: 'User risk changed',
        level: record.riskLevel,
        detail: [humanize(record.riskState), humanize(record.riskDetail)].filter(Boolean).join(' · '),
      };
  }
}

/**
 * What to call the person a record names when it carries no display name: the UPN or email an analyst
 * recognises before a bare object id or SID.
 */
export function recordUserLabel(record: Pick<NormalizedRecord, 'displayName' | 'identifiers'>): string | undefined {
  const { displayName, identifiers } = record;
  return displayName ?? (identifiers.find((id) => id.type === 'upn') ?? identifiers.find((id) => id.type === 'email') ?? identifiers[0])?.value;
}

/**
 * A row's user as the tables show it: the name the users list gives them (one person reads the same in every
 * row), with the record's own label (a UPN, an account name) as the tooltip when it says something else.
 */
export function rowUserLabel(row: Pick<NormalizedRecord, 'displayName' | 'identifiers'> & { userName?: string }): { label?: string; title?: string } {
  const own = recordUserLabel(row);
  if (!row.userName) return { label: own };
  return { label: row.userName, title: own && own !== row.userName ? `In the record: ${own}` : undefined };
}
