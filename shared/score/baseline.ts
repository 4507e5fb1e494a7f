/**
 * Baselines for SCORING.md step 3: per user and per organisation, when each country, ISP, IP, device
 * or user agent, app and action type was first seen and on which days. Built incrementally from
 * batches, serialisable to plain JSON, mergeable, and idempotent: the state is made of minima and
 * sets of days, so adding the same records twice (a re-import) changes nothing.
 *
 * As-of correct: a flag at time t only reads what was seen up to t, so the same baseline answers for
 * today's score and for every past day's snapshot.
 */
import type { NormalizedRecord } from '../model/records.ts';
import { BASELINE_LOOKBACK_DAYS, BASELINE_MIN_DAYS, DAY_MS, UNCOMMON_FOR_USER_SHARE, UNCOMMON_IN_ORG_SHARE } from './constants.ts';
import { NO_FLAGS, type Flags } from './aggregate.ts';

export const FEATURES = ['country', 'isp', 'ip', 'device', 'app', 'action'] as const;
export type Feature = (typeof FEATURES)[number];
export type FeatureValues = Partial<Record<Feature, string>>;

export const featureLabels: Record<Feature, string> = {
  country: 'country',
  isp: 'ISP',
  ip: 'IP address',
  device: 'device or user agent',
  app: 'app',
  action: 'action type',
};

/** A record attributed to a user by the identity resolver. */
export interface Attributed<R extends NormalizedRecord = NormalizedRecord> {
  userId: string;
  record: R;
}

/** What an activity or sign-in says about where, from what and what: the values the baselines track. */
export function featuresOf(record: NormalizedRecord): FeatureValues {
  const clean = (value: string | undefined) => {
    const text = value?.trim();
    return text ? text.toLowerCase() : undefined;
  };
  switch (record.kind) {
    case 'signIn':
      return {
        country: clean(record.location?.country),
        ip: clean(record.ipAddress),
        device: clean(record.userAgent ?? ([record.deviceOs, record.deviceBrowser].filter(Boolean).join(' / ') || undefined)),
        app: clean(record.appDisplayName),
        action: record.success ? 'sign-in' : 'failed sign-in',
      };
    case 'activity':
      return {
        country: clean(record.location?.country),
        isp: record.isp === 'INTERNAL_NETWORK' ? undefined : clean(record.isp),
        ip: clean(record.ipAddress),
        device: clean(record.userAgent ?? record.deviceName),
        app: clean(record.app),
        action: clean(record.action),
      };
    case 'riskDetection':
      return { country: clean(record.location?.country), ip: clean(record.ipAddress) };
    case 'alert':
      // The alert's evidence: an address or a machine the user has never used weighs more.
      return { ip: clean(record.ipAddresses[0]), device: clean(record.devices[0]) };
    default:
      return {};
  }
}

/** Whether a record feeds the baselines: what a person did (sign-ins and activities), not what was said about them. */
export function isBehaviour(record: NormalizedRecord): boolean {
  return record.kind === 'signIn' || (record.kind === 'activity' && !record.workload);
}

/** One value's history for one user: first instant and the sorted UTC day numbers it was seen on. */
export interface ValueHistory {
  first: number;
  days: number[];
}

export interface UserBaseline {
  first: number;
  days: number[];
  values: Partial<Record<Feature, Record<string, ValueHistory>>>;
}

/** The whole state, plain JSON: store it as is. */
export interface BaselineState {
  version: 1;
  users: Record<string, UserBaseline>;
}

const dayOf = (time: number) => Math.floor(time / DAY_MS);

/** Inserts a day into a sorted array unless present. */
function addDay(days: number[], day: number): void {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (days[mid]! < day) lo = mid + 1;
    else hi = mid;
  }
  if (days[lo] !== day) days.splice(lo, 0, day);
}

/** Number of entries of a sorted array within [from, to]. */
function countBetween(sorted: readonly number[], from: number, to: number): number {
  return upperBound(sorted, to) - upperBound(sorted, from - 1);
}

function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class BaselineBuilder {
  readonly state: BaselineState;

  constructor(state?: BaselineState) {
    this.state = state ? structuredCloneState(state) : { version: 1, users: {} };
  }

  /** Adds a batch of attributed records; records that are not behaviour are ignored. */
  add(batch: Iterable<Attributed>): this {
    for (const { userId, record } of batch) {
      if (!userId || !isBehaviour(record) || !Number.isFinite(record.time)) continue;
      this.observe(userId, record.time, featuresOf(record));
    }
    return this;
  }

  /** Adds one observation: for callers that keep compact facts rather than records. */
  observe(userId: string, time: number, features: FeatureValues): void {
    const day = dayOf(time);
    let user = this.state.users[userId];
    if (!user) user = this.state.users[userId] = { first: time, days: [], values: {} };
    if (time < user.first) user.first = time;
    addDay(user.days, day);
    for (const feature of FEATURES) {
      const value = features[feature];
      if (value === undefined) continue;
      const values = (user.values[feature] ??= {});
      const history = values[value];
      if (!history) values[value] = { first: time, days: [day] };
      else {
        if (time < history.first) history.first = time;
        addDay(history.days, day);
      }
    }
  }

  /** Folds another baseline in (another worker's batches, another import). */
  merge(other: BaselineState): this {
    for (const [userId, theirs] of Object.entries(other.users)) this.mergeUser(userId, theirs);
    return this;
  }

  /** When the resolver proves two users are one person, their baselines become one. */
  mergeUsers(from: string, into: string): this {
    const theirs = this.state.users[from];
    if (!theirs || from === into) return this;
    delete this.state.users[from];
    this.mergeUser(into, theirs);
    return this;
  }

  toJSON(): BaselineState {
    return this.state;
  }

  private mergeUser(userId: string, theirs: UserBaseline): void {
    const mine = this.state.users[userId];
    if (!mine) {
      this.state.users[userId] = structuredCloneUser(theirs);
      return;
    }
    mine.first = Math.min(mine.first, theirs.first);
    for (const day of theirs.days) addDay(mine.days, day);
    for (const feature of FEATURES) {
      const values = theirs.values[feature];
      if (!values) continue;
      const target = (mine.values[feature] ??= {});
      for (const [value, history] of Object.entries(values)) {
        const existing = target[value];
        if (!existing) target[value] = { first: history.first, days: [...history.days] };
        else {
          existing.first = Math.min(existing.first, history.first);
          for (const day of history.days) addDay(existing.days, day);
        }
      }
    }
  }
}

