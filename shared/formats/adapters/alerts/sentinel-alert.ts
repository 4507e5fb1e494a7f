import { makeIdentifier } from '../../../model/identity.ts';
import { normalizeAlertStatus, normalizeSeverity, type AlertRecord, type Identifier } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter } from '../../adapter.ts';
import { FieldReader, isObject, type JsonObject } from '../../fields.ts';
import { assign, optionalTime, requiredTime } from '../common.ts';
import { accountIdentifiers, alertKey, mergeUsers, originOf, stringList, unique, utcColumn as utc, withoutUtc } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

const FORMAT = 'sentinel-security-alert';

/**
 * Microsoft Sentinel / Log Analytics `SecurityAlert` rows. `Entities` is a JSON string of typed entities
 * (`account`, `host`, `ip`, `mailbox` …) that may nest and refer to each other by `$id`/`$ref`; account
 * entities carry `Name`, `UPNSuffix`, `NTDomain`, `Sid` and `AadUserId` (never `ObjectGuid`, the on-prem id).
 * Sentinel writes a new row each time an alert changes, so one alert can arrive several times under one id.
 */
export const sentinelSecurityAlert: FormatAdapter<AlertRecord> = {
  id: FORMAT,
  label: FORMAT_LABELS['sentinel-security-alert'],
  source: 'defender-xdr',

  detect(fields) {
    if (!fields.has('systemalertid')) return 0;
    return signatureScore(
      withoutUtc(fields),
      ['systemalertid', 'alertname', 'alertseverity', 'providername', 'productname', 'entities', 'timegenerated', 'starttime', 'endtime', 'status'],
      ['incidentnumber'],
    );
  },

  normalize(reader, raw) {
    const nativeId = reader.string('SystemAlertId');
    if (!nativeId) return reject('SystemAlertId', 'missing alert id');
    const when = requiredTime(reader, [...utc('TimeGenerated'), ...utc('StartTime')]);
    if (!when.ok) return when;
    const productName = reader.string('ProductName');
    const providerName = reader.string('ProviderName');
    const origin = originOf(productName, providerName);
    const entities = readEntities(reader.array('Entities') ?? []);
    const compromised = reader.string('CompromisedEntity');
    const compromisedUpn = compromised?.includes('@') ? makeIdentifier('upn', compromised) : undefined;
    const affectedUsers = mergeUsers([...entities.users, compromisedUpn ? [compromisedUpn] : []]);
    const record: AlertRecord = {
      kind: 'alert',
      id: alertKey(nativeId),
      nativeId,
      source: origin.source,
      format: FORMAT,
      time: when.ms,
      timeRaw: when.raw,
      identifiers: affectedUsers[0] ?? [],
      title: reader.string('AlertName', 'DisplayName') ?? nativeId,
      severity: normalizeSeverity(reader.get('AlertSeverity')),
      status: normalizeAlertStatus(reader.get('Status')),
      mitreTechniques: unique([...stringList(reader.get('Techniques')), ...stringList(reader.get('SubTechniques'))]),
      affectedUsers,
      ipAddresses: entities.ips,
      devices: entities.devices,
      raw,
    };
    assign(record, {
      serviceSource: productName ?? providerName,
      detectionSource: providerName,
      app: origin.app,
      category: reader.string('Tactics'),
      alertType: reader.string('AlertType'),
      description: reader.string('Description'),
      firstActivity: optionalTime(reader, ...utc('StartTime')),
      lastActivity: optionalTime(reader, ...utc('EndTime')),
    });
    return { ok: true, record };
  },
};

interface Entities {
  users: Identifier[][];
  ips: string[];
  devices: string[];
}

/** Reads Sentinel's entity graph: every typed entity once, wherever it sits (top level or nested). */
function readEntities(items: unknown[]): Entities {
  const found: FieldReader[] = [];
  const seen = new Set<string>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 16) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    if (!isObject(value)) return;
    const entity = new FieldReader(value);
    const type = entity.string('Type');
    const id = entity.string('$id');
    if (type && !(id && seen.has(id))) {
      if (id) seen.add(id);
      found.push(entity);
    }
    for (const child of Object.values(value as JsonObject)) if (typeof child === 'object') visit(child, depth + 1);
  };
  visit(items, 0);

  const users: Identifier[][] = [];
  const ips: (string | undefined)[] = [];
  const devices: (string | undefined)[] = [];
  for (const entity of found) {
    const type = entity.string('Type')?.toLowerCase();
    if (type === 'account') {
      const name = entity.string('Name');
      const suffix = entity.string('UPNSuffix');
      users.push(
        accountIdentifiers({
          objectId: entity.get('AadUserId'),
          upn: entity.get('UserPrincipalName', 'Upn') ?? (name && suffix && !name.includes('@') ? `${name}@${suffix}` : undefined),
          sid: entity.get('Sid'),
          accountName: name,
          domainName: entity.string('NTDomain', 'DnsDomain'),
        }),
      );
    } else if (type === 'mailbox') {
      users.push(accountIdentifiers({ objectId: entity.get('AadId'), upn: entity.get('Upn'), email: entity.get('MailboxPrimaryAddress') }));
    } else if (type === 'ip') ips.push(entity.string('Address'));
    else if (type === 'host') {
      const host = entity.string('HostName');
      const domain = entity.string('DnsDomain');
      devices.push(host && domain ? `${host}.${domain}` : (host ?? entity.string('NetBiosName', 'FQDN')));
    }
  }
  return { users, ips: unique(ips), devices: unique(devices) };
}
