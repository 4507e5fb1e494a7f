/**
 * The filters the views ask the store for: one type per table view, and the predicate that defines
 * what each filter means. The store may answer a filter from indexes, chunk summaries or counters,
 * but the rows it returns must be exactly those these predicates accept, so the predicates are the
 * specification and the tests' oracle.
 *
 * Every field is optional; an absent or empty field does not filter. Values within one list are
 * alternatives (OR); different fields combine (AND). Times are epoch milliseconds, `from`
 * inclusive and `to` exclusive.
 */
import type { AlertRecord, NormalizedRecord, RiskDetectionRecord } from '../../shared/model/records.ts';
import { detectionPolicyId, identityProtectionPolicyOf, isDefenderForIdentity, isIdentityProtection } from '../../shared/score/policies.ts';

export interface AlertFilter {
  /** SourceProduct values, e.g. 'defender-for-identity'. */
  sources?: string[];
  severities?: string[];
  statuses?: string[];
  /** Alert type or risk event type. */
  types?: string[];
  /** The app the alert concerns ('Active Directory' for Defender for Identity). */
  apps?: string[];
  /**
   * The scoring policy that covers the item: `ipc:leakedCredentials` / `ipc:riskySignIn` (Identity Protection,
   * shared/score/policies.ts identityProtectionPolicyOf) or a Defender for Identity detection policy id (`mdi:<type>`).
   */
  policies?: string[];
  userId?: string;
  from?: number;
  to?: number;
  /** Case-insensitive substring of the title, type, user or description. */
  text?: string;
  /**
   * What the queue does with items a policy hides (absent: leaves them out). Not judged by
   * matchesAlertFilter: it needs the saved policies, so the store applies it (visibleUnderPolicies).
   */
  policyHidden?: PolicyHiddenView;
}

/**
 * What the alerts queue does with the items a policy hides: leave them out (`hide`, the default, as the
 * scores do), list them beside the others so the analyst can audit a policy (`show`), or list only them.
 */
export type PolicyHiddenView = 'hide' | 'show' | 'only';

export interface ActivityFilter {
  /** The user as actor (the record's own userId) or, for directory changes, as target. */
  userId?: string;
  /** Record kind and activity type: 'signIn', or an ActivityRecord's activityType such as 'logon'. */
  types?: string[];
  app?: string;
  ip?: string;
  /** Country or region code or name as the record carries it. */
  country?: string;
  isp?: string;
  result?: 'success' | 'failure';
  from?: number;
  to?: number;
  text?: string;
  /** One of the suggested queries, combined (AND) with everything else. */
  preset?: ActivityPreset;
}

/**
 * The activity log's suggested queries. Each is a set of activity types the store can find by facet (and a
 * result where it has one) plus, where the type alone is too wide, a test of the event's own words.
 */
export const activityPresets = {
  'failed-sign-ins': { label: 'Failed sign-ins', types: ['signIn', 'onPremLogon', 'workloadSignIn'], result: 'failure' },
  'admin-activities': { label: 'Admin activities', types: ['directoryChange', 'directoryAudit'] },
  downloads: { label: 'Downloads', types: ['cloudAppActivity', 'officeActivity'], words: /download/i },
  mailbox: { label: 'Mailbox activities', types: ['officeActivity', 'cloudAppActivity'], app: /exchange|outlook/i, words: /mailitems|mailbox|inboxrule/i },
  'password-changes': {
    label: 'Password changes',
    types: ['directoryChange', 'directoryAudit', 'officeActivity', 'cloudAppActivity'],
    words: /password/i,
  },
} as const satisfies Record<string, { label: string; types: readonly string[]; result?: 'success' | 'failure'; words?: RegExp; app?: RegExp }>;

export type ActivityPreset = keyof typeof activityPresets;

export function isActivityPreset(value: string | null | undefined): value is ActivityPreset {
  return !!value && Object.hasOwn(activityPresets, value);
}

/** Local triage as the queue reads it (stored on alert and detection rows; see ingest.ts). */
interface LocalState {
  local?: { status?: string; classification?: string; assignee?: string };
}
type QueueRecord = (AlertRecord | RiskDetectionRecord) & { userId: string } & LocalState;
type ActivityLike = NormalizedRecord & { userId: string; targetKeys?: string[] };

/** What a filter needs to know beyond the record: the identifier keys of the filtered user (for "as target"). */
export interface ActivityFilterContext {
  userKeys?: ReadonlySet<string>;
}

