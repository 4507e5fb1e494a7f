/**
 * Policies (PRODUCT.md "Integrations and policies"): Identity Protection's two policies with an
 * enable switch and a severity threshold, its alert service setting, and Defender for Identity's
 * detection policies (one per alert type present) that can be turned off or carry exclusions of
 * users, devices and IP addresses. Settings are plain data; `applyPolicies` decides, for every alert
 * and risk detection, whether a policy hides it or an exclusion marks it, so a change of setting
 * applies at once to stored records, with no re-import.
 */
import { identifierKey } from '../model/identity.ts';
import type { AlertRecord, NormalizedRecord, RiskDetectionRecord } from '../model/records.ts';
import type { Attributed } from './baseline.ts';

export type Threshold = 'low' | 'medium' | 'high';
export type AlertServiceSetting = 'relevant' | 'all' | 'off';

export interface IdentityProtectionPolicy {
  enabled: boolean;
  /** Items below this level are hidden; Low receives all. */
  threshold: Threshold;
}

export interface Exclusions {
  /** User ids, identifier keys (`upn:…`, `sid:…`) or bare identifier values (a UPN, a SID). */
  users: string[];
  /** Device names, matched case-insensitively. */
  devices: string[];
  ips: string[];
}

export interface DetectionPolicySetting {
  enabled: boolean;
  exclusions: Exclusions;
}

export interface PolicySettings {
  leakedCredentials: IdentityProtectionPolicy;
  riskySignIn: IdentityProtectionPolicy;
  /**
   * Identity Protection's alert service: 'relevant' (default) lets in what the two policies admit;
   * 'all' lets in every risk detection and alert whatever the policies say; 'off' lets in none.
   */
  alertService: AlertServiceSetting;
  /** Defender for Identity detection policies by id (`mdi:<alert type>`); a missing one is enabled with no exclusions. */
  detections: Record<string, DetectionPolicySetting>;
}

export const DEFAULT_POLICIES: PolicySettings = {
  leakedCredentials: { enabled: true, threshold: 'low' },
  riskySignIn: { enabled: true, threshold: 'high' },
  alertService: 'relevant',
  detections: {},
};

export const POLICY_LABELS: Record<string, string> = {
  'ip:leakedCredentials': 'Leaked credentials (Identity Protection)',
  'ip:riskySignIn': 'Risky sign-in (Identity Protection)',
  'ip:alertService': 'Identity Protection alert service',
};

export interface PolicyVerdict {
  /** Hidden from the alert queue and the scores by a policy that is off or a threshold. */
  hidden: boolean;
  /** Kept and shown, but marked excluded and left out of the scores. */
  excluded: boolean;
  /** The policy that decided (`ip:riskySignIn`, `mdi:…`). */
  policy?: string;
  reason?: string;
}

const VISIBLE: PolicyVerdict = { hidden: false, excluded: false };

const levelRank: Record<string, number> = { informational: 0, low: 1, medium: 2, high: 3 };

/** Detection types Entra counts as user risk (not sign-in risk); leaked credentials has its own policy. */
const USER_RISK_TYPES = new Set(
  [
    'adminConfirmedUserCompromised',
    'anomalousUserActivity',
    'userReportedSuspiciousActivity',
    'suspiciousApiTraffic',
    'attemptedPrtAccess',
    'investigationsThreatIntelligence',
  ].map((t) => t.toLowerCase()),
);
const USER_RISK_TITLES =
  /admin confirmed user compromised|anomalous user activity|user reported suspicious activity|suspicious api traffic|primary refresh token/i;
const LEAKED = /leaked ?credentials/i;

export function isIdentityProtection(record: NormalizedRecord): boolean {
  if (record.kind === 'riskDetection') return true;
  return record.kind === 'alert' && [record.serviceSource, record.detectionSource].some((s) => !!s && /identityprotection|^ipc$/i.test(s));
}

export function isDefenderForIdentity(record: NormalizedRecord): boolean {
  return record.kind === 'alert' && /defenderforidentity|azureatp/i.test(`${record.serviceSource ?? ''} ${record.detectionSource ?? ''}`);
}

/** The Identity Protection policy that covers an item, or none (user-risk detections are covered by neither). */
export function identityProtectionPolicyOf(record: AlertRecord | RiskDetectionRecord): 'leakedCredentials' | 'riskySignIn' | undefined {
  const name = record.kind === 'riskDetection' ? record.riskEventType : record.title;
  if (LEAKED.test(name)) return 'leakedCredentials';
  if (record.kind === 'riskDetection' ? USER_RISK_TYPES.has(name.toLowerCase()) : USER_RISK_TITLES.test(name)) return undefined;
  return 'riskySignIn';
}

