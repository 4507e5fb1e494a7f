import { normalizeAlertStatus, normalizeSeverity, type IncidentRecord } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter } from '../../adapter.ts';
import { assign, optionalTime } from '../common.ts';
import { graphAlertRecord } from './graph-alert.ts';
import { incidentTime, normalizeClassification, normalizeDetermination, objects, readNestedAlerts, stringList, unique, usersOf } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

const FORMAT = 'graph-security-incident';

/**
 * Graph security incident (`/security/incidents`, one incident or a page, optionally `$expand=alerts`).
 * The nested alerts become alert records of their own (with the incident's id), linked from `alertIds`.
 * The documentation prints enum values in camelCase on the list page and PascalCase on the get page.
 */
export const graphSecurityIncident: FormatAdapter<IncidentRecord> = {
  id: FORMAT,
  label: FORMAT_LABELS['graph-security-incident'],
  source: 'defender-xdr',

  detect(fields) {
    if (!fields.has('displayname') || !fields.has('createddatetime')) return 0;
    if (!fields.has('incidentweburl') && !fields.has('redirectincidentid') && !fields.has('alerts')) return 0;
    return signatureScore(
      fields,
      ['id', 'displayname', 'createddatetime', 'lastupdatedatetime', 'status', 'severity', 'classification', 'determination', 'incidentweburl', 'assignedto'],
      // An alert (Graph v2 or XDR) carries its incident's id; an incident does not.
      ['incidentid', 'servicesource', 'incidentname', 'systemalertid'],
    );
  },

  normalize(reader, raw) {
    const nativeId = reader.string('id');
    if (!nativeId) return reject('id', 'missing incident id');
    const nested = objects(reader, 'alerts');
    const when = incidentTime(reader, ['createdDateTime'], nested, ['createdDateTime', 'firstActivityDateTime']);
    if (!when.ok) return when;
    const { alerts, alertIds } = readNestedAlerts(nested, 'id', (alert) => graphAlertRecord(alert, alert.record, FORMAT, nativeId));
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
      title: reader.string('displayName') ?? nativeId,
      severity: normalizeSeverity(reader.get('severity')),
      status: normalizeAlertStatus(reader.get('status')),
      alertIds,
      tags: unique([...stringList(reader.get('tags')), ...stringList(reader.get('customTags')), ...stringList(reader.get('systemTags'))]),
      affectedUsers,
      raw,
    };
    assign(record, {
      classification: normalizeClassification(reader.string('classification')),
      determination: normalizeDetermination(reader.string('determination')),
      assignedTo: reader.string('assignedTo'),
      lastUpdateTime: optionalTime(reader, 'lastUpdateDateTime'),
    });
    return alerts.length ? { ok: true, record, extra: alerts } : { ok: true, record };
  },
};
