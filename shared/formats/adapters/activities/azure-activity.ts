/**
 * Azure activity log events at tenant scope: what Extractor-Suite's `Get-DirectoryActivityLogs` collects from
 * `management.azure.com/providers/microsoft.insights/eventtypes/management/values` (Azure RBAC at the root,
 * `elevateAccess`, diagnostic settings of Entra). Each event has `eventTimestamp`, `caller`, `claims`,
 * `operationName{value,localizedValue}`, `status{value}`, `httpRequest{clientIpAddress}` and `eventDataId`.
 *
 * As JSON the nested parts are objects. As CSV (the cmdlet's default) Export-Csv wrote each nested part as
 * PowerShell's display of an object, `@{value=Succeeded; localizedValue=Succeeded}`, which is read back here.
 */
import { identifiers } from '../../../model/identity.ts';
import type { ActivityRecord } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter } from '../../adapter.ts';
import { FieldReader, isObject, type JsonObject } from '../../fields.ts';
import { assign, requiredTime } from '../common.ts';
import { activity, cleanIp, contentId, guidObjectId, personUpn, resultSuccess } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

const FORMAT = 'azure-activity-log';
const OBJECT_ID_CLAIM = 'http://schemas.microsoft.com/identity/claims/objectidentifier';
const UPN_CLAIM = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/upn';

/**
 * PowerShell's display of a PSCustomObject, `@{a=1; b=x}`, as an object of strings. Keys are found where
 * `; name=` follows, so a value holding a semicolon without `=` after it stays whole.
 */
export function readPowerShellObject(text: string): JsonObject | undefined {
  const body = /^@\{([\s\S]*)\}$/.exec(text.trim())?.[1];
  if (body === undefined) return undefined;
  const out: JsonObject = {};
  if (!body.trim()) return out;
  const keys = [...body.matchAll(/(?:^|; )([^=;{}]+)=/g)];
  if (keys.length === 0 || keys[0]!.index !== 0) return undefined;
  keys.forEach((match, i) => {
    const start = match.index + match[0].length;
    const end = i + 1 < keys.length ? keys[i + 1]!.index : body.length;
    out[match[1]!.trim()] = body.slice(start, end);
  });
  return out;
}

/** A nested part as JSON wrote it (an object) or as Export-Csv wrote it (`@{…}`). */
function part(reader: FieldReader, name: string): FieldReader | undefined {
  const value = reader.get(name);
  if (isObject(value)) return new FieldReader(value);
  const parsed = typeof value === 'string' ? readPowerShellObject(value) : undefined;
  return parsed ? new FieldReader(parsed) : undefined;
}

/** `operationName`, `status`, `category` …: `{value, localizedValue}` parts, or a plain string. */
function valueOf(reader: FieldReader, name: string, prefer: 'value' | 'localizedValue' = 'value'): string | undefined {
  const nested = part(reader, name);
  if (nested) return prefer === 'value' ? (nested.string('value') ?? nested.string('localizedValue')) : (nested.string('localizedValue') ?? nested.string('value'));
  return reader.string(name);
}

export const azureActivityLog: FormatAdapter<ActivityRecord> = {
  id: FORMAT,
  label: FORMAT_LABELS['azure-activity-log'],
  source: 'entra-audit',
  detect(fields) {
    if (!fields.has('eventtimestamp') || !fields.has('operationname')) return 0;
    return signatureScore(fields, ['eventtimestamp', 'operationname', 'caller', 'claims', 'correlationid', 'eventdataid', 'status', 'resourceprovidername', 'submissiontimestamp']);
  },
  normalize(reader, raw) {
    const when = requiredTime(reader, ['eventTimestamp']);
    if (!when.ok) return when;
    const operation = valueOf(reader, 'operationName');
    if (!operation) return reject('operationName', 'missing operation');
    const claims = part(reader, 'claims');
    const caller = reader.string('caller');
    // A person is named by a UPN (the caller, or the upn claim); an app or managed identity calls with a GUID
    // and no UPN, and is kept unattributed rather than taken for a person.
    const upn = personUpn(caller) ?? personUpn(claims?.get(UPN_CLAIM));
    const record = activity({
      nativeId: reader.string('eventDataId', 'id') ?? contentId(raw),
      source: 'entra-audit',
      format: FORMAT,
      time: when.ms,
      timeRaw: when.raw,
      activityType: 'directoryAudit',
      action: valueOf(reader, 'operationName', 'localizedValue') ?? operation,
      identifiers: upn ? identifiers(guidObjectId(claims?.get(OBJECT_ID_CLAIM)), upn) : [],
      raw,
    });
    const status = valueOf(reader, 'status');
    const success = resultSuccess(status);
    assign(record, {
      app: valueOf(reader, 'resourceProviderName'),
      success,
      failureReason: success === false ? (valueOf(reader, 'subStatus', 'localizedValue') ?? status) : undefined,
      ipAddress: cleanIp(part(reader, 'httpRequest')?.string('clientIpAddress')),
      objectName: operation,
      targetName: part(reader, 'authorization')?.string('scope') ?? reader.string('resourceId'),
    });
    return { ok: true, record };
  },
};