/** A Defender for Identity detection policy's id: one per alert type (the title when the export has no type). */
export function detectionPolicyId(alert: AlertRecord): string {
  return `mdi:${(alert.alertType || alert.title).trim()}`;
}

export interface DetectionPolicyInfo {
  id: string;
  title: string;
  alerts: number;
}

/** The Defender for Identity detection policies to list in Settings: one per alert type present. */
export function listDetectionPolicies(records: Iterable<NormalizedRecord>): DetectionPolicyInfo[] {
  const byId = new Map<string, DetectionPolicyInfo>();
  for (const record of records) {
    if (record.kind !== 'alert' || !isDefenderForIdentity(record)) continue;
    const id = detectionPolicyId(record);
    const info = byId.get(id) ?? { id, title: record.title, alerts: 0 };
    info.alerts++;
    byId.set(id, info);
  }
  return [...byId.values()].sort((a, b) => a.title.localeCompare(b.title));
}

function excludedBy(item: Attributed<AlertRecord>, exclusions: Exclusions): string | undefined {
  const users = new Set(exclusions.users.map((u) => u.toLowerCase()));
  if (users.size) {
    const keys = [item.userId, ...item.record.identifiers.map(identifierKey), ...item.record.affectedUsers.flat().map(identifierKey)];
    // An analyst types a UPN, a SID or an object id as it reads, without our `upn:` prefix: both match.
    const hit = keys.find((key) => users.has(key.toLowerCase()) || users.has(key.slice(key.indexOf(':') + 1).toLowerCase()));
    if (hit) return `user ${hit} is excluded`;
  }
  const devices = new Set(exclusions.devices.map((d) => d.toLowerCase()));
  const device = item.record.devices.find((d) => devices.has(d.toLowerCase()));
  if (device) return `device ${device} is excluded`;
  const ips = new Set(exclusions.ips);
  const ip = item.record.ipAddresses.find((a) => ips.has(a));
  if (ip) return `IP address ${ip} is excluded`;
  return undefined;
}

/** The verdict for one alert or risk detection under the settings. */
export function policyVerdict(item: Attributed, settings: PolicySettings): PolicyVerdict {
  const { record } = item;
  if (record.kind !== 'alert' && record.kind !== 'riskDetection') return VISIBLE;
  if (isIdentityProtection(record)) {
    if (settings.alertService === 'off')
      return { hidden: true, excluded: false, policy: 'ip:alertService', reason: 'the Identity Protection alert service is off' };
    if (settings.alertService === 'all') return VISIBLE;
    const which = identityProtectionPolicyOf(record);
    if (!which) return VISIBLE;
    const policy = settings[which];
    const id = `ip:${which}`;
    if (!policy.enabled) return { hidden: true, excluded: false, policy: id, reason: `the ${POLICY_LABELS[id]} policy is off` };
    const level = record.kind === 'riskDetection' ? record.riskLevel : record.severity;
    if (policy.threshold !== 'low' && (levelRank[level] ?? 0) < levelRank[policy.threshold]!)
      return { hidden: true, excluded: false, policy: id, reason: `${level} is below the ${POLICY_LABELS[id]} threshold (${policy.threshold})` };
    return VISIBLE;
  }
  if (record.kind === 'alert' && isDefenderForIdentity(record)) {
    const id = detectionPolicyId(record);
    const setting = settings.detections[id];
    if (!setting) return VISIBLE;
    if (!setting.enabled) return { hidden: true, excluded: false, policy: id, reason: `the detection policy "${record.title}" is off` };
    const why = excludedBy(item as Attributed<AlertRecord>, setting.exclusions);
    if (why) return { hidden: false, excluded: true, policy: id, reason: `excluded from "${record.title}": ${why}` };
  }
  return VISIBLE;
}

export interface PolicyOutcome {
  /** Only the items a policy touched (hidden or excluded); any other item is visible and counted. */
  verdicts: Map<string, PolicyVerdict>;
  /** How many items each policy currently hides (what Settings shows beside each policy). */
  hiddenByPolicy: Record<string, number>;
  excludedByPolicy: Record<string, number>;
}

