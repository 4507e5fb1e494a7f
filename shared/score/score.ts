/**
 * Sightline's investigation priority (../shared/reference/SCORING.md), as pure functions over
 * attributed records and a baseline. `scoreAll` gives every user's score at an as-of time with its
 * ledger (every counted input with base, flags, m, d, rank and contribution; every input not counted
 * with its reason); `dailySnapshots` gives one score per user per day of data, reusing the work.
 *
 * Inputs are deduplicated by record id (the last version wins), so re-importing the same records
 * leaves every score unchanged; policies and local decisions are options, so changing them rescores
 * stored records with no re-import.
 */
import type { AlertRecord, RiskDetectionRecord, RiskyUserRecord, SignInRecord, ActivityRecord } from '../model/records.ts';
import { abnormalityMultiplier, aggregate, aggregateSum, bandOf, inputValue, NO_FLAGS, popularityDiscount, rankWeight, type Flags } from './aggregate.ts';
import { BaselineIndex, featureLabels, featuresOf, isBehaviour, type Attributed, type BaselineState, type FlagEvidence } from './baseline.ts';
import {
  ACTIVITY_BASE_POINTS,
  ALGORITHM_VERSION,
  BASE_POINTS,
  DAY_MS,
  RED_PERCENTILE,
  SCORE_CAP_TOTAL,
  SNAPSHOT_TOP_INPUTS,
  UNKNOWN_SEVERITY_POINTS,
  WINDOW_DAYS,
  type Band,
} from './constants.ts';
import { applyPolicies, DEFAULT_POLICIES, type PolicySettings } from './policies.ts';
import { activeDecisions, effectiveDetectionState, localDetections, userRisk, type LocalDecision, type UserRisk } from './risk.ts';

export type ScoreMode = 'bounded' | 'sum';
export type InputKind = 'alert' | 'riskDetection' | 'activity';

export interface ScoreOptions {
  /** Defaults to the newest record's time: exports are offline, "now" would make every score zero. */
  asOf?: number;
  windowDays?: number;
  mode?: ScoreMode;
  policies?: PolicySettings;
  decisions?: readonly LocalDecision[];
  /** Per-user reset times: inputs before a user's reset are ignored. */
  resets?: Readonly<Record<string, number>>;
}

/** One counted input, with everything needed to recompute its points by hand. */
export interface LedgerEntry {
  recordId: string;
  kind: InputKind;
  time: number;
  label: string;
  base: number;
  flags: Flags;
  /** Which features raised each flag. */
  flagEvidence: FlagEvidence;
  m: number;
  /** k: other users with the same alert title or detection type in the window. */
  k: number;
  d: number;
  /** v = min(25, base·m·d). */
  value: number;
  /** 1 = the largest value. */
  rank: number;
  /** Points this input adds to the score: 100·v/rank^1.5/(25·2.5924), or v in sum mode. */
  contribution: number;
  reason: string;
}

export interface NotCountedEntry {
  recordId: string;
  kind: InputKind;
  time: number;
  label: string;
  reason: string;
  policy?: string;
}

export interface UserScore {
  userId: string;
  score: number;
  band: Band;
  /** Among users with a score above 0; 0 for a user at 0. */
  percentile: number;
  red: boolean;
  /** 1-based position in the ranking (confirmed compromised first). */
  rank: number;
  confirmedCompromised: boolean;
  risk: UserRisk;
  resetAt?: number;
  inputs: LedgerEntry[];
  notCounted: NotCountedEntry[];
}

export interface ScoreResult {
  algorithmVersion: string;
  mode: ScoreMode;
  asOf: number;
  window: { from: number; to: number };
  users: UserScore[];
  hiddenByPolicy: Record<string, number>;
  excludedByPolicy: Record<string, number>;
}

/** An input candidate prepared once: everything that does not depend on the as-of time. */
interface Candidate {
  recordId: string;
  userId: string;
  kind: InputKind;
  time: number;
  label: string;
  base: number;
  flags: Flags;
  evidence: FlagEvidence;
  m: number;
  /** Same title or type across users: the popularity discount's key (alerts and detections only). */
  popularityKey?: string;
  /** For alerts and detections closed as benign, false positive, remediated, dismissed or safe: why, whatever a policy says. */
  cleared?: string;
  /** For activities: the unusual values they carry (`ip=192.0.2.1`); an activity counts once per anomaly. */
  anomalies?: string[];
  /** Set when the input is never counted (status, policy, local decision, reset). */
  notCounted?: { reason: string; policy?: string };
}

