/**
 * Defender for Cloud Apps activity: the advanced-hunting / Sentinel table `CloudAppEvents`, and the
 * Cloud Apps REST API activity (`/api/v1/activities/`).
 */
import { identifiers } from '../../../model/identity.ts';
import type { ActivityRecord, Identifier } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter, type NormalizeResult } from '../../adapter.ts';
import { FieldReader, isObject } from '../../fields.ts';
import { assign, requiredTime } from '../common.ts';
import { HUNTING_TIME } from './defender-identity.ts';
import { activity, cleanIp, contentId, guidObjectId, isGuid, looseBoolean, personUpn, place, resultSuccess } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

/** `ActivityObjects` entries (`{Type, Role, Name, Id}`) of the given type and roles, as readers. */
function activityObjects(reader: FieldReader, type: string, roles: string[]): FieldReader[] {
  const out: FieldReader[] = [];
  for (const item of reader.array('ActivityObjects') ?? []) {
    if (!isObject(item)) continue;
    const object = new FieldReader(item);
    if (object.string('Type')?.toLowerCase() !== type.toLowerCase()) continue;
    if (roles.includes(object.string('Role')?.toLowerCase() ?? '')) out.push(object);
  }
  return out;
}

/**
 * The acting account of a CloudAppEvents row. A person is named by `AccountObjectId`, `AccountId`
 * (an object id, or a UPN when it holds an `@`) and `UserId`. An application acting on its own (app-only
 * access: `AccountType` Application, or an account id equal to the OAuth client id) is a workload and
 * names no person; the mailbox or user it acted on becomes the target.
 */
function cloudAppActor(reader: FieldReader): { people: Identifier[]; workload?: ActivityRecord['workload'] } {
  const objectId = reader.string('AccountObjectId');
  const accountId = reader.string('AccountId');
  const auditData = reader.object('RawEventData');
  const accountType = reader.string('AccountType')?.toLowerCase();
  const clientIds = [reader.string('OAuthAppId'), auditData?.string('ClientAppId'), auditData?.string('AppId')]
    .filter((id): id is string => !!id)
    .map((id) => id.toLowerCase());
  const actorId = objectId ?? (isGuid(accountId) ? accountId : undefined);
  const appActor = accountType === 'application' || accountType === 'serviceprincipal' || (actorId !== undefined && clientIds.includes(actorId.toLowerCase()));
  if (appActor && actorId) return { people: [], workload: { id: actorId.toLowerCase(), name: reader.string('AccountDisplayName'), type: 'servicePrincipal' } };
  const auditUserIsPerson = ['0', '2'].includes(auditData?.string('UserType') ?? '');
  const people = identifiers(
    guidObjectId(objectId),
    guidObjectId(accountId),
    accountId?.includes('@') ? personUpn(accountId) : undefined,
    personUpn(reader.get('UserId')),
    auditUserIsPerson ? personUpn(auditData?.get('UserId')) : undefined,
  );
  return { people };
}

/** Users the activity was done to: `ActivityObjects` users in a target or parameter role, and mailbox owners. */
function cloudAppTargets(reader: FieldReader, actor: Identifier[]): Identifier[] {
  const auditData = reader.object('RawEventData');
  const objects = activityObjects(reader, 'User', ['target object', 'destination', 'parameter']);
  const targets = identifiers(
    ...objects.map((object) => guidObjectId(object.get('Id'))),
    ...objects.map((object) => personUpn(object.get('Id'))),
    personUpn(auditData?.get('MailboxOwnerUPN')),
  );
  const actorKeys = new Set(actor.map((id) => `${id.type}:${id.value}`));
  return targets.filter((id) => !actorKeys.has(`${id.type}:${id.value}`));
}

/** Reads one CloudAppEvents row (advanced hunting or Sentinel). */
export function normalizeCloudAppEvent(reader: FieldReader, raw: unknown, format: string): NormalizeResult<ActivityRecord> {
  const when = requiredTime(reader, HUNTING_TIME);
  if (!when.ok) return when;
  const action = reader.string('ActionType');
  if (!action) return reject('ActionType', 'missing action type');
  const auditData = reader.object('RawEventData');
  const actor = cloudAppActor(reader);
  const record = activity({
    nativeId: reader.string('ReportId') ?? auditData?.string('Id') ?? contentId(raw),
    source: 'defender-for-cloud-apps',
    format,
    time: when.ms,
    timeRaw: when.raw,
    activityType: 'cloudAppActivity',
    action,
    identifiers: actor.people,
    raw,
  });
  record.targetIdentifiers = cloudAppTargets(reader, actor.people);
  const targetUser = activityObjects(reader, 'User', ['target object', 'destination', 'parameter'])[0];
  assign(record, {
    displayName: actor.workload ? undefined : reader.string('AccountDisplayName'),
    workload: actor.workload,
    app: reader.string('Application'),
    success: resultSuccess(auditData?.get('ResultStatus')),
    ipAddress: cleanIp(reader.string('IPAddress')),
    location: place(reader.string('City'), reader.string('CountryCode')),
    isp: reader.string('ISP'),
    userAgent: reader.string('UserAgent'),
    isAdminOperation: looseBoolean(reader.get('IsAdminOperation')),
    objectName: reader.string('ObjectName'),
    targetName: targetUser?.string('Name'),
  });
  return { ok: true, record };
}

