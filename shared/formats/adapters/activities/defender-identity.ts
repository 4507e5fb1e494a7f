/**
 * Defender for Identity advanced-hunting tables (`IdentityLogonEvents`, `IdentityDirectoryEvents`,
 * `IdentityQueryEvents`) and the two Defender for Endpoint tables that carry identity activity
 * (`DeviceEvents` LDAP searches, `DeviceLogonEvents`), as exported from advanced hunting or Sentinel.
 */
import { hash53 } from '../../../hash.ts';
import type { ActivityRecord, ActivityType } from '../../../model/records.ts';
import { identifiers } from '../../../model/identity.ts';
import { reject, signatureScore, type FormatAdapter, type NormalizeResult } from '../../adapter.ts';
import type { FieldReader } from '../../fields.ts';
import { assign, requiredTime } from '../common.ts';
import { FORMAT_LABELS, type FormatId } from '../../labels.ts';
import { activity, canonicalJson, contentId, huntingAccount, looseObject, personUpn, place, resultSuccess } from './helpers.ts';

export type IdentityTable = 'IdentityLogonEvents' | 'IdentityDirectoryEvents' | 'IdentityQueryEvents';
export type EndpointTable = 'DeviceEvents' | 'DeviceLogonEvents';

/** Hunting time columns: `Timestamp` in advanced hunting, `TimeGenerated` in Sentinel, `[UTC]` in portal CSVs. */
export const HUNTING_TIME = ['Timestamp', 'TimeGenerated', 'Timestamp [UTC]', 'TimeGenerated [UTC]'];

const activityTypeOf: Record<IdentityTable, ActivityType> = {
  IdentityLogonEvents: 'onPremLogon',
  IdentityDirectoryEvents: 'directoryChange',
  IdentityQueryEvents: 'directoryQuery',
};

/**
 * The native id of a hunting row. `ReportId` is not unique on its own (Defender for Endpoint repeats it
 * across devices; Defender for Identity across the rows of one report), so it is combined with a hash of
 * the columns that tell the events of one report apart. Without a ReportId the whole row is hashed.
 */
export function huntingNativeId(reader: FieldReader, timeMs: number, raw: unknown): string {
  const reportId = reader.string('ReportId');
  if (!reportId) return contentId(raw);
  const key = [
    timeMs,
    reader.string('ActionType'),
    reader.string('DeviceId', 'DeviceName'),
    reader.string('AccountSid', 'AccountUpn', 'AccountName', 'InitiatingProcessAccountSid'),
    reader.string('DestinationDeviceName'),
    reader.string('TargetAccountUpn', 'TargetAccountDisplayName'),
    reader.string('QueryTarget', 'Query'),
  ];
  return `${reportId}:${hash53(canonicalJson(key))}`;
}

/** Reads one row of a Defender for Identity hunting table. */
export function normalizeIdentityRow(table: IdentityTable, reader: FieldReader, raw: unknown, format: string): NormalizeResult<ActivityRecord> {
  const when = requiredTime(reader, HUNTING_TIME);
  if (!when.ok) return when;
  const action = reader.string('ActionType');
  if (!action) return reject('ActionType', 'missing action type');
  const record = activity({
    nativeId: huntingNativeId(reader, when.ms, raw),
    source: 'defender-for-identity',
    format,
    time: when.ms,
    timeRaw: when.raw,
    activityType: activityTypeOf[table],
    action,
    identifiers: huntingAccount(reader, 'Account'),
    raw,
  });
  record.targetIdentifiers = identifiers(personUpn(reader.get('TargetAccountUpn')));
  const location = reader.string('Location');
  const isCountryCode = location !== undefined && /^[A-Z]{2}$/.test(location.trim());
  assign(record, {
    displayName: reader.string('AccountDisplayName'),
    app: reader.string('Application'),
    success: table === 'IdentityLogonEvents' ? resultSuccess(action) : undefined,
    failureReason: reader.string('FailureReason'),
    ipAddress: reader.string('IPAddress'),
    location: place(isCountryCode ? undefined : location, isCountryCode ? location : undefined),
    isp: reader.string('ISP'),
    deviceName: reader.string('DeviceName'),
    protocol: reader.string('Protocol'),
    logonType: reader.string('LogonType'),
    targetName: reader.string('TargetAccountDisplayName', 'TargetAccountUpn', 'TargetDeviceName'),
    objectName: table === 'IdentityQueryEvents' ? reader.string('QueryTarget', 'Query') : undefined,
  });
  return { ok: true, record };
}

