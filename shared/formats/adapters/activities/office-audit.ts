/**
 * The Office 365 unified audit log: the `Search-UnifiedAuditLog` CSV (Hawk, Extractor-Suite, the Purview
 * portal exports) with the record in its `AuditData` JSON column, Graph audit log query records (`auditData`
 * object), the bare AuditData records, and Sentinel's flattened `OfficeActivity`.
 */
import { identifiers } from '../../../model/identity.ts';
import type { ActivityRecord, Identifier } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter } from '../../adapter.ts';
import type { FieldReader } from '../../fields.ts';
import { assign, requiredTime } from '../common.ts';
import { activity, cleanIp, contentId, guidObjectId, personUpn, resultSuccess } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

/** UAL `UserType` numbers and the words OfficeActivity writes for them. */
const USER_TYPES: Record<string, string> = {
  '0': 'regular',
  '1': 'reserved',
  '2': 'admin',
  '3': 'dcadmin',
  '4': 'system',
  '5': 'application',
  '6': 'serviceprincipal',
  '7': 'custompolicy',
  '8': 'systempolicy',
  '9': 'partnertechnician',
  '10': 'guest',
};
/** User types that are a person of the tenant (or a guest or partner acting in it). Microsoft datacenter admins, system and app actors are not. */
const PERSON_TYPES = new Set(['regular', 'reserved', 'admin', 'partnertechnician', 'guest']);

/**
 * The actor of an audit record: the UPN in `UserId`, and the object id in `UserKey` when it is a GUID
 * (Entra records; other workloads put a PUID or a SharePoint claim there). Nothing when the user type is
 * not a person, or the id is a system principal (`NT AUTHORITY\SYSTEM (…)`, `S-1-5-18`) or an app (`app@sharepoint`).
 */
export function officeActor(userId: unknown, userKey: unknown, userType: unknown): Identifier[] {
  const typeText = typeof userType === 'number' ? String(userType) : typeof userType === 'string' ? userType.trim() : '';
  const type = USER_TYPES[typeText] ?? typeText.toLowerCase();
  if (type && !PERSON_TYPES.has(type)) return [];
  const upn = personUpn(userId);
  if (!upn) return [];
  return identifiers(guidObjectId(userKey), upn);
}

/** Mailbox owners and users acted on, when they differ from the actor. */
function officeTargets(actor: Identifier[], ...candidates: unknown[]): Identifier[] {
  const actorKeys = new Set(actor.map((id) => `${id.type}:${id.value}`));
  return identifiers(...candidates.map(personUpn)).filter((id) => !actorKeys.has(`${id.type}:${id.value}`));
}

/** The user agent of Entra records, which sits in `ExtendedProperties` as `{Name: "UserAgent", Value}`. */
function extendedUserAgent(reader: FieldReader): string | undefined {
  for (const item of reader.array('ExtendedProperties') ?? []) {
    if (typeof item === 'object' && item !== null && (item as { Name?: unknown }).Name === 'UserAgent') {
      const value = (item as { Value?: unknown }).Value;
      if (typeof value === 'string' && value) return value;
    }
  }
  return undefined;
}

/** Fields every unified audit log record carries (the Management Activity API's common schema). */
const AUDIT_RECORD_FIELDS = ['creationtime', 'id', 'operation', 'organizationid', 'recordtype', 'userkey', 'usertype', 'workload', 'userid'];

