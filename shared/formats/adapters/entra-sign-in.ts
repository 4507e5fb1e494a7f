import { normalizeRiskLevel, normalizeRiskState, type SignInRecord } from '../../model/records.ts';
import { reject, signatureScore, type FormatAdapter } from '../adapter.ts';
import { FieldReader, isObject } from '../fields.ts';
import { assign, entraUserIdentifiers, readPlace, requiredTime } from './common.ts';
import { FORMAT_LABELS } from '../labels.ts';

/** Entra interactive and non-interactive user sign-ins: Graph `signIn`, `SigninLogs`, `AADNonInteractiveUserSignInLogs`. */
export const entraSignIn: FormatAdapter<SignInRecord> = {
  id: 'entra-sign-in',
  label: FORMAT_LABELS['entra-sign-in'],
  source: 'entra-sign-ins',

  detect(fields) {
    if (!fields.has('appdisplayname') || !fields.has('clientappused')) return 0;
    return signatureScore(
      fields,
      ['id', 'appdisplayname', 'ipaddress', 'userprincipalname', 'clientappused', 'conditionalaccessstatus', 'isinteractive', 'resourcedisplayname'],
      ['riskeventtype', 'clientcredentialtype'],
    );
  },

  normalize(reader, raw) {
    const nativeId = reader.string('id');
    if (!nativeId) return reject('id', 'missing sign-in id');
    const when = signInTime(reader);
    if (!when.ok) return when;
    const status = reader.object('status');
    const errorCodeRaw = status?.get('errorCode') ?? reader.get('resultType');
    const errorCode = errorCodeRaw === undefined ? 0 : Number(errorCodeRaw);
    if (!Number.isFinite(errorCode)) return reject('status.errorCode', `not a number: "${String(errorCodeRaw)}"`);
    const device = reader.object('deviceDetail');
    const riskEventTypes = (reader.array('riskEventTypes_v2', 'riskEventTypesV2', 'riskEventTypes') ?? []).filter((value): value is string => typeof value === 'string');
    const record: SignInRecord = {
      kind: 'signIn',
      id: `signIn:${nativeId}`,
      nativeId,
      source: 'entra-sign-ins',
      format: 'entra-sign-in',
      time: when.ms,
      timeRaw: when.raw,
      identifiers: entraUserIdentifiers(reader),
      success: errorCode === 0,
      errorCode,
      riskEventTypes,
      raw,
    };
    assign(record, {
      displayName: reader.string('userDisplayName'),
      failureReason: errorCode === 0 ? undefined : (status?.string('failureReason') ?? reader.string('resultDescription')),
      ipAddress: reader.string('ipAddress'),
      location: readPlace(reader, 'location', 'locationDetails'),
      appDisplayName: reader.string('appDisplayName'),
      resourceDisplayName: reader.string('resourceDisplayName'),
      clientAppUsed: reader.string('clientAppUsed'),
      userAgent: reader.string('userAgent'),
      deviceOs: device?.string('operatingSystem'),
      deviceBrowser: device?.string('browser'),
      deviceId: device?.string('deviceId'),
      isInteractive: reader.boolean('isInteractive'),
      riskLevelDuringSignIn: optionalRisk(reader.get('riskLevelDuringSignIn')),
      riskLevelAggregated: optionalRisk(reader.get('riskLevelAggregated')),
      riskState: reader.get('riskState') === undefined ? undefined : normalizeRiskState(reader.get('riskState')),
      conditionalAccessStatus: reader.string('conditionalAccessStatus'),
      authenticationRequirement: reader.string('authenticationRequirement'),
      correlationId: reader.string('correlationId'),
    });
    return { ok: true, record };
  },
};

/**
 * When the sign-in happened. Some Log Analytics exports drop CreatedDateTime and TimeGenerated
 * (seen in a real portal export); the first authentication step's time is then the sign-in's.
 */
function signInTime(reader: FieldReader) {
  const direct = requiredTime(reader, ['createdDateTime', 'timeGenerated']);
  if (direct.ok || (direct.reason !== 'missing timestamp' && !direct.placeholder)) return direct;
  const firstStep = reader.array('authenticationDetails')?.[0];
  if (isObject(firstStep)) {
    const step = requiredTime(new FieldReader(firstStep), ['authenticationStepDateTime']);
    if (step.ok) return step;
  }
  return direct;
}

function optionalRisk(value: unknown) {
  return value === undefined ? undefined : normalizeRiskLevel(value);
}
