/**
 * Risk roll-ups that Identity Protection computes from detections: a sign-in's risk fields and a
 * user's risky-user row. Source-neutral; the writers only format them.
 */
import { maxLevel, type RiskDetail, type RiskLevel, type RiskState } from './catalog.ts';
import type { Rng } from './rng.ts';
import type { Person } from './tenant.ts';
import { DAY, HOUR, type Micros, type TimeWindow } from './time.ts';
import type { DetectionEvent, SignInEvent, World } from './world.ts';

export interface SignInRisk {
  riskDetail: RiskDetail;
  riskLevelAggregated: RiskLevel;
  riskLevelDuringSignIn: RiskLevel;
  riskState: RiskState;
  /** The legacy enum array (`riskEventTypes`): only types that enum knows. */
  riskEventTypes: string[];
  riskEventTypes_v2: string[];
}

const STATE_PRECEDENCE: Record<RiskState, number> = { confirmedCompromised: 5, atRisk: 4, remediated: 3, dismissed: 2, confirmedSafe: 1, none: 0 };

/** A sign-in's risk as it reads at export time, from the detections raised on it. */
export function signInRisk(detections: readonly DetectionEvent[]): SignInRisk {
  if (detections.length === 0) {
    return { riskDetail: 'none', riskLevelAggregated: 'none', riskLevelDuringSignIn: 'none', riskState: 'none', riskEventTypes: [], riskEventTypes_v2: [] };
  }
  let lead = detections[0] as DetectionEvent;
  for (const detection of detections) {
    const better = STATE_PRECEDENCE[detection.riskState] - STATE_PRECEDENCE[lead.riskState];
    if (better > 0 || (better === 0 && detection.lastUpdatedTime > lead.lastUpdatedTime)) lead = detection;
  }
  const typesV2: string[] = [];
  for (const detection of detections) if (!typesV2.includes(detection.def.type)) typesV2.push(detection.def.type);
  const legacy = typesV2.filter((type) => detections.some((detection) => detection.def.type === type && detection.def.legacy));
  return {
    riskDetail: lead.riskDetail,
    riskLevelAggregated: maxLevel(detections.map((detection) => detection.riskLevel)),
    riskLevelDuringSignIn: maxLevel(detections.filter((detection) => detection.def.timing === 'realtime').map((detection) => detection.riskLevel)),
    riskState: lead.riskState,
    riskEventTypes: legacy,
    riskEventTypes_v2: typesV2,
  };
}

/** Detections grouped by the exported sign-in they were raised on. */
export function detectionsBySignIn(detections: readonly DetectionEvent[]): Map<SignInEvent, DetectionEvent[]> {
  const out = new Map<SignInEvent, DetectionEvent[]>();
  for (const detection of detections) {
    if (!detection.signIn) continue;
    const list = out.get(detection.signIn);
    if (list) list.push(detection);
    else out.set(detection.signIn, [detection]);
  }
  return out;
}

export interface RiskyUserRow {
  id: string;
  isDeleted: boolean;
  isProcessing: boolean;
  riskDetail: RiskDetail;
  riskLastUpdated: Micros;
  riskLevel: RiskLevel;
  riskState: RiskState;
  userDisplayName: string;
  userPrincipalName: string;
  /** The simulated person, or null for an account the tenant no longer resolves. */
  person: Person | null;
}

/** A user's risky-user row from all their detections. */
export function riskyUserOf(person: Person, detections: readonly DetectionEvent[]): RiskyUserRow {
  if (detections.length === 0) throw new Error(`${person.userPrincipalName} has no detections`);
  const riskLastUpdated = Math.max(...detections.map((detection) => detection.lastUpdatedTime));
  const base = {
    id: person.objectId,
    isDeleted: false,
    isProcessing: false,
    riskLastUpdated,
    userDisplayName: person.displayName,
    userPrincipalName: person.userPrincipalName,
    person,
  };
  if (detections.some((detection) => detection.riskState === 'confirmedCompromised')) {
    return { ...base, riskDetail: 'adminConfirmedUserCompromised', riskLevel: 'high', riskState: 'confirmedCompromised' };
  }
  const open = detections.filter((detection) => detection.riskState === 'atRisk');
  if (open.length > 0) {
    return { ...base, riskDetail: 'none', riskLevel: maxLevel(open.map((detection) => detection.riskLevel)), riskState: 'atRisk' };
  }
  let latest = detections[0] as DetectionEvent;
  for (const detection of detections) if (detection.lastUpdatedTime > latest.lastUpdatedTime) latest = detection;
  return { ...base, riskDetail: latest.riskDetail, riskLevel: 'none', riskState: latest.riskState };
}

/** One row per person who ever had a detection, in tenant order. */
export function deriveRiskyUsers(world: World): RiskyUserRow[] {
  const rows: RiskyUserRow[] = [];
  for (const person of world.tenant.people) {
    const detections = world.detectionsOf(person);
    if (detections.length > 0) rows.push(riskyUserOf(person, detections));
  }
  return rows;
}

/**
 * Rows that real exports carry for accounts the directory no longer resolves: empty UPN and
 * display name, risk dismissed. One is flagged deleted, the other is not (both occur).
 */
export function orphanRiskyUsers(rng: Rng, window: TimeWindow): RiskyUserRow[] {
  const r = rng.fork('orphans');
  return [true, false].map((isDeleted) => ({
    id: r.guid(),
    isDeleted,
    isProcessing: false,
    riskDetail: 'adminDismissedAllRiskForUser' as const,
    riskLastUpdated: window.start + r.int(1 * DAY, 20 * DAY) + r.int(0, 23 * HOUR),
    riskLevel: 'none' as const,
    riskState: 'dismissed' as const,
    userDisplayName: '',
    userPrincipalName: '',
    person: null,
  }));
}
