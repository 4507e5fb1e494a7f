/**
 * Entra logs as Azure Monitor diagnostic-settings records (what an Event Hub, a storage account or a SIEM
 * such as Panther receives): top-level `time`, `category`, `operationName`, `resultType`,
 * `callerIpAddress`, `correlationId`, and the Graph-shaped record under `properties`. Top-level keys may be
 * all lower-case (`calleripaddress`); field access is case-insensitive anyway.
 *
 * Routed per record by `category`:
 * - `SignInLogs`, `NonInteractiveUserSignInLogs`: user sign-ins, read by the Entra sign-in adapter
 *   (a row naming a service principal and no user becomes a workload sign-in instead);
 * - `ServicePrincipalSignInLogs`, `ManagedIdentitySignInLogs`: workload sign-ins;
 * - `AuditLogs`: directory audit.
 * Other categories are rejected by name.
 */
import type { NormalizedRecord } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter } from '../../adapter.ts';
import { FieldReader, type JsonObject } from '../../fields.ts';
import { entraSignIn } from '../entra-sign-in.ts';
import { normalizeDirectoryAudit } from './directory-audit.ts';
import { contentId } from './helpers.ts';
import { isWorkloadSignIn, normalizeWorkloadSignIn } from './workload-sign-in.ts';
import { FORMAT_LABELS } from '../../labels.ts';

const FORMAT = 'azure-diagnostic-entra';

/** `resultType` as diagnostic records write it: an error code (number or digits), or `Success` / `Failure`. */
function resultCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^-?\d+$/.test(text)) return Number(text);
  if (/^success$/i.test(text)) return 0;
  // A failure without its code: -1 marks "failed, code unknown" (no Entra error code is negative).
  if (/^fail(ure|ed)$/i.test(text)) return -1;
  return undefined;
}

/** The `properties` object completed from the envelope where the hand-written or trimmed records leave gaps. */
function signInProperties(envelope: FieldReader, properties: FieldReader, raw: unknown): JsonObject {
  const patched: JsonObject = { ...properties.record };
  if (properties.get('id') === undefined) patched.id = contentId(raw);
  if (properties.get('createdDateTime') === undefined && envelope.get('time') !== undefined) patched.createdDateTime = envelope.get('time');
  if (properties.get('ipAddress') === undefined && envelope.get('callerIpAddress') !== undefined) patched.ipAddress = envelope.get('callerIpAddress');
  if (properties.get('correlationId') === undefined && envelope.get('correlationId') !== undefined) patched.correlationId = envelope.get('correlationId');
  if (properties.object('status') === undefined) {
    const code = resultCode(envelope.get('resultType'));
    if (code !== undefined)
      patched.status = { errorCode: code, failureReason: code === 0 ? undefined : (envelope.string('resultDescription') ?? envelope.string('resultType')) };
  }
  return patched;
}

export const azureDiagnosticEntra: FormatAdapter<NormalizedRecord> = {
  id: FORMAT,
  label: FORMAT_LABELS['azure-diagnostic-entra'],
  source: 'entra-sign-ins',
  detect(fields) {
    if (!fields.has('properties') || !fields.has('category') || !fields.has('time')) return 0;
    return signatureScore(fields, ['time', 'category', 'operationname', 'properties', 'resourceid', 'correlationid', 'resulttype', 'calleripaddress']);
  },
  normalize(reader, raw) {
    const properties = reader.object('properties');
    if (!properties) return reject('properties', 'missing properties object');
    const category = reader.string('category') ?? '';
    const lower = category.toLowerCase();
    if (lower === 'auditlogs') {
      const patched: JsonObject = { ...properties.record };
      if (properties.get('activityDateTime') === undefined && reader.get('time') !== undefined) patched.activityDateTime = reader.get('time');
      return normalizeDirectoryAudit(new FieldReader(patched), raw, FORMAT);
    }
    if (!lower.endsWith('signinlogs')) return reject('category', `diagnostic category "${category}" is not read (only sign-in and audit logs are)`);
    const signIn = new FieldReader(signInProperties(reader, properties, raw));
    if (lower === 'serviceprincipalsigninlogs' || lower === 'managedidentitysigninlogs' || isWorkloadSignIn(signIn, category)) {
      return normalizeWorkloadSignIn(signIn, raw, FORMAT, category);
    }
    const result = entraSignIn.normalize(signIn, raw);
    if (result.ok) result.record.format = FORMAT;
    return result;
  },
};