interface Prepared {
  candidates: Candidate[];
  users: Map<string, { risk: UserRisk; resetAt?: number }>;
  hiddenByPolicy: Record<string, number>;
  excludedByPolicy: Record<string, number>;
  newest: number;
  oldest: number;
}

function basePoints(level: string): number {
  return BASE_POINTS[level] ?? UNKNOWN_SEVERITY_POINTS;
}

const classificationWord = (value: string | undefined) => (value ?? '').toLowerCase().replace(/[^a-z]/g, '');

/** SCORING.md step 1 for alerts: open, or closed as a true positive. */
export function alertStatusReason(alert: AlertRecord): string | undefined {
  const classification = classificationWord(alert.classification);
  if (classification === 'falsepositive') return 'classified false positive';
  if (classification === 'benignpositive' || classification === 'informationalexpectedactivity') return 'classified benign';
  if (alert.status === 'dismissed') return 'dismissed';
  if (alert.status === 'resolved' && classification !== 'truepositive') return 'closed without a true-positive classification';
  return undefined;
}

/**
 * A sign-in's own risk level is its severity only while it is at risk and the Risky sign-in policy
 * admits it: a sign-in whose risk was remediated by MFA or dismissed, or that the policy hides, is
 * just an activity (2 points), as its risk detection no longer counts either.
 */
function signInLevel(record: SignInRecord, policies: PolicySettings): string | undefined {
  const level = record.riskLevelDuringSignIn && record.riskLevelDuringSignIn !== 'none' ? record.riskLevelDuringSignIn : record.riskLevelAggregated;
  if (!level || !(level in BASE_POINTS)) return undefined;
  if (record.riskState !== 'atRisk' && record.riskState !== 'confirmedCompromised') return undefined;
  if (policies.alertService === 'off') return undefined;
  const policy = policies.riskySignIn;
  if (policies.alertService === 'relevant' && (!policy.enabled || (THRESHOLD_RANK[level] ?? 0) < THRESHOLD_RANK[policy.threshold]!)) return undefined;
  return level;
}

const THRESHOLD_RANK: Record<string, number> = { low: 1, medium: 2, high: 3 };

function activityLabel(record: SignInRecord | ActivityRecord): string {
  if (record.kind === 'signIn') return `${record.success ? 'sign-in' : 'failed sign-in'}${record.appDisplayName ? ` to ${record.appDisplayName}` : ''}`;
  return `${record.action}${record.app ? ` (${record.app})` : ''}`;
}

function defaultAsOf(records: Iterable<Attributed>): number {
  let newest = -Infinity;
  for (const { record } of records) if (Number.isFinite(record.time) && record.time > newest) newest = record.time;
  return Number.isFinite(newest) ? newest : 0;
}

/**
 * Everything that does not depend on the as-of time: deduplication, attribution, status, policy
 * and decision verdicts, flags. Sign-ins and activities in [from, to] and alerts and detections up
 * to `to` become candidates; the window then picks its own.
 */