function structuredCloneUser(user: UserBaseline): UserBaseline {
  const values: UserBaseline['values'] = {};
  for (const feature of FEATURES) {
    const source = user.values[feature];
    if (!source) continue;
    const copy: Record<string, ValueHistory> = {};
    for (const [value, history] of Object.entries(source)) copy[value] = { first: history.first, days: [...history.days] };
    values[feature] = copy;
  }
  return { first: user.first, days: [...user.days], values };
}

function structuredCloneState(state: BaselineState): BaselineState {
  if (state.version !== 1) throw new Error(`baseline state version ${String(state.version)} is not supported`);
  const users: Record<string, UserBaseline> = {};
  for (const [id, user] of Object.entries(state.users)) users[id] = structuredCloneUser(user);
  return { version: 1, users };
}

/** Which features raised which flag, for the ledger's reason. */
export type FlagEvidence = Partial<Record<keyof Flags, Feature[]>>;

/**
 * Reads flags off a baseline. Built once per scoring run: it indexes the organisation's view
 * (for each value, when each user first used it) from the per-user state.
 */
export class BaselineIndex {
  private readonly org = new Map<Feature, Map<string, number[]>>();
  /** Each user's first instant, sorted: how many users the organisation had as of t. */
  private readonly userFirsts: number[];
  private readonly orgFirst: number;

  constructor(private readonly state: BaselineState) {
    const firsts: number[] = [];
    for (const user of Object.values(state.users)) {
      firsts.push(user.first);
      for (const feature of FEATURES) {
        const values = user.values[feature];
        if (!values) continue;
        let byValue = this.org.get(feature);
        if (!byValue) this.org.set(feature, (byValue = new Map()));
        for (const [value, history] of Object.entries(values)) {
          const list = byValue.get(value);
          if (list) list.push(history.first);
          else byValue.set(value, [history.first]);
        }
      }
    }
    for (const byValue of this.org.values()) for (const list of byValue.values()) list.sort((a, b) => a - b);
    this.userFirsts = firsts.sort((a, b) => a - b);
    this.orgFirst = this.userFirsts[0] ?? Infinity;
  }

  /**
   * SCORING.md step 3 for one record of a user at its time. The organisation's flags qualify a
   * user's own anomaly (a new country for this user that nobody else uses either weighs more than
   * one half the company travels to); a value that is normal for its user raises no flag at all,
   * or every personal IP address and home ISP would be "uncommon in the organisation".
   */
  flags(userId: string, time: number, features: FeatureValues): { flags: Flags; evidence: FlagEvidence } {
    const user = this.state.users[userId];
    const minHistory = BASELINE_MIN_DAYS * DAY_MS;
    if (!user || time - user.first < minHistory) return { flags: NO_FLAGS, evidence: {} };
    const day = dayOf(time);
    const from = day - BASELINE_LOOKBACK_DAYS;
    const activeDays = countBetween(user.days, from, day);
    const orgReady = time - this.orgFirst >= minHistory;
    const orgUsers = upperBound(this.userFirsts, time);
    const flags: Flags = { ...NO_FLAGS };
    const evidence: FlagEvidence = {};
    const raise = (flag: keyof Flags, feature: Feature) => {
      flags[flag] = true;
      (evidence[flag] ??= []).push(feature);
    };
    for (const feature of FEATURES) {
      const value = features[feature];
      if (value === undefined) continue;
      const history = user.values[feature]?.[value];
      // A value the baseline has never seen for this user (a detection's IP) is first and uncommon for them.
      const first = !history || history.first >= time;
      const seenDays = history ? countBetween(history.days, from, day) : 0;
      const uncommon = seenDays <= Math.max(1, UNCOMMON_FOR_USER_SHARE * activeDays);
      if (!first && !uncommon) continue;
      if (first) raise('firstForUser', feature);
      if (uncommon) raise('uncommonForUser', feature);
      if (!orgReady) continue;
      const firsts = this.org.get(feature)?.get(value) ?? [];
      const usersWithValue = upperBound(firsts, time);
      if (usersWithValue === 0 || firsts[0]! >= time) raise('firstInOrg', feature);
      if (usersWithValue < UNCOMMON_IN_ORG_SHARE * orgUsers) raise('uncommonInOrg', feature);
    }
    return { flags, evidence };
  }
}