/**
 * Reads a Defender for Endpoint row that carries identity activity:
 * - `DeviceEvents` with ActionType `LdapSearch` becomes a `directoryQuery` by the account that owns the
 *   searching process (`InitiatingProcessAccount*`), with the LDAP filter as its object;
 * - `DeviceLogonEvents` becomes an `onPremLogon` of the account that logged on.
 * Other endpoint events (process, file, registry…) are not identity activity and are rejected by name.
 */
export function normalizeEndpointRow(table: EndpointTable, reader: FieldReader, raw: unknown, format: string): NormalizeResult<ActivityRecord> {
  const when = requiredTime(reader, HUNTING_TIME);
  if (!when.ok) return when;
  const action = reader.string('ActionType');
  if (!action) return reject('ActionType', 'missing action type');
  const logon = table === 'DeviceLogonEvents';
  if (!logon && action.toLowerCase() !== 'ldapsearch')
    return reject('ActionType', `DeviceEvents action "${action}" is not identity activity (only LdapSearch is read)`);
  const record = activity({
    nativeId: huntingNativeId(reader, when.ms, raw),
    source: 'defender-xdr',
    format,
    time: when.ms,
    timeRaw: when.raw,
    activityType: logon ? 'onPremLogon' : 'directoryQuery',
    action,
    identifiers: huntingAccount(reader, logon ? 'Account' : 'InitiatingProcessAccount'),
    raw,
  });
  const search = logon ? undefined : looseObject(reader.get('AdditionalFields'));
  assign(record, {
    app: reader.string('InitiatingProcessFileName'),
    success: logon ? resultSuccess(action) : undefined,
    failureReason: logon ? reader.string('FailureReason') : undefined,
    ipAddress: logon ? reader.string('RemoteIP') : undefined,
    deviceName: reader.string('DeviceName'),
    protocol: logon ? reader.string('Protocol') : undefined,
    logonType: logon ? reader.string('LogonType') : undefined,
    objectName: search?.string('SearchFilter', 'DistinguishedName'),
  });
  return { ok: true, record };
}

/** Columns every Defender for Identity table has; a pure export scores on these plus its own. */
const IDENTITY_COMMON = [
  'actiontype',
  'accountname',
  'accountdomain',
  'accountupn',
  'accountsid',
  'accountobjectid',
  'devicename',
  'destinationdevicename',
  'reportid',
];
/** Columns that belong to other hunting tables: their presence means this is not a pure Identity* export. */
const NOT_IDENTITY = ['initiatingprocessfilename', 'initiatingprocessaccountsid', 'activityobjects', 'raweventdata', 'activitytype'];

function hasHuntingTime(fields: ReadonlySet<string>): boolean {
  return HUNTING_TIME.some((name) => fields.has(name.toLowerCase()));
}

function identityAdapter(table: IdentityTable, id: FormatId, own: string[], forbidden: string[]): FormatAdapter<ActivityRecord> {
  return {
    id,
    label: FORMAT_LABELS[id],
    source: 'defender-for-identity',
    detect(fields) {
      if (!hasHuntingTime(fields) || !own.every((name) => fields.has(name))) return 0;
      return signatureScore(fields, [...IDENTITY_COMMON, ...own], [...NOT_IDENTITY, ...forbidden]);
    },
    normalize: (reader, raw) => normalizeIdentityRow(table, reader, raw, id),
  };
}

export const identityLogonEvents = identityAdapter(
  'IdentityLogonEvents',
  'mdi-identity-logon-events',
  ['logontype', 'protocol', 'failurereason'],
  ['querytype'],
);
export const identityQueryEvents = identityAdapter('IdentityQueryEvents', 'mdi-identity-query-events', ['querytype', 'querytarget'], ['logontype']);
export const identityDirectoryEvents = identityAdapter(
  'IdentityDirectoryEvents',
  'mdi-identity-directory-events',
  ['protocol', 'application'],
  ['logontype', 'querytype'],
);
