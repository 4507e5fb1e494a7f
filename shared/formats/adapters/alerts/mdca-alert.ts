import { makeIdentifier } from '../../../model/identity.ts';
import { normalizeSeverity, type AlertRecord, type AlertStatus, type Identifier } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter, type NormalizeResult } from '../../adapter.ts';
import type { FieldReader } from '../../fields.ts';
import { assign, requiredTime } from '../common.ts';
import { ACTIVE_DIRECTORY, accountIdentifiers, alertKey, mergeUsers, objects, techniquesInText, unique } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

const FORMAT = 'mdca-alert';

/** The Cloud Apps app id of "Active Directory": alerts of Defender for Identity surfaced through Cloud Apps. */
const ACTIVE_DIRECTORY_APP_ID = '20940';

/** `resolutionStatusValue`: 0 OPEN, 1 DISMISSED, 2 RESOLVED (both legacy), 3 FALSE_POSITIVE, 4 BENIGN, 5 TRUE_POSITIVE. */
const RESOLUTION: Record<string, { status: AlertStatus; classification?: string }> = {
  '0': { status: 'new' },
  '1': { status: 'dismissed' },
  '2': { status: 'resolved' },
  '3': { status: 'resolved', classification: 'falsePositive' },
  '4': { status: 'resolved', classification: 'informationalExpectedActivity' },
  '5': { status: 'resolved', classification: 'truePositive' },
};

/** `statusValue` (the read state), used only when there is no resolution status: 0 UNREAD, 1 READ, 2 ARCHIVED. */
const READ_STATE: Record<string, AlertStatus> = { '0': 'new', '1': 'new', '2': 'resolved' };

/** `stories` (risk category). */
const STORIES: Record<string, string> = {
  '0': 'THREAT_DETECTION',
  '1': 'PRIVILEGED_ACCOUNT_MONITORING',
  '2': 'COMPLIANCE',
  '3': 'DLP',
  '4': 'DISCOVERY',
  '5': 'SHARING_CONTROL',
  '7': 'ACCESS_CONTROL',
  '8': 'CONFIGURATION_MONITORING',
};

/**
 * Defender for Cloud Apps REST alerts (`/api/v1/alerts/`): `_id`, epoch-ms `timestamp`, numeric
 * `severityValue`/`statusValue`/`resolutionStatusValue`, and typed `entities[]` (`account` with `pa` the UPN
 * and `em` the mail, `user` whose id is a UPN, `ip`, `device`, `service`, `policyRule`). Entity `id`s are
 * Cloud Apps' own, never Entra object ids. The list envelope `{data:[…], hasNext, total}` is unwrapped by the
 * JSON scanner like a Graph page, so this reads one alert at a time.
 */
export const mdcaAlert: FormatAdapter<AlertRecord> = {
  id: FORMAT,
  label: FORMAT_LABELS['mdca-alert'],
  source: 'defender-for-cloud-apps',

  detect(fields) {
    if (fields.has('_id') && (fields.has('severityvalue') || fields.has('resolutionstatusvalue'))) {
      return signatureScore(
        fields,
        ['_id', 'timestamp', 'title', 'severityvalue', 'statusvalue', 'resolutionstatusvalue', 'entities', 'description', 'threatscore', 'stories'],
        ['eventtypevalue', 'maininfo'],
      );
    }
    return 0;
  },

  normalize: mdcaAlertRecord,
};

/** One Cloud Apps alert. */
function mdcaAlertRecord(reader: FieldReader, raw: unknown): NormalizeResult<AlertRecord> {
  const nativeId = reader.string('_id');
  if (!nativeId) return reject('_id', 'missing alert id');
  // Activities and files share the API's shape: only alerts carry these.
  if (!['severityValue', 'statusValue', 'resolutionStatusValue'].some((name) => reader.has(name))) {
    return reject('severityValue', 'not a Cloud Apps alert (no severityValue, statusValue or resolutionStatusValue)');
  }
  const when = requiredTime(reader, ['timestamp']);
  if (!when.ok) return when;
  const users: Identifier[][] = [];
  const ips: (string | undefined)[] = [];
  const devices: (string | undefined)[] = [];
  let service: FieldReader | undefined;
  let policy: FieldReader | undefined;
  for (const entity of objects(reader, 'entities')) {
    const type = entity.string('type')?.toLowerCase();
    if (type === 'account') users.push(accountIdentifiers({ upn: entity.get('pa'), email: entity.get('em') }));
    else if (type === 'user')
      users.push(accountIdentifiers({ upn: entity.get('pa') ?? entity.get('id'), email: entity.get('em') }).concat(upnFrom(entity.get('label'))));
    else if (type === 'ip') ips.push(entity.string('id', 'label'));
    else if (type === 'device') devices.push(entity.string('label', 'id'));
    else if (type === 'service') service ??= entity;
    else if (type === 'policyrule') policy ??= entity;
  }
  const affectedUsers = mergeUsers(users);
  const fromIdentity = service?.string('id') === ACTIVE_DIRECTORY_APP_ID || service?.string('label') === ACTIVE_DIRECTORY;
  const resolution = codeOf(reader.get('resolutionStatusValue'));
  const readState = codeOf(reader.get('statusValue'));
  const resolved = resolution === undefined ? undefined : RESOLUTION[resolution];
  const description = reader.string('description');
  const record: AlertRecord = {
    kind: 'alert',
    id: alertKey(nativeId),
    nativeId,
    source: fromIdentity ? 'defender-for-identity' : 'defender-for-cloud-apps',
    format: FORMAT,
    time: when.ms,
    timeRaw: when.raw,
    identifiers: affectedUsers[0] ?? [],
    title: reader.string('title') ?? nativeId,
    severity: severityOf(reader.get('severityValue', 'severity')),
    // Unknown codes are kept as they are written.
    status: resolution !== undefined ? (resolved?.status ?? resolution) : readState !== undefined ? (READ_STATE[readState] ?? readState) : 'new',
    mitreTechniques: techniquesInText(description),
    affectedUsers,
    ipAddresses: unique(ips),
    devices: unique(devices),
    raw,
  };
  const stories = reader.array('stories') ?? [];
  const story = codeOf(stories[0]);
  assign(record, {
    classification: resolved?.classification,
    app: service?.string('label'),
    alertType: policy?.string('policyType'),
    category: story === undefined ? undefined : (STORIES[story] ?? story),
    description,
  });
  return { ok: true, record };
}

/** A numeric code as a string key, whether written as a number or a digit string. */
function codeOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function severityOf(value: unknown) {
  const code = codeOf(value);
  return code !== undefined && /^\d+$/.test(code) ? normalizeSeverity(Number(code)) : normalizeSeverity(value);
}

function upnFrom(value: unknown): Identifier[] {
  const id = makeIdentifier('upn', value);
  return id ? [id] : [];
}
