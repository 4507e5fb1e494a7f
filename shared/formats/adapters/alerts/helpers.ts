/**
 * Private helpers of the alert and incident adapters: which product an alert came from, the user
 * entities of every alert shape, and the vocabularies (classification, determination) we canonicalize.
 */
import { identifierKey, identifiers, makeIdentifier, samAccount } from '../../../model/identity.ts';
import type { AlertRecord, Identifier, NormalizedRecord, SourceProduct } from '../../../model/records.ts';
import type { NormalizeResult } from '../../adapter.ts';
import { FieldReader, isObject } from '../../fields.ts';
import { requiredTime } from '../common.ts';

/** Which of our products an alert belongs to, and the app the alert queue shows for it. */
export interface Origin {
  source: SourceProduct;
  app?: string;
}

/** The app Defender's alert queue shows for Defender for Identity alerts. */
export const ACTIVE_DIRECTORY = 'Active Directory';

const squash = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** Every spelling of a product's name in serviceSource, detectionSource, Provider, ProductName, ProviderName. */
const PRODUCT_NAMES: ReadonlyMap<string, SourceProduct> = new Map([
  ...['microsoftdefenderforidentity', 'defenderforidentity', 'azureadvancedthreatprotection', 'azureatp', 'aatp', 'mdi'].map(
    (name) => [name, 'defender-for-identity'] as const,
  ),
  ...['microsoftdefenderforcloudapps', 'defenderforcloudapps', 'microsoftcloudappsecurity', 'cloudappsecurity', 'mcas', 'mdca'].map(
    (name) => [name, 'defender-for-cloud-apps'] as const,
  ),
  ...[
    'azureadidentityprotection',
    'aadidentityprotection',
    'azureactivedirectoryidentityprotection',
    'microsoftentraidprotection',
    'microsoftentraidentityprotection',
    'entraidprotection',
    'identityprotection',
    'ipc',
  ].map((name) => [name, 'identity-protection'] as const),
]);

/** Values that name no product: skipped when choosing which field says where an alert came from. */
const NO_PRODUCT = new Set(['unknown', 'unknownfuturevalue', 'null', 'none']);

/**
 * The product an alert came from, read from the first field (in the order given) that names one:
 * Defender for Identity, Cloud Apps and Identity Protection by any of their names, anything else
 * (Endpoint, Office, Cloud, Sentinel analytics, XDR itself) as Defender XDR.
 */
export function originOf(...candidates: (string | undefined)[]): Origin {
  for (const candidate of candidates) {
    const key = candidate ? squash(candidate) : '';
    if (!key || NO_PRODUCT.has(key)) continue;
    const source = PRODUCT_NAMES.get(key) ?? 'defender-xdr';
    return source === 'defender-for-identity' ? { source, app: ACTIVE_DIRECTORY } : { source };
  }
  return { source: 'defender-xdr' };
}

export interface AccountParts {
  objectId?: unknown;
  upn?: unknown;
  sid?: unknown;
  accountName?: string;
  domainName?: string;
  email?: unknown;
}

/** The identifiers of one user entity: object id, UPN, SID, `DOMAIN\sam`, mail address. Never a display name. */
export function accountIdentifiers(parts: AccountParts): Identifier[] {
  // Some sources put the UPN or `DOMAIN\sam` in the account name itself.
  const name = parts.accountName?.trim();
  const upn = makeIdentifier('upn', parts.upn) ?? (name?.includes('@') ? makeIdentifier('upn', name) : undefined);
  const email = makeIdentifier('email', parts.email);
  // Cloud-only accounts come as accountName + domainName = the UPN's two halves: that is not an on-prem
  // DOMAIN\sam, and inventing one would give the person a second, false identity.
  const domain = parts.domainName?.trim().toLowerCase();
  const cloudName = Boolean(upn && name && domain && upn.value === `${name.toLowerCase()}@${domain}`);
  return identifiers(
    makeIdentifier('objectId', parts.objectId),
    upn,
    makeIdentifier('sid', parts.sid),
    name?.includes('\\') ? makeIdentifier('samAccount', name) : cloudName ? undefined : samAccount(parts.domainName, name),
    // A mail address equal to the UPN adds nothing.
    email && email.value !== upn?.value ? email : undefined,
  );
}

/**
 * One identifier set per person: entities that share any identifier (a User and a MailBox entity
 * with the same UPN, an account and a user entity in Cloud Apps) are the same person. Order of first
 * appearance is kept, so the first user named stays first.
 */
export function mergeUsers(users: readonly Identifier[][]): Identifier[][] {
  const groups: Identifier[][] = [];
  for (const user of users) {
    if (!user.length) continue;
    const keys = new Set(user.map(identifierKey));
    const overlapping = groups.filter((group) => group.some((id) => keys.has(identifierKey(id))));
    const first = overlapping[0];
    if (!first) {
      groups.push(identifiers(...user));
      continue;
    }
    const merged = identifiers(...overlapping.flat(), ...user);
    groups[groups.indexOf(first)] = merged;
    for (const other of overlapping.slice(1)) groups.splice(groups.indexOf(other), 1);
  }
  return groups;
}

/** Strings without repeats, in order, trimmed, empty ones dropped. */
export function unique(values: readonly (string | undefined)[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    const text = value?.trim();
    if (text && !out.includes(text)) out.push(text);
  }
  return out;
}