export const cloudAppEvents: FormatAdapter<ActivityRecord> = {
  id: 'mdca-cloud-app-events',
  label: FORMAT_LABELS['mdca-cloud-app-events'],
  source: 'defender-for-cloud-apps',
  detect(fields) {
    if (!HUNTING_TIME.some((name) => fields.has(name.toLowerCase())) || !fields.has('actiontype') || !fields.has('application')) return 0;
    return signatureScore(
      fields,
      [
        'actiontype',
        'application',
        'applicationid',
        'accountobjectid',
        'accountdisplayname',
        'ipaddress',
        'countrycode',
        'activitytype',
        'reportid',
        'raweventdata',
        'activityobjects',
        'isadminoperation',
      ],
      ['initiatingprocessfilename', 'initiatingprocessaccountsid', 'destinationdevicename', 'accountsid', 'logontype', 'querytype'],
    );
  },
  normalize: (reader, raw) => normalizeCloudAppEvent(reader, raw, 'mdca-cloud-app-events'),
};

/**
 * Cloud Apps REST activity (`/api/v1/activities/`): `_id`, epoch-ms `timestamp`, `user.userName`,
 * `appName`, `device.clientIP`, `location{countryCode,city,organizationSearchable}`, the operation in
 * `mainInfo.rawOperationName` (or `description`; `eventTypeName` is often `EVENT_CATEGORY_UNSPECIFIED`),
 * and the embedded unified-audit-log record in `rawDataJson`.
 */
export const mdcaActivity: FormatAdapter<ActivityRecord> = {
  id: 'mdca-activity',
  label: FORMAT_LABELS['mdca-activity'],
  source: 'defender-for-cloud-apps',
  detect(fields) {
    if (!fields.has('_id') || !fields.has('timestamp')) return 0;
    return signatureScore(
      fields,
      ['_id', 'timestamp', 'user', 'appname', 'eventtypename', 'eventtypevalue', 'device', 'location', 'maininfo', 'rawdatajson'],
      ['title', 'severityvalue', 'statusvalue', 'entities'],
    );
  },
  normalize(reader, raw) {
    const nativeId = reader.string('_id', 'uid');
    if (!nativeId) return reject('_id', 'missing activity id');
    const when = requiredTime(reader, ['timestamp', 'timestampRaw']);
    if (!when.ok) return when;
    const mainInfo = reader.object('mainInfo');
    const auditData = reader.object('rawDataJson');
    const action = mainInfo?.string('rawOperationName', 'prettyOperationName') ?? reader.string('description', 'eventTypeName', 'eventTypeValue');
    if (!action) return reject('eventTypeName', 'missing activity type');
    const user = reader.object('user');
    const device = reader.object('device');
    const location = reader.object('location');
    const userAgent = reader.get('userAgent');
    const record = activity({
      nativeId,
      source: 'defender-for-cloud-apps',
      format: 'mdca-activity',
      time: when.ms,
      timeRaw: when.raw,
      activityType: 'cloudAppActivity',
      action,
      identifiers: identifiers(personUpn(user?.get('userName'))),
      raw,
    });
    const firstObject = mainInfo?.array('eventObjects')?.find(isObject);
    assign(record, {
      app: reader.string('appName'),
      success: resultSuccess(auditData?.get('ResultStatus')),
      ipAddress: cleanIp(reader.string('ipAddress') ?? device?.string('clientIP')),
      location: place(location?.string('city'), location?.string('countryCode') ?? device?.string('countryCode'), location?.string('region')),
      isp: location?.string('organizationSearchable', 'organization'),
      userAgent: device?.string('userAgent') ?? (typeof userAgent === 'string' ? userAgent : undefined),
      objectName: auditData?.string('ObjectId') ?? (firstObject ? new FieldReader(firstObject).string('name') : undefined),
    });
    return { ok: true, record };
  },
};