function prepare(records: Iterable<Attributed>, baseline: BaselineIndex, options: ScoreOptions, from: number, to: number): Prepared {
  const policies = options.policies ?? DEFAULT_POLICIES;
  const decisions = options.decisions ?? [];
  const resets = options.resets ?? {};
  const items = new Map<string, Attributed>();
  const behaviours = new Map<string, Attributed<SignInRecord | ActivityRecord>>();
  const riskyUsers = new Map<string, RiskyUserRecord[]>();
  const users = new Set<string>();
  let newest = -Infinity;
  let oldest = Infinity;
  for (const item of records) {
    const { userId, record } = item;
    if (!userId) continue;
    users.add(userId);
    if (Number.isFinite(record.time)) {
      newest = Math.max(newest, record.time);
      oldest = Math.min(oldest, record.time);
    }
    if (record.kind === 'riskyUser') {
      if (record.time > to) continue;
      const list = riskyUsers.get(userId) ?? [];
      list.push(record);
      riskyUsers.set(userId, list);
    } else if (record.kind === 'alert' || record.kind === 'riskDetection') {
      if (record.time <= to) items.set(record.id, item);
    } else if (isBehaviour(record) && record.time >= from && record.time <= to) {
      behaviours.set(record.id, item as Attributed<SignInRecord | ActivityRecord>);
    }
  }
  for (const detection of localDetections(decisions)) {
    const decision = decisions.find((d) => `riskDetection:local:${d.id}` === detection.id)!;
    if (detection.time <= to) items.set(detection.id, { userId: decision.userId, record: detection });
    users.add(decision.userId);
  }

  const decisionsByUser = new Map<string, LocalDecision[]>();
  for (const decision of activeDecisions(decisions)) {
    const list = decisionsByUser.get(decision.userId) ?? [];
    list.push(decision);
    decisionsByUser.set(decision.userId, list);
  }
  const detectionsByUser = new Map<string, RiskDetectionRecord[]>();
  for (const { userId, record } of items.values()) {
    if (record.kind !== 'riskDetection') continue;
    const list = detectionsByUser.get(userId) ?? [];
    list.push(record);
    detectionsByUser.set(userId, list);
  }

  const outcome = applyPolicies(items.values(), policies);
  const candidates: Candidate[] = [];
  // Alerts and detections before the window become candidates too (they are few): the window skips
  // them, but what they cleared still explains activity inside it.
  for (const { userId, record } of items.values()) {
    const { flags, evidence } = baseline.flags(userId, record.time, featuresOf(record));
    const base: Omit<Candidate, 'kind' | 'label' | 'base' | 'popularityKey'> = {
      recordId: record.id,
      userId,
      time: record.time,
      flags,
      evidence,
      m: abnormalityMultiplier(flags),
    };
    let notCounted: Candidate['notCounted'];
    const verdict = outcome.verdicts.get(record.id);
    if (verdict) notCounted = { reason: verdict.hidden ? `hidden by policy: ${verdict.reason}` : `excluded: ${verdict.reason}`, policy: verdict.policy };
    if (record.kind === 'alert') {
      const status = alertStatusReason(record);
      if (status && !notCounted) notCounted = { reason: status };
      const cleared = status?.startsWith('classified') ? `"${record.title}" ${status}` : undefined;
      candidates.push({
        ...base,
        kind: 'alert',
        label: record.title,
        base: basePoints(record.severity),
        popularityKey: `alert:${record.title.toLowerCase()}`,
        notCounted,
        cleared,
      });
    } else if (record.kind === 'riskDetection') {
      const effective = effectiveDetectionState(record, decisionsByUser.get(userId) ?? []);
      const closed = ['dismissed', 'confirmedSafe', 'remediated'].includes(effective.riskState)
        ? effective.decision
          ? `${effective.riskState} by a local decision (${effective.decision.why})`
          : effective.riskState
        : undefined;
      if (!notCounted && closed) notCounted = { reason: closed };
      candidates.push({
        cleared: closed ? `${record.riskEventType} ${closed}` : undefined,
        ...base,
        kind: 'riskDetection',
        label: record.riskEventType,
        base: basePoints(record.riskLevel),
        popularityKey: `detection:${record.riskEventType.toLowerCase()}`,
        notCounted,
      });
    }
  }
  const cleared = clearedAddresses(candidates, items);
  for (const { userId, record } of behaviours.values()) {
    const values = featuresOf(record);
    const { flags, evidence } = baseline.flags(userId, record.time, values);
    if (flags === NO_FLAGS || !(flags.firstForUser || flags.uncommonForUser || flags.uncommonInOrg || flags.firstInOrg)) continue;
    const level = record.kind === 'signIn' ? signInLevel(record, policies) : undefined;
    const clearedBy = values.ip ? cleared.get(userId)?.get(values.ip) : undefined;
    const anomalous = new Set(Object.values(evidence).flat());
    candidates.push({
      anomalies: [...anomalous].map((feature) => `${feature}=${values[feature]}`),
      recordId: record.id,
      userId,
      kind: 'activity',
      time: record.time,
      label: activityLabel(record),
      base: level ? basePoints(level) : ACTIVITY_BASE_POINTS,
      flags,
      evidence,
      m: abnormalityMultiplier(flags),
      ...(clearedBy ? { notCounted: { reason: `explained: its address ${values.ip} was cleared (${clearedBy})` } } : {}),
    });
  }
  for (const candidate of candidates) {
    const resetAt = resets[candidate.userId];
    if (resetAt !== undefined && candidate.time < resetAt && !candidate.notCounted)
      candidate.notCounted = { reason: `before the user's reset at ${new Date(resetAt).toISOString()}` };
  }
  candidates.sort((a, b) => a.time - b.time || (a.recordId < b.recordId ? -1 : a.recordId > b.recordId ? 1 : 0));

  const userInfo = new Map<string, { risk: UserRisk; resetAt?: number }>();
  for (const userId of users) {
    const risk = userRisk(riskyUsers.get(userId) ?? [], detectionsByUser.get(userId) ?? [], decisionsByUser.get(userId) ?? []);
    userInfo.set(userId, resets[userId] !== undefined ? { risk, resetAt: resets[userId] } : { risk });
  }
  return { candidates, users: userInfo, hiddenByPolicy: outcome.hiddenByPolicy, excludedByPolicy: outcome.excludedByPolicy, newest, oldest };
}

