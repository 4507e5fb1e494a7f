import { identifiers, makeIdentifier } from '../../model/identity.ts';
import { normalizeRiskLevel, normalizeRiskState, type RiskyUserRecord } from '../../model/records.ts';
import { reject, signatureScore, type FormatAdapter } from '../adapter.ts';
import { assign, requiredTime } from './common.ts';
import { FORMAT_LABELS } from '../labels.ts';

/**
 * Entra ID Protection risky users: Graph `riskyUser` (and `riskyUserHistoryItem`) and Log Analytics
 * `AADRiskyUsers`. The record's `id` is the user's object id; many real rows have an empty UPN, so the
 * object id, never the UPN, keys them.
 */
export const entraRiskyUser: FormatAdapter<RiskyUserRecord> = {
  id: 'entra-risky-user',
  label: FORMAT_LABELS['entra-risky-user'],
  source: 'identity-protection',

  detect(fields) {
    return signatureScore(
      fields,
      ['id', 'risklevel', 'riskstate', 'risklastupdateddatetime', 'userprincipalname'],
      ['riskeventtype', 'createddatetime', 'appdisplayname', 'clientappused', 'ipaddress'],
    );
  },

  normalize(reader, raw) {
    // riskyUserHistoryItem rows carry the user in `userId` and their own id in `id`.
    const objectIdField = reader.get('userId') !== undefined ? 'userId' : 'id';
    const objectId = makeIdentifier('objectId', reader.get(objectIdField));
    if (!objectId) return reject(objectIdField, 'missing or malformed user object id');
    const when = requiredTime(reader, ['riskLastUpdatedDateTime', 'timeGenerated']);
    if (!when.ok) return when;
    const historyId = objectIdField === 'userId' ? reader.string('id') : undefined;
    const nativeId = historyId ? `${objectId.value}:${historyId}` : objectId.value;
    const record: RiskyUserRecord = {
      kind: 'riskyUser',
      id: `riskyUser:${nativeId}`,
      nativeId,
      source: 'identity-protection',
      format: 'entra-risky-user',
      time: when.ms,
      timeRaw: when.raw,
      identifiers: identifiers(objectId, makeIdentifier('upn', reader.get('userPrincipalName'))),
      riskLevel: normalizeRiskLevel(reader.get('riskLevel')),
      riskState: normalizeRiskState(reader.get('riskState')),
      raw,
    };
    assign(record, {
      displayName: reader.string('userDisplayName'),
      riskDetail: reader.string('riskDetail'),
      isDeleted: reader.boolean('isDeleted'),
      isProcessing: reader.boolean('isProcessing'),
    });
    return { ok: true, record };
  },
};
