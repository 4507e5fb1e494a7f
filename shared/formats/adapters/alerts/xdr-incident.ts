import { normalizeAlertStatus, normalizeSeverity, type AlertRecord, type Identifier, type IncidentRecord } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter, type NormalizeResult } from '../../adapter.ts';
import type { FieldReader } from '../../fields.ts';
import { assign, optionalTime, requiredTime } from '../common.ts';
import {
  accountIdentifiers,
  alertKey,
  incidentTime,
  mergeUsers,
  normalizeClassification,
  normalizeDetermination,
  objects,
  originOf,
  readNestedAlerts,
  stringList,
  unique,
  usersOf,
} from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

const FORMAT = 'xdr-incident';

/**
 * Defender XDR (Microsoft 365 Defender) `/api/incidents`: one incident object or a `{"value":[…]}` page.
 * `incidentId` is a number here. Each incident holds its alerts, with `entities[]` (User entities carry
 * the object id, UPN, SID and `accountName`+`domainName` together) and `devices[]`.
 */
export const xdrIncident: FormatAdapter<IncidentRecord> = {
  id: FORMAT,
  label: FORMAT_LABELS['xdr-incident'],
  source: 'defender-xdr',

  detect(fields) {
    if (!fields.has('incidentid') || !fields.has('incidentname')) return 0;
    return signatureScore(
      fields,
      ['incidentid', 'incidentname', 'status', 'severity', 'alerts', 'createdtime', 'lastupdatetime'],
      ['incidentnumber', 'systemalertid'],
    );
  },

  normalize(reader, raw) {
    const nativeId = reader.string('incidentId');
    if (!nativeId) return reject('incidentId', 'missing incident id');
    const nested = objects(reader, 'alerts');
    const when = incidentTime(reader, ['createdTime'], nested, ['creationTime', 'firstActivity']);
    if (!when.ok) return when;
    const { alerts, alertIds } = readNestedAlerts(nested, 'alertId', (alert) => xdrAlertRecord(alert, alert.record, nativeId));
    const affectedUsers = usersOf(alerts);
    const record: IncidentRecord = {
      kind: 'incident',
      id: `incident:${nativeId}`,
      nativeId,
      source: 'defender-xdr',
      format: FORMAT,
      time: when.ms,
      timeRaw: when.raw,
      identifiers: affectedUsers[0] ?? [],
      title: reader.string('incidentName') ?? nativeId,
      severity: normalizeSeverity(reader.get('severity')),
      status: normalizeAlertStatus(reader.get('status')),
      alertIds,
      tags: stringList(reader.get('tags')),
      affectedUsers,
      raw,
    };
    assign(record, {
      classification: normalizeClassification(reader.string('classification')),
      determination: normalizeDetermination(reader.string('determination')),
      assignedTo: reader.string('assignedTo'),
      lastUpdateTime: optionalTime(reader, 'lastUpdateTime'),
    });
    return alerts.length ? { ok: true, record, extra: alerts } : { ok: true, record };
  },
};

/** One alert of an XDR incident. */
function xdrAlertRecord(reader: FieldReader, raw: unknown, incidentId: string): NormalizeResult<AlertRecord> {
  const nativeId = reader.string('alertId');
  if (!nativeId) return reject('alertId', 'missing alert id');
  const when = requiredTime(reader, ['creationTime', 'firstActivity']);
  if (!when.ok) return when;
  const origin = originOf(reader.string('serviceSource'), reader.string('detectionSource'));
  const users: Identifier[][] = [];
  const ips: (string | undefined)[] = [];
  for (const entity of objects(reader, 'entities')) {
    const type = entity.string('entityType')?.toLowerCase();
    if (type === 'user') {
      users.push(
        accountIdentifiers({
          objectId: entity.get('aadUserId'),
          upn: entity.get('userPrincipalName'),
          sid: entity.get('userSid'),
          accountName: entity.string('accountName'),
          domainName: entity.string('domainName'),
        }),
      );
    } else if (type === 'mailbox') {
      // The mailbox owner: the UPN and the mailbox address can differ (seen in the docs example).
      users.push(accountIdentifiers({ upn: entity.get('userPrincipalName'), email: entity.get('mailboxAddress'), objectId: entity.get('aadUserId') }));
    } else if (type === 'ip') ips.push(entity.string('ipAddress'));
  }
  const devices = objects(reader, 'devices').map((device) => device.string('deviceDnsName', 'mdatpDeviceId', 'aadDeviceId', 'deviceId'));
  const affectedUsers = mergeUsers(users);
  const record: AlertRecord = {
    kind: 'alert',
    id: alertKey(nativeId),
    nativeId,
    source: origin.source,
    format: FORMAT,
    time: when.ms,
    timeRaw: when.raw,
    identifiers: affectedUsers[0] ?? [],
    title: reader.string('title') ?? reader.string('category') ?? nativeId,
    severity: normalizeSeverity(reader.get('severity')),
    status: normalizeAlertStatus(reader.get('status')),
    mitreTechniques: stringList(reader.get('mitreTechniques')),
    affectedUsers,
    ipAddresses: unique(ips),
    devices: unique(devices),
    incidentId,
    raw,
  };
  assign(record, {
    classification: normalizeClassification(reader.string('classification')),
    determination: normalizeDetermination(reader.string('determination')),
    serviceSource: reader.string('serviceSource'),
    detectionSource: reader.string('detectionSource'),
    app: origin.app,
    category: reader.string('category'),
    description: reader.string('description'),
    firstActivity: optionalTime(reader, 'firstActivity'),
    lastActivity: optionalTime(reader, 'lastActivity'),
    lastUpdateTime: optionalTime(reader, 'lastUpdatedTime'),
  });
  return { ok: true, record };
}