/**
 * The addresses already examined and cleared for each user: a risk detection remediated, dismissed or
 * confirmed safe, an alert closed as benign or false positive. An unusual activity from such an
 * address is the very thing that was cleared (the traveller's hotel, the café), so it is explained,
 * not abnormal; an address behind an open detection or alert stays unexplained.
 */
function clearedAddresses(candidates: readonly Candidate[], items: ReadonlyMap<string, Attributed>): Map<string, Map<string, string>> {
  const out = new Map<string, Map<string, string>>();
  const clear = (userId: string, ip: string | undefined, why: string) => {
    const address = ip?.trim().toLowerCase();
    if (!address) return;
    let mine = out.get(userId);
    if (!mine) out.set(userId, (mine = new Map()));
    if (!mine.has(address)) mine.set(address, why);
  };
  for (const candidate of candidates) {
    if (!candidate.cleared) continue;
    const record = items.get(candidate.recordId)?.record;
    if (record?.kind === 'riskDetection') clear(candidate.userId, record.ipAddress, candidate.cleared);
    else if (record?.kind === 'alert') for (const ip of record.ipAddresses) clear(candidate.userId, ip, candidate.cleared);
  }
  return out;
}

function lowerBoundTime(candidates: readonly Candidate[], time: number): number {
  let lo = 0;
  let hi = candidates.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (candidates[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The candidates of the window (from, to], grouped by user, with the discount's user sets. */
function windowOf(prepared: Prepared, from: number, to: number) {
  const start = lowerBoundTime(prepared.candidates, from + 1);
  const end = lowerBoundTime(prepared.candidates, to + 1);
  const byUser = new Map<string, Candidate[]>();
  const popularity = new Map<string, Set<string>>();
  for (let i = start; i < end; i++) {
    const candidate = prepared.candidates[i]!;
    const list = byUser.get(candidate.userId);
    if (list) list.push(candidate);
    else byUser.set(candidate.userId, [candidate]);
    // Every alert of the same title counts towards "fires for many users", whatever its status.
    if (candidate.popularityKey) {
      const set = popularity.get(candidate.popularityKey);
      if (set) set.add(candidate.userId);
      else popularity.set(candidate.popularityKey, new Set([candidate.userId]));
    }
  }
  return { byUser, popularity };
}

function flagReason(entry: { flags: Flags; evidence: FlagEvidence }): string {
  const parts: string[] = [];
  const say = (flag: keyof Flags, words: string) => {
    const features = entry.evidence[flag];
    if (entry.flags[flag] && features) parts.push(`${words}: ${features.map((f) => featureLabels[f]).join(', ')}`);
  };
  say('firstForUser', 'first time for the user');
  say('uncommonForUser', 'uncommon for the user');
  say('uncommonInOrg', 'uncommon in the organisation');
  say('firstInOrg', 'first time in the organisation');
  return parts.join('; ');
}

function reasonOf(candidate: Candidate, k: number): string {
  const what =
    candidate.kind === 'alert'
      ? `alert "${candidate.label}"`
      : candidate.kind === 'riskDetection'
        ? `risk detection ${candidate.label}`
        : `activity ${candidate.label}`;
  const parts = [`${what} (${candidate.base} points)`];
  const flags = flagReason({ flags: candidate.flags, evidence: candidate.evidence });
  if (flags) parts.push(flags);
  if (k > 0) parts.push(`also fired for ${k} other user${k === 1 ? '' : 's'}`);
  return parts.join('; ');
}

/** One user's ledger from their window candidates: values sorted descending, ranked, with contributions. */
function ledgerOf(candidates: readonly Candidate[], popularity: Map<string, Set<string>>, mode: ScoreMode) {
  const counted: Omit<LedgerEntry, 'rank' | 'contribution'>[] = [];
  const notCounted: NotCountedEntry[] = [];
  for (const c of candidates) {
    if (c.notCounted) {
      notCounted.push({
        recordId: c.recordId,
        kind: c.kind,
        time: c.time,
        label: c.label,
        reason: c.notCounted.reason,
        ...(c.notCounted.policy ? { policy: c.notCounted.policy } : {}),
      });
      continue;
    }
    const k = c.popularityKey ? (popularity.get(c.popularityKey)?.size ?? 1) - 1 : 0;
    const d = popularityDiscount(k);
    counted.push({
      recordId: c.recordId,
      kind: c.kind,
      time: c.time,
      label: c.label,
      base: c.base,
      flags: c.flags,
      flagEvidence: c.evidence,
      m: c.m,
      k,
      d,
      value: inputValue(c.base, c.m, d),
      reason: reasonOf(c, k),
    });
  }
  counted.sort((a, b) => b.value - a.value || a.time - b.time || (a.recordId < b.recordId ? -1 : 1));
  // One anomaly is one input: twenty requests from the same new address are one new address. Going
  // from the highest value down, an activity counts only if it brings an unusual value not yet counted.
  const anomaliesOf = new Map(candidates.filter((c) => c.anomalies).map((c) => [c.recordId, c.anomalies!]));
  const countedAnomalies = new Set<string>();
  const kept = counted.filter((entry) => {
    const anomalies = anomaliesOf.get(entry.recordId);
    if (!anomalies) return true;
    const fresh = anomalies.filter((a) => !countedAnomalies.has(a));
    for (const a of anomalies) countedAnomalies.add(a);
    if (fresh.length) return true;
    notCounted.push({
      recordId: entry.recordId,
      kind: entry.kind,
      time: entry.time,
      label: entry.label,
      reason: `repeats an anomaly already counted (${anomalies.join(', ')})`,
    });
    return false;
  });
  counted.length = 0;
  counted.push(...kept);
  const inputs: LedgerEntry[] = counted.map((entry, i) => ({
    ...entry,
    rank: i + 1,
    contribution: mode === 'sum' ? entry.value : (100 * entry.value * rankWeight(i + 1)) / SCORE_CAP_TOTAL,
  }));
  const values = counted.map((entry) => entry.value);
  const score = mode === 'sum' ? aggregateSum(values) : aggregate(values);
  return { score, inputs, notCounted };
}

/** Percentile among users with a score above 0: the share of them at or below this score. */
function percentiles(scores: readonly number[]): number[] {
  const positive = scores.filter((s) => s > 0).sort((a, b) => a - b);
  const n = positive.length;
  return scores.map((s) => {
    if (s <= 0 || n === 0) return 0;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (positive[mid]! <= s) lo = mid + 1;
      else hi = mid;
    }
    return (100 * lo) / n;
  });
}

/** Ranking order: confirmed compromised first, then score, then id for a stable order. */
export function compareUsers(
  a: Pick<UserScore, 'confirmedCompromised' | 'score' | 'userId'>,
  b: Pick<UserScore, 'confirmedCompromised' | 'score' | 'userId'>,
): number {
  return Number(b.confirmedCompromised) - Number(a.confirmedCompromised) || b.score - a.score || (a.userId < b.userId ? -1 : a.userId > b.userId ? 1 : 0);
}

function indexOf(baseline: BaselineState | BaselineIndex): BaselineIndex {
  return baseline instanceof BaselineIndex ? baseline : new BaselineIndex(baseline);
}

/**
 * Every user's investigation priority at the as-of time. `records`, each with the user the resolver
 * gives it now: the window's sign-ins and activities (older ones are skipped), the alerts and risk
 * detections up to the as-of time, and the users' risky-user records.
 */
export function scoreAll(records: Iterable<Attributed>, baseline: BaselineState | BaselineIndex, options: ScoreOptions = {}): ScoreResult {
  const list = Array.isArray(records) ? (records as Attributed[]) : [...records];
  const asOf = options.asOf ?? defaultAsOf(list);
  const windowDays = options.windowDays ?? WINDOW_DAYS;
  const mode = options.mode ?? 'bounded';
  const from = asOf - windowDays * DAY_MS;
  const prepared = prepare(list, indexOf(baseline), options, from, asOf);
  const { byUser, popularity } = windowOf(prepared, from, asOf);
  const rows = [...prepared.users.entries()].map(([userId, info]) => {
    const { score, inputs, notCounted } = ledgerOf(byUser.get(userId) ?? [], popularity, mode);
    return { userId, score, inputs, notCounted, info };
  });
  const pct = percentiles(rows.map((row) => row.score));
  const users: UserScore[] = rows.map((row, i) => ({
    userId: row.userId,
    score: row.score,
    band: bandOf(row.score),
    percentile: pct[i]!,
    red: pct[i]! >= RED_PERCENTILE,
    rank: 0,
    confirmedCompromised: row.info.risk.riskState === 'confirmedCompromised',
    risk: row.info.risk,
    ...(row.info.resetAt !== undefined ? { resetAt: row.info.resetAt } : {}),
    inputs: row.inputs,
    notCounted: row.notCounted,
  }));
  users.sort(compareUsers);
  users.forEach((user, i) => (user.rank = i + 1));
  return {
    algorithmVersion: ALGORITHM_VERSION,
    mode,
    asOf,
    window: { from, to: asOf },
    users,
    hiddenByPolicy: prepared.hiddenByPolicy,
    excludedByPolicy: prepared.excludedByPolicy,
  };
}

export interface DailySnapshot {
  userId: string;
  /** The UTC day, `YYYY-MM-DD`; the score is as of the end of that day (or the newest record, on the last day). */
  day: string;
  asOf: number;
  score: number;
  top: { recordId: string; label: string; contribution: number }[];
}

/**
 * SCORING.md step 9: one snapshot per user per day of the data, each scored as of the end of the day
 * over its own window. Flags, statuses and policies are worked out once; each day only re-reads the
 * candidates of its window, so the cost is the window's inputs times the days. A user appears from
 * the first day they have an input in a window; their zero days after that are kept, so a chart can
 * say when the score fell back. The last day is the as-of time's, so the trend ends where the score is.
 */
export function dailySnapshots(records: Iterable<Attributed>, baseline: BaselineState | BaselineIndex, options: ScoreOptions = {}): DailySnapshot[] {
  const list = Array.isArray(records) ? (records as Attributed[]) : [...records];
  const windowDays = options.windowDays ?? WINDOW_DAYS;
  const mode = options.mode ?? 'bounded';
  // The last snapshot is the as-of time scoreAll uses: the newest record of the data, never the wall
  // clock. A caller that left records out (the store keeps only flagged activities) passes it in.
  const newest = options.asOf ?? defaultAsOf(list);
  const prepared = prepare(list, indexOf(baseline), options, -Infinity, newest);
  if (!Number.isFinite(prepared.oldest)) return [];
  const out: DailySnapshot[] = [];
  const tracked = new Set<string>();
  for (let day = Math.floor(prepared.oldest / DAY_MS); day * DAY_MS <= newest; day++) {
    const asOf = Math.min(newest, (day + 1) * DAY_MS - 1);
    const { byUser, popularity } = windowOf(prepared, asOf - windowDays * DAY_MS, asOf);
    for (const userId of byUser.keys()) tracked.add(userId);
    const label = new Date(day * DAY_MS).toISOString().slice(0, 10);
    for (const userId of [...tracked].sort()) {
      const { score, inputs } = ledgerOf(byUser.get(userId) ?? [], popularity, mode);
      out.push({
        userId,
        day: label,
        asOf,
        score,
        top: inputs.slice(0, SNAPSHOT_TOP_INPUTS).map((e) => ({ recordId: e.recordId, label: e.label, contribution: e.contribution })),
      });
    }
  }
  return out;
}