export const unifiedAuditLog: FormatAdapter<ActivityRecord> = {
  id: 'o365-unified-audit-log',
  label: FORMAT_LABELS['o365-unified-audit-log'],
  source: 'office-365',
  detect(fields) {
    if (!fields.has('auditdata')) {
      // The AuditData records themselves, one per line or in arrays: what Extractor-Suite's `Get-UAL -Output JSON`
      // writes (the AuditData column expanded) and the Management Activity API returns.
      const core = ['creationtime', 'operation', 'recordtype', 'workload'].every((name) => fields.has(name));
      return core ? signatureScore(fields, AUDIT_RECORD_FIELDS, ['officeworkload']) : 0;
    }
    // Hawk / Extractor-Suite: RecordType,CreationDate,UserIds,Operations,AuditData…; portal: RecordId,CreationDate,RecordType,Operation,UserId,AuditData…
    // Graph's audit log query (Extractor-Suite's Get-UALGraph): id, createdDateTime, operation, userId, auditData{…}.
    const operation = fields.has('operations') || fields.has('operation');
    const user = fields.has('userids') || fields.has('userid');
    return signatureScore(fields, ['auditdata', 'creationdate']) * 0.6 + (operation ? 0.2 : 0) + (user ? 0.2 : 0);
  },
  normalize(reader, raw) {
    // A record with an AuditData column wraps the audit record; a record without one is the audit record.
    const audit = reader.has('AuditData') ? reader.object('AuditData') : reader;
    if (!audit) return reject('AuditData', 'missing, or not a JSON object');
    const nativeId = audit.string('Id') ?? reader.string('Identity', 'RecordId');
    if (!nativeId) return reject('AuditData.Id', 'missing audit record id');
    // CreationTime is ISO without a zone, in UTC; CreationDate (US display format) is the same instant.
    const fromAudit = requiredTime(audit, ['CreationTime']);
    const when = fromAudit.ok ? fromAudit : requiredTime(reader, ['CreationDate', 'CreationDate [UTC]']);
    if (!when.ok) return fromAudit.ok ? when : reject(`AuditData.${fromAudit.field}`, fromAudit.reason);
    const action = audit.string('Operation') ?? reader.string('Operations', 'Operation');
    if (!action) return reject('AuditData.Operation', 'missing operation');
    const actor = officeActor(audit.get('UserId') ?? reader.get('UserIds', 'UserId'), audit.get('UserKey'), audit.get('UserType'));
    const record = activity({
      nativeId,
      source: 'office-365',
      format: 'o365-unified-audit-log',
      time: when.ms,
      timeRaw: when.raw,
      activityType: 'officeActivity',
      action,
      identifiers: actor,
      raw,
    });
    record.targetIdentifiers = officeTargets(actor, audit.get('MailboxOwnerUPN'), audit.get('DestMailboxOwnerUPN'));
    const success = resultSuccess(audit.get('ResultStatus'));
    assign(record, {
      app: audit.string('Workload'),
      success,
      failureReason: success === false ? audit.string('LogonError', 'ErrorNumber') : undefined,
      ipAddress: cleanIp(audit.string('ClientIP', 'ClientIPAddress', 'ActorIpAddress')),
      userAgent: audit.string('UserAgent') ?? extendedUserAgent(audit),
      objectName: audit.string('ObjectId'),
    });
    return { ok: true, record };
  },
};

/**
 * Sentinel `OfficeActivity`, flattened: `TimeGenerated`, `Operation`, `UserId`, `UserKey`, `UserType` as a
 * word, `RecordType` as a number or name, `OfficeWorkload`, `ClientIP`, `ResultStatus`, `OfficeId`.
 * When a hunting query dropped `TimeGenerated` (office_activity_inbox_rule.csv), `Start_Time` is used:
 * it is when the record was collected, minutes after the event, and `timeRaw` keeps it visible.
 */
export const officeActivity: FormatAdapter<ActivityRecord> = {
  id: 'sentinel-office-activity',
  label: FORMAT_LABELS['sentinel-office-activity'],
  source: 'office-365',
  detect(fields) {
    if (!fields.has('officeworkload') || !fields.has('operation')) return 0;
    return signatureScore(
      fields,
      ['operation', 'userid', 'userkey', 'usertype', 'recordtype', 'officeworkload', 'clientip', 'resultstatus', 'officeid'],
      ['auditdata'],
    );
  },
  normalize(reader, raw) {
    const when = requiredTime(reader, ['TimeGenerated', 'TimeGenerated [UTC]', 'CreationTime', 'Start_Time', 'Start_Time [UTC]']);
    if (!when.ok) return when;
    const action = reader.string('Operation');
    if (!action) return reject('Operation', 'missing operation');
    const actor = officeActor(reader.get('UserId'), reader.get('UserKey'), reader.get('UserType'));
    const record = activity({
      nativeId: reader.string('OfficeId', 'SourceRecordId') ?? contentId(raw),
      source: 'office-365',
      format: 'sentinel-office-activity',
      time: when.ms,
      timeRaw: when.raw,
      activityType: 'officeActivity',
      action,
      identifiers: actor,
      raw,
    });
    const targetType = reader.string('TargetUserOrGroupType')?.toLowerCase();
    record.targetIdentifiers = officeTargets(
      actor,
      reader.get('MailboxOwnerUPN'),
      reader.get('DestMailboxOwnerUPN'),
      targetType === 'member' || targetType === 'user' || targetType === 'owner' ? reader.get('TargetUserOrGroupName') : undefined,
    );
    assign(record, {
      app: reader.string('OfficeWorkload'),
      success: resultSuccess(reader.get('ResultStatus')),
      ipAddress: cleanIp(reader.string('ClientIP', 'Client_IPAddress', 'ActorIpAddress')),
      userAgent: reader.string('UserAgent'),
      objectName: reader.string('OfficeObjectId'),
      targetName: reader.string('TargetUserOrGroupName'),
    });
    return { ok: true, record };
  },
};