/** A list field as sources write it: a JSON array, a JSON array in a string, or a comma-separated string. */
export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return unique(value.map((item) => (typeof item === 'string' || typeof item === 'number' ? String(item) : undefined)));
  if (typeof value !== 'string') return [];
  const text = value.trim();
  if (text.startsWith('[')) {
    try {
      return stringList(JSON.parse(text) as unknown);
    } catch {
      // not JSON after all: read it as a delimited list
    }
  }
  return unique(text.split(/[,;]/));
}

/** The objects of an array field (itself possibly a JSON string), each as a FieldReader. */
export function objects(reader: FieldReader | undefined, ...names: string[]): FieldReader[] {
  return (reader?.array(...names) ?? []).filter(isObject).map((item) => new FieldReader(item));
}

/** Maps known words of a vocabulary, in any case, to their Graph spelling; unknown words pass through. */
function vocabulary(words: readonly string[]): (value: string | undefined) => string | undefined {
  const known = new Map(words.map((word) => [word.toLowerCase(), word]));
  return (value) => {
    const text = value?.trim();
    if (!text) return undefined;
    return known.get(text.toLowerCase()) ?? text;
  };
}

/** Graph and XDR `classification`, Sentinel `Classification`, Graph v1 `feedback`. */
export const normalizeClassification = vocabulary([
  'unknown',
  'falsePositive',
  'truePositive',
  'informationalExpectedActivity',
  'benignPositive',
  'undetermined',
  'unknownFutureValue',
]);

/** Graph and XDR `determination`, Sentinel `ClassificationReason`. */
export const normalizeDetermination = vocabulary([
  'unknown',
  'notAvailable',
  'apt',
  'malware',
  'securityPersonnel',
  'securityTesting',
  'unwantedSoftware',
  'other',
  'multiStagedAttack',
  'compromisedAccount',
  'compromisedUser',
  'phishing',
  'maliciousUserActivity',
  'notMalicious',
  'notEnoughDataToValidate',
  'confirmedUserActivity',
  'confirmedActivity',
  'lineOfBusinessApplication',
  'suspiciousActivity',
  'suspiciousButExpected',
  'incorrectAlertLogic',
  'inaccurateData',
  'unknownFutureValue',
]);

/** MITRE technique ids written in free text (Cloud Apps puts them in the description): `T1087`, `T1087.002`. */
export function techniquesInText(text: string | undefined): string[] {
  return unique(text?.match(/\bT\d{4}(?:\.\d{3})?\b/g) ?? []);
}

/** Log Analytics portal CSVs name time columns `TimeGenerated [UTC]`: both spellings of a time column. */
export function utcColumn(name: string): string[] {
  return [name, `${name} [UTC]`];
}

/** Canonical field names with the portal's ` [utc]` suffix removed, for signature matching. */
export function withoutUtc(fields: ReadonlySet<string>): Set<string> {
  return new Set([...fields].map((name) => name.replace(/ \[utc\]$/, '')));
}

/** The `alert:<id>` key of an alert, as incidents link to it. */
export function alertKey(nativeId: string): string {
  return `alert:${nativeId}`;
}

/** What an incident adapter keeps from the alerts nested in it. */
export interface NestedAlerts {
  alerts: AlertRecord[];
  /** `alert:<id>` of every nested alert that names its id, read or not. */
  alertIds: string[];
  /** The nested alerts that could not be read, with the field that stopped them. */
  problems: { field: string; reason: string }[];
}

/**
 * Reads the alerts nested in an incident. An alert that cannot be read does not sink the incident:
 * it is left out of the records (the incident's raw data still holds it) but its link is kept.
 */
export function readNestedAlerts(
  items: readonly FieldReader[],
  idField: string,
  normalize: (reader: FieldReader) => NormalizeResult<AlertRecord>,
): NestedAlerts {
  const out: NestedAlerts = { alerts: [], alertIds: [], problems: [] };
  items.forEach((item, index) => {
    const nativeId = item.string(idField);
    if (nativeId) out.alertIds.push(alertKey(nativeId));
    const result = normalize(item);
    if (result.ok) out.alerts.push(result.record);
    else out.problems.push({ field: `alerts[${index}].${result.field}`, reason: result.reason });
  });
  out.alertIds = unique(out.alertIds);
  return out;
}

/**
 * An incident's time: its creation time, or, when the export has none (seen in an XDR incident), the
 * earliest creation or first-activity time of its alerts.
 */
export function incidentTime(
  reader: FieldReader,
  names: string[],
  alerts: readonly FieldReader[],
  alertTimeNames: string[],
): { ok: true; ms: number; raw: string } | { ok: false; field: string; reason: string } {
  const direct = requiredTime(reader, names);
  if (direct.ok || (direct.reason !== 'missing timestamp' && !direct.placeholder)) return direct;
  let earliest: { ok: true; ms: number; raw: string } | undefined;
  for (const alert of alerts) {
    const time = requiredTime(alert, alertTimeNames);
    if (time.ok && (!earliest || time.ms < earliest.ms)) earliest = time;
  }
  return earliest ?? direct;
}

/** Users of nested alerts, merged: the incident's affected users. */
export function usersOf(records: readonly NormalizedRecord[]): Identifier[][] {
  return mergeUsers(records.flatMap((record) => (record.kind === 'alert' ? record.affectedUsers : [])));
}
