import { normalizeAlertStatus, normalizeSeverity, type IncidentRecord } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter } from '../../adapter.ts';
import { assign, optionalTime, requiredTime } from '../common.ts';
import { FieldReader, isObject } from '../../fields.ts';
import { alertKey, normalizeClassification, normalizeDetermination, stringList, unique, utcColumn as utc, withoutUtc } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

const FORMAT = 'sentinel-security-incident';

/**
 * Microsoft Sentinel / Log Analytics `SecurityIncident` rows. `IncidentName` is the incident's GUID (our
 * key); `AlertIds` is a JSON array of `SecurityAlert.SystemAlertId`s; `ProviderIncidentId` is the Defender
 * XDR incident id when the incident came from XDR. The table carries no users: they come from the alerts.
 * Sentinel writes a new row at every change, so one incident can arrive several times under one id.
 */
export const sentinelSecurityIncident: FormatAdapter<IncidentRecord> = {
  id: FORMAT,
  label: FORMAT_LABELS['sentinel-security-incident'],
  source: 'defender-xdr',

  detect(fields) {
    if (!fields.has('incidentnumber') || (!fields.has('incidentname') && !fields.has('alertids'))) return 0;
    return signatureScore(
      withoutUtc(fields),
      [
        'incidentnumber',
        'incidentname',
        'title',
        'severity',
        'status',
        'alertids',
        'createdtime',
        'firstactivitytime',
        'lastactivitytime',
        'providerincidentid',
      ],
      ['systemalertid', 'incidentid'],
    );
  },

  normalize(reader, raw) {
    const nativeId = reader.string('IncidentName');
    if (!nativeId) return reject('IncidentName', 'missing incident id');
    const when = requiredTime(reader, [...utc('CreatedTime'), ...utc('FirstActivityTime'), ...utc('TimeGenerated')]);
    if (!when.ok) return when;
    const owner = reader.object('Owner');
    const record: IncidentRecord = {
      kind: 'incident',
      id: `incident:${nativeId}`,
      nativeId,
      source: 'defender-xdr',
      format: FORMAT,
      time: when.ms,
      timeRaw: when.raw,
      identifiers: [],
      title: reader.string('Title') ?? `Incident ${reader.string('IncidentNumber') ?? nativeId}`,
      severity: normalizeSeverity(reader.get('Severity')),
      status: normalizeAlertStatus(reader.get('Status')),
      alertIds: stringList(reader.get('AlertIds')).map(alertKey),
      tags: unique(
        (reader.array('Labels') ?? []).map((label) =>
          typeof label === 'string' ? label : isObject(label) ? new FieldReader(label).string('labelName') : undefined,
        ),
      ),
      affectedUsers: [],
      raw,
    };
    assign(record, {
      classification: normalizeClassification(reader.string('Classification')),
      determination: normalizeDetermination(reader.string('ClassificationReason')),
      assignedTo: owner?.string('assignedTo', 'userPrincipalName', 'email'),
      lastUpdateTime: optionalTime(reader, ...utc('LastModifiedTime')),
    });
    return { ok: true, record };
  },
};