const has = (list: string[] | undefined, value: string | undefined) => !list?.length || (value !== undefined && list.includes(value));
const inTime = (time: number, from?: number, to?: number) => (from === undefined || time >= from) && (to === undefined || time < to);
const contains = (needle: string, ...values: (string | undefined)[]) => values.some((value) => value?.toLowerCase().includes(needle));

/** Severity of a risk detection on the alert scale: Entra's risk level is what the queue sorts and filters by. */
export function queueSeverity(item: QueueRecord): string {
  return item.kind === 'alert' ? item.severity : item.riskLevel;
}

/** The analyst's local status wins over the source's: it is what the analyst set in Sightline. */
export function queueStatus(item: QueueRecord): string {
  return item.local?.status ?? (item.kind === 'alert' ? item.status : item.riskState);
}

/** The scoring policy that covers a queue item (see AlertFilter.policies), if any. */
export function queuePolicy(item: QueueRecord): string | undefined {
  if (isIdentityProtection(item)) {
    const policy = identityProtectionPolicyOf(item);
    return policy && `ipc:${policy}`;
  }
  if (item.kind === 'alert' && isDefenderForIdentity(item)) return detectionPolicyId(item);
  return undefined;
}

export function queueType(item: QueueRecord): string {
  return item.kind === 'alert' ? (item.alertType ?? item.title) : item.riskEventType;
}

export function queueApp(item: QueueRecord): string | undefined {
  if (item.kind === 'alert') return item.app ?? (item.source === 'defender-for-identity' ? 'Active Directory' : undefined);
  return undefined;
}

export function matchesAlertFilter(item: QueueRecord, filter: AlertFilter): boolean {
  if (!has(filter.sources, item.source) || !has(filter.severities, queueSeverity(item)) || !has(filter.statuses, queueStatus(item))) return false;
  if (!has(filter.types, queueType(item)) || !has(filter.apps, queueApp(item)) || !has(filter.policies, queuePolicy(item))) return false;
  if (filter.userId && item.userId !== filter.userId) return false;
  if (!inTime(item.time, filter.from, filter.to)) return false;
  const text = filter.text?.trim().toLowerCase();
  if (text) {
    const title = item.kind === 'alert' ? item.title : item.riskEventType;
    const description = item.kind === 'alert' ? item.description : item.riskDetail;
    if (!contains(text, title, queueType(item), item.displayName, item.userId, description)) return false;
  }
  return true;
}

export function activityType(item: ActivityLike): string {
  return item.kind === 'activity' ? item.activityType : item.kind;
}

function activityFields(item: ActivityLike) {
  if (item.kind === 'signIn')
    return { app: item.appDisplayName, ip: item.ipAddress, place: item.location, isp: undefined, success: item.success, action: item.appDisplayName };
  if (item.kind === 'activity') return { app: item.app, ip: item.ipAddress, place: item.location, isp: item.isp, success: item.success, action: item.action };
  return { app: undefined, ip: undefined, place: undefined, isp: undefined, success: undefined, action: undefined };
}

export function matchesActivityFilter(item: ActivityLike, filter: ActivityFilter, context: ActivityFilterContext = {}): boolean {
  if (filter.userId && item.userId !== filter.userId && !item.targetKeys?.some((key) => context.userKeys?.has(key))) return false;
  if (!has(filter.types, activityType(item))) return false;
  if (!inTime(item.time, filter.from, filter.to)) return false;
  const fields = activityFields(item);
  if (filter.app && fields.app !== filter.app) return false;
  if (filter.ip && fields.ip !== filter.ip) return false;
  if (filter.country && fields.place?.country !== filter.country) return false;
  if (filter.isp && fields.isp !== filter.isp) return false;
  if (filter.result === 'success' && fields.success !== true) return false;
  if (filter.result === 'failure' && fields.success !== false) return false;
  if (filter.preset && !matchesPreset(item, filter.preset)) return false;
  const text = filter.text?.trim().toLowerCase();
  if (text && !contains(text, fields.action, fields.app, fields.ip, item.displayName, item.userId)) return false;
  return true;
}

export function matchesPreset(item: ActivityLike, preset: ActivityPreset): boolean {
  const rule: { types: readonly string[]; result?: string; words?: RegExp; app?: RegExp } = activityPresets[preset];
  if (!rule.types.includes(activityType(item))) return false;
  const fields = activityFields(item);
  if (rule.result && fields.success !== (rule.result === 'success')) return false;
  if (rule.app || rule.words) {
    const byApp = rule.app?.test(fields.app ?? '') ?? false;
    const byWords = rule.words?.test(fields.action ?? '') ?? false;
    if (!byApp && !byWords) return false;
  }
  return true;
}
