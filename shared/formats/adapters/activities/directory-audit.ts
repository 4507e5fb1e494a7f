/**
 * Entra directory audit: Graph `directoryAudit` (`/auditLogs/directoryAudits`) and the Log Analytics
 * `AuditLogs` table, where `InitiatedBy` and `TargetResources` are JSON strings.
 */
import { identifiers } from '../../../model/identity.ts';
import type { ActivityRecord, Identifier } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter, type NormalizeResult } from '../../adapter.ts';
import { FieldReader, isObject } from '../../fields.ts';
import { assign, requiredTime } from '../common.ts';
import { activity, cleanIp, contentId, guidObjectId, personUpn, resultSuccess } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

/** Time columns of each channel; the hunting-query CSV (AuditLogs_Hunting.csv) has none and its rows are rejected. */
const AUDIT_TIME = ['activityDateTime', 'TimeGenerated', 'TimeGenerated [UTC]', 'ActivityDateTime [UTC]'];

/** The value of `additionalDetails` `[{key, value}]` with the given key. */
function detail(reader: FieldReader, key: string): string | undefined {
  for (const item of reader.array('additionalDetails') ?? []) {
    if (!isObject(item)) continue;
    const entry = new FieldReader(item);
    if (entry.string('key')?.toLowerCase() === key.toLowerCase()) return entry.string('value');
  }
  return undefined;
}

/** Reads one directory audit record, from Graph, Log Analytics, or an Azure diagnostic record's `properties`. */
export function normalizeDirectoryAudit(reader: FieldReader, raw: unknown, format: string): NormalizeResult<ActivityRecord> {
  const when = requiredTime(reader, AUDIT_TIME);
  if (!when.ok)
    return when.reason === 'missing timestamp' ? reject(when.field, 'missing timestamp: this export has no activityDateTime or TimeGenerated column') : when;
  const action = reader.string('activityDisplayName', 'OperationName');
  if (!action) return reject('activityDisplayName', 'missing activity name');
  const initiatedBy = reader.object('initiatedBy');
  const user = initiatedBy?.object('user');
  const app = initiatedBy?.object('app');
  const people = identifiers(guidObjectId(user?.get('id')), personUpn(user?.get('userPrincipalName')));
  const appId = app?.string('servicePrincipalId') ?? app?.string('appId');
  const record = activity({
    nativeId: reader.string('id') ?? contentId(raw),
    source: 'entra-audit',
    format,
    time: when.ms,
    timeRaw: when.raw,
    activityType: 'directoryAudit',
    action,
    identifiers: people,
    raw,
  });
  const targets = (reader.array('targetResources') ?? []).filter(isObject).map((item) => new FieldReader(item));
  const targetIds: Identifier[] = [];
  for (const target of targets) {
    if (target.string('type')?.toLowerCase() !== 'user') continue;
    targetIds.push(...identifiers(guidObjectId(target.get('id')), personUpn(target.get('userPrincipalName'))));
  }
  record.targetIdentifiers = identifiers(...targetIds);
  const firstUser = targets.find((target) => target.string('type')?.toLowerCase() === 'user');
  const firstOther = targets.find((target) => target.string('type')?.toLowerCase() !== 'user' && target.string('displayName'));
  const success = resultSuccess(reader.get('result'));
  assign(record, {
    displayName: people.length ? user?.string('displayName') : undefined,
    workload:
      !people.length && appId ? { id: appId.toLowerCase(), name: app?.string('displayName', 'servicePrincipalName'), type: 'servicePrincipal' } : undefined,
    app: reader.string('loggedByService'),
    success,
    failureReason: success === false ? reader.string('resultReason', 'ResultDescription') : undefined,
    ipAddress: cleanIp(user?.string('ipAddress') ?? app?.string('ipAddress') ?? reader.string('InitiatingIpAddress', 'CallerIpAddress')),
    userAgent: detail(reader, 'User-Agent') ?? reader.string('UserAgent'),
    targetName: firstUser?.string('displayName', 'userPrincipalName'),
    objectName: firstOther?.string('displayName'),
  });
  return { ok: true, record };
}

export const directoryAudit: FormatAdapter<ActivityRecord> = {
  id: 'entra-directory-audit',
  label: FORMAT_LABELS['entra-directory-audit'],
  source: 'entra-audit',
  detect(fields) {
    // Tool CSVs may flatten the initiator into `InitiatedBy.User.UserPrincipalName`… columns.
    const initiatedBy = fields.has('initiatedby') || [...fields].some((name) => name.startsWith('initiatedby.'));
    if (!initiatedBy || !fields.has('targetresources')) return 0;
    return signatureScore(new Set([...fields, 'initiatedby']), [
      'id',
      'activitydisplayname',
      'activitydatetime',
      'category',
      'result',
      'initiatedby',
      'targetresources',
      'loggedbyservice',
      'correlationid',
    ]);
  },
  normalize: (reader, raw) => normalizeDirectoryAudit(reader, raw, 'entra-directory-audit'),
};
