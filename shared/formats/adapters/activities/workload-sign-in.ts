/**
 * Workload sign-ins: service principals and managed identities signing in. Log Analytics
 * `AADServicePrincipalSignInLogs` / `AADManagedIdentitySignInLogs`, and Graph `signIn` rows with a
 * `servicePrincipalId` and an empty user. They become `workloadSignIn` activities that name the workload
 * and NO user: workloads are kept apart from people.
 */
import type { ActivityRecord, SignInRecord } from '../../../model/records.ts';
import { signatureScore, type FormatAdapter, type NormalizeResult } from '../../adapter.ts';
import type { FieldReader } from '../../fields.ts';
import { assign, readPlace, requiredTime } from '../common.ts';
import { entraSignIn } from '../entra-sign-in.ts';
import { activity, cleanIp, contentId, filled } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

const FORMAT = 'entra-workload-sign-in';
const SIGN_IN_TIME = ['createdDateTime', 'TimeGenerated', 'createdDateTime [UTC]', 'TimeGenerated [UTC]'];

function isManagedIdentity(reader: FieldReader, hint: string | undefined): boolean {
  if (hint && /managedidentity/i.test(hint)) return true;
  const declared = [reader.string('managedIdentityType'), reader.object('managedServiceIdentity')?.string('msiType')].some(
    (value) => !!value && value.toLowerCase() !== 'none',
  );
  return declared || reader.string('clientCredentialType')?.toLowerCase() === 'managedidentity';
}

/**
 * True when a sign-in row is a workload's: it names a service principal and no user. Graph writes the
 * user fields of workload sign-ins as empty strings, which read as absent.
 */
export function isWorkloadSignIn(reader: FieldReader, category?: string): boolean {
  if (filled(reader, 'userPrincipalName', 'userId')) return false;
  if (category && /(serviceprincipal|managedidentity)signin/i.test(category)) return true;
  return filled(reader, 'servicePrincipalId', 'servicePrincipalName');
}

/**
 * Reads a workload sign-in. `category` is the table or diagnostic category when the caller knows it
 * (`Type`/`Category` column, `ServicePrincipalSignInLogs` …). Exported for the Entra sign-in adapter,
 * which sees workload rows inside Graph signIn pages (see the report for the suggested change).
 */
export function normalizeWorkloadSignIn(reader: FieldReader, raw: unknown, format: string, category?: string): NormalizeResult<ActivityRecord> {
  const when = requiredTime(reader, SIGN_IN_TIME);
  if (!when.ok) return when;
  const hint = category ?? reader.string('Type', 'Category');
  const managed = isManagedIdentity(reader, hint);
  const status = reader.object('status');
  const codeText = status?.get('errorCode') ?? reader.get('ResultType');
  const code = typeof codeText === 'number' || typeof codeText === 'string' ? Number(codeText) : undefined;
  const errorCode = code !== undefined && Number.isFinite(code) ? code : undefined;
  const workloadId = reader.string('servicePrincipalId') ?? reader.string('appId') ?? reader.string('servicePrincipalName');
  const record = activity({
    nativeId: reader.string('id') ?? contentId(raw),
    source: 'entra-sign-ins',
    format,
    time: when.ms,
    timeRaw: when.raw,
    activityType: 'workloadSignIn',
    action: managed ? 'Managed identity sign-in' : 'Service principal sign-in',
    identifiers: [],
    raw,
  });
  assign(record, {
    workload: workloadId
      ? { id: workloadId.toLowerCase(), name: reader.string('servicePrincipalName', 'appDisplayName'), type: managed ? 'managedIdentity' : 'servicePrincipal' }
      : undefined,
    app: reader.string('resourceDisplayName'),
    success: errorCode === undefined ? undefined : errorCode === 0,
    failureReason: errorCode ? (status?.string('failureReason') ?? reader.string('ResultDescription') ?? `error ${errorCode}`) : undefined,
    ipAddress: cleanIp(reader.string('ipAddress')),
    location: readPlace(reader, 'location', 'locationDetails'),
    objectName: reader.string('resourceDisplayName'),
  });
  return { ok: true, record };
}

/**
 * Sign-in exports that can hold workload rows: Graph beta `signIn` pages and `AADNonInteractiveUserSignInLogs`
 * (both carry `clientCredentialType`, which the Entra sign-in adapter leaves to this one), and the
 * workload-only tables `AADServicePrincipalSignInLogs` / `AADManagedIdentitySignInLogs` (a service
 * principal and no user columns). Routed per row: a workload's row becomes a `workloadSignIn` activity,
 * a user's row is read by the Entra sign-in adapter into a sign-in.
 */
export const workloadSignIn: FormatAdapter<SignInRecord | ActivityRecord> = {
  id: FORMAT,
  label: FORMAT_LABELS['entra-workload-sign-in'],
  source: 'entra-sign-ins',
  detect(fields) {
    const workloadColumns = fields.has('clientcredentialtype') || (fields.has('serviceprincipalid') && !fields.has('userprincipalname'));
    if (!workloadColumns) return 0;
    if (![...SIGN_IN_TIME, 'authenticationDetails'].some((name) => fields.has(name.toLowerCase()))) return 0;
    return signatureScore(
      fields,
      ['id', 'appid', 'ipaddress', 'serviceprincipalid', 'resourcedisplayname', 'conditionalaccessstatus', 'correlationid'],
      ['riskeventtype'],
    );
  },
  normalize(reader, raw) {
    if (isWorkloadSignIn(reader)) return normalizeWorkloadSignIn(reader, raw, FORMAT);
    const result = entraSignIn.normalize(reader, raw);
    if (result.ok) result.record.format = FORMAT;
    return result;
  },
};
