import { normalizeAlertStatus, normalizeSeverity, type AlertRecord, type Identifier } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter, type NormalizeResult } from '../../adapter.ts';
import type { FieldReader } from '../../fields.ts';
import { assign, optionalTime, requiredTime } from '../common.ts';
import { accountIdentifiers, alertKey, mergeUsers, normalizeClassification, normalizeDetermination, objects, originOf, stringList, unique } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

export const GRAPH_ALERT_FORMAT = 'graph-security-alert';

/**
 * Graph security alert v2 (`/security/alerts_v2`), as a Graph page, NDJSON or an array. Users come from
 * `evidence[]` items of type userEvidence (and the owner of mailboxEvidence); Panther's test events write
 * `@odata.type` as `at_sign_odata_type`.
 */
export const graphSecurityAlert: FormatAdapter<AlertRecord> = {
  id: GRAPH_ALERT_FORMAT,
  label: FORMAT_LABELS['graph-security-alert'],
  source: 'defender-xdr',

  detect(fields) {
    if (!fields.has('createddatetime')) return 0;
    if (!fields.has('servicesource') && !fields.has('provideralertid') && !fields.has('evidence')) return 0;
    return signatureScore(
      fields,
      ['id', 'title', 'severity', 'status', 'servicesource', 'createddatetime', 'lastupdatedatetime', 'category', 'evidence', 'firstactivitydatetime'],
      // Incidents (Graph, XDR), Graph v1 alerts and their flattened CSV.
      ['alerts', 'displayname', 'incidentname', 'vendorinformation', 'userstates', 'provider', 'affecteduser', 'systemalertid'],
    );
  },

  normalize(reader, raw) {
    return graphAlertRecord(reader, raw, GRAPH_ALERT_FORMAT);
  },
};

/** Reads one Graph alert v2, alone or nested in a Graph incident (whose id then wins over the alert's own `incidentId`). */
export function graphAlertRecord(reader: FieldReader, raw: unknown, format: string, parentIncidentId?: string): NormalizeResult<AlertRecord> {
  const nativeId = reader.string('id');
  if (!nativeId) return reject('id', 'missing alert id');
  const when = requiredTime(reader, ['createdDateTime', 'firstActivityDateTime']);
  if (!when.ok) return when;
  const origin = originOf(reader.string('serviceSource'), reader.string('productName'), reader.string('detectionSource'));
  const evidence = readEvidence(reader);
  const affectedUsers = mergeUsers(evidence.users);
  const record: AlertRecord = {
    kind: 'alert',
    id: alertKey(nativeId),
    nativeId,
    source: origin.source,
    format,
    time: when.ms,
    timeRaw: when.raw,
    identifiers: affectedUsers[0] ?? [],
    title: reader.string('title') ?? reader.string('category') ?? nativeId,
    severity: normalizeSeverity(reader.get('severity')),
    status: normalizeAlertStatus(reader.get('status')),
    mitreTechniques: stringList(reader.get('mitreTechniques')),
    affectedUsers,
    ipAddresses: evidence.ips,
    devices: evidence.devices,
    raw,
  };
  assign(record, {
    displayName: evidence.firstDisplayName,
    classification: normalizeClassification(reader.string('classification')),
    determination: normalizeDetermination(reader.string('determination')),
    serviceSource: reader.string('serviceSource'),
    detectionSource: reader.string('detectionSource'),
    app: origin.app,
    category: reader.string('category'),
    description: reader.string('description'),
    firstActivity: optionalTime(reader, 'firstActivityDateTime'),
    lastActivity: optionalTime(reader, 'lastActivityDateTime'),
    lastUpdateTime: optionalTime(reader, 'lastUpdateDateTime'),
    incidentId: parentIncidentId ?? reader.string('incidentId'),
  });
  return { ok: true, record };
}

interface Evidence {
  users: Identifier[][];
  ips: string[];
  devices: string[];
  firstDisplayName?: string;
}

/** The people, addresses and devices an alert's evidence names. */
function readEvidence(reader: FieldReader): Evidence {
  const users: Identifier[][] = [];
  const ips: (string | undefined)[] = [];
  const devices: (string | undefined)[] = [];
  let firstDisplayName: string | undefined;
  for (const item of objects(reader, 'evidence')) {
    const type = (item.string('@odata.type', 'at_sign_odata_type', 'odataType') ?? '').toLowerCase().replace(/^#?microsoft\.graph\.security\./, '');
    if (type === 'userevidence' || type === 'mailboxevidence') {
      const account = item.object('userAccount');
      const ids = accountIdentifiers({
        objectId: account?.get('azureAdUserId'),
        upn: account?.get('userPrincipalName'),
        sid: account?.get('userSid'),
        accountName: account?.string('accountName'),
        domainName: account?.string('domainName'),
        email: type === 'mailboxevidence' ? item.get('primaryAddress') : undefined,
      });
      if (ids.length && !users.length) firstDisplayName = account?.string('displayName') ?? item.string('displayName');
      users.push(ids);
    } else if (type === 'ipevidence') ips.push(item.string('ipAddress'));
    else if (type === 'deviceevidence') devices.push(item.string('deviceDnsName', 'hostName', 'mdeDeviceId', 'azureAdDeviceId'));
  }
  const result: Evidence = { users, ips: unique(ips), devices: unique(devices) };
  if (firstDisplayName) result.firstDisplayName = firstDisplayName;
  return result;
}