/** Applies the settings to every alert and risk detection (duplicates by id count once). */
export function applyPolicies(items: Iterable<Attributed>, settings: PolicySettings = DEFAULT_POLICIES): PolicyOutcome {
  const verdicts = new Map<string, PolicyVerdict>();
  const seen = new Set<string>();
  const hiddenByPolicy: Record<string, number> = {};
  const excludedByPolicy: Record<string, number> = {};
  for (const item of items) {
    if (seen.has(item.record.id)) continue;
    seen.add(item.record.id);
    const verdict = policyVerdict(item, settings);
    if (!verdict.policy) continue;
    verdicts.set(item.record.id, verdict);
    const counter = verdict.hidden ? hiddenByPolicy : excludedByPolicy;
    counter[verdict.policy] = (counter[verdict.policy] ?? 0) + 1;
  }
  return { verdicts, hiddenByPolicy, excludedByPolicy };
}

const thresholds: readonly Threshold[] = ['low', 'medium', 'high'];
const services: readonly AlertServiceSetting[] = ['relevant', 'all', 'off'];

const stringList = (value: unknown): string[] =>
  Array.isArray(value)
    ? [
        ...new Set(
          value
            .filter((v): v is string => typeof v === 'string')
            .map((v) => v.trim())
            .filter(Boolean),
        ),
      ]
    : [];

function readIdentityProtection(value: unknown, fallback: IdentityProtectionPolicy): IdentityProtectionPolicy {
  const v = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  return {
    enabled: typeof v.enabled === 'boolean' ? v.enabled : fallback.enabled,
    threshold: thresholds.includes(v.threshold as Threshold) ? (v.threshold as Threshold) : fallback.threshold,
  };
}

/**
 * Whatever the store holds, as valid settings: a value written by an older version, or half-written,
 * falls back field by field to the defaults rather than breaking the queue or the scores.
 */
export function readPolicies(stored: unknown): PolicySettings {
  const v = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  const detections: Record<string, DetectionPolicySetting> = {};
  if (typeof v.detections === 'object' && v.detections !== null)
    for (const [id, raw] of Object.entries(v.detections as Record<string, unknown>)) {
      if (!id.startsWith('mdi:') || typeof raw !== 'object' || raw === null) continue;
      const setting = raw as Record<string, unknown>;
      const exclusions = typeof setting.exclusions === 'object' && setting.exclusions !== null ? (setting.exclusions as Record<string, unknown>) : {};
      detections[id] = {
        enabled: typeof setting.enabled === 'boolean' ? setting.enabled : true,
        exclusions: { users: stringList(exclusions.users), devices: stringList(exclusions.devices), ips: stringList(exclusions.ips) },
      };
    }
  return {
    leakedCredentials: readIdentityProtection(v.leakedCredentials, DEFAULT_POLICIES.leakedCredentials),
    riskySignIn: readIdentityProtection(v.riskySignIn, DEFAULT_POLICIES.riskySignIn),
    alertService: services.includes(v.alertService as AlertServiceSetting) ? (v.alertService as AlertServiceSetting) : DEFAULT_POLICIES.alertService,
    detections,
  };
}

/** A detection policy's setting, or the default (enabled, nothing excluded) when it was never touched. */
export function detectionSetting(settings: PolicySettings, id: string): DetectionPolicySetting {
  return settings.detections[id] ?? { enabled: true, exclusions: { users: [], devices: [], ips: [] } };
}

/**
 * Settings without the detection policies that are back at their default: two settings that behave
 * the same compare equal, so "unsaved changes" means a change that does something.
 */
export function canonicalPolicies(settings: PolicySettings): PolicySettings {
  const detections: Record<string, DetectionPolicySetting> = {};
  for (const id of Object.keys(settings.detections).sort()) {
    const setting = settings.detections[id]!;
    const { users, devices, ips } = setting.exclusions;
    if (setting.enabled && !users.length && !devices.length && !ips.length) continue;
    detections[id] = { enabled: setting.enabled, exclusions: { users: [...users], devices: [...devices], ips: [...ips] } };
  }
  // Built key by key, so two equal settings serialise identically whatever order their keys were written in.
  return {
    leakedCredentials: { enabled: settings.leakedCredentials.enabled, threshold: settings.leakedCredentials.threshold },
    riskySignIn: { enabled: settings.riskySignIn.enabled, threshold: settings.riskySignIn.threshold },
    alertService: settings.alertService,
    detections,
  };
}

export function samePolicies(a: PolicySettings, b: PolicySettings): boolean {
  return JSON.stringify(canonicalPolicies(a)) === JSON.stringify(canonicalPolicies(b));
}
