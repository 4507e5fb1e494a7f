import { normalizeRiskLevel, normalizeRiskState, type RiskDetectionRecord } from '../../model/records.ts';
import { reject, signatureScore, type FormatAdapter } from '../adapter.ts';
import { assign, entraUserIdentifiers, optionalTime, readFlatPlace, readPlace, requiredTime } from './common.ts';
import { FORMAT_LABELS } from '../labels.ts';

/**
 * Entra ID Protection risk detections: Graph `riskDetection` (also as Untitled Goose Tool's NDJSON), Log Analytics
 * `AADUserRiskEvents`, and Extractor-Suite's `Get-RiskyDetections` CSV (PascalCase, US-format times, flat location).
 */
export const entraRiskDetection: FormatAdapter<RiskDetectionRecord> = {
  id: 'entra-risk-detection',
  label: FORMAT_LABELS['entra-risk-detection'],
  source: 'identity-protection',

  detect(fields) {
    const type = fields.has('riskeventtype') || fields.has('risktype');
    if (!type) return 0;
    return signatureScore(fields, ['id', 'riskeventtype', 'risklevel', 'riskstate', 'detecteddatetime', 'userid', 'userprincipalname', 'detectiontimingtype']);
  },

  normalize(reader, raw) {
    const nativeId = reader.string('id');
    if (!nativeId) return reject('id', 'missing detection id');
    const riskEventType = reader.string('riskEventType', 'riskType');
    if (!riskEventType) return reject('riskEventType', 'missing risk event type');
    const when = requiredTime(reader, ['activityDateTime', 'detectedDateTime', 'timeGenerated']);
    if (!when.ok) return when;
    const record: RiskDetectionRecord = {
      kind: 'riskDetection',
      id: `riskDetection:${nativeId}`,
      nativeId,
      source: 'identity-protection',
      format: 'entra-risk-detection',
      time: when.ms,
      timeRaw: when.raw,
      identifiers: entraUserIdentifiers(reader),
      riskEventType,
      riskLevel: normalizeRiskLevel(reader.get('riskLevel')),
      riskState: normalizeRiskState(reader.get('riskState')),
      raw,
    };
    assign(record, {
      displayName: reader.string('userDisplayName'),
      riskDetail: reader.string('riskDetail'),
      detectionTimingType: reader.string('detectionTimingType'),
      activity: reader.string('activity'),
      detectionSource: reader.string('source'),
      ipAddress: reader.string('ipAddress'),
      // Extractor-Suite's CSV flattens location into City, State and CountryOrRegion columns.
      location: readPlace(reader, 'location') ?? readFlatPlace(reader),
      requestId: reader.string('requestId'),
      correlationId: reader.string('correlationId'),
      detectedTime: optionalTime(reader, 'detectedDateTime'),
      lastUpdatedTime: optionalTime(reader, 'lastUpdatedDateTime'),
    });
    return { ok: true, record };
  },
};
