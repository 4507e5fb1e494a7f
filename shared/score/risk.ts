/**
 * User risk level and state as Entra ID Protection reports them (SCORING.md "User risk level"), and
 * the analyst's local decisions applied as Entra's own feedback would apply them. Decisions are data:
 * who, when, why; each can be revoked (with its own who, when, why), and then it no longer applies.
 * Nothing here recomputes Microsoft's aggregation: without a risky-user record we say "not reported".
 */
import { riskLevelRank, type RiskDetectionRecord, type RiskLevel, type RiskState, type RiskyUserRecord } from '../model/records.ts';
import { DAY_MS, LOW_RISK_AGE_OUT_DAYS } from './constants.ts';

export type DecisionKind = 'confirmCompromised' | 'dismissUserRisk' | 'confirmSafe';

export interface LocalDecision {
  id: string;
  kind: DecisionKind;
  userId: string;
  /** For confirmSafe: the sign-in (`signIn:<id>`) or risk detection (`riskDetection:<id>`) judged safe. */
  target?: string;
  by: string;
  at: number;
  why: string;
  /** Set when the analyst undoes the decision; a revoked decision no longer applies but stays in the log. */
  revoked?: { by: string; at: number; why: string };
}

export interface UserRisk {
  riskLevel: RiskLevel;
  riskState: RiskState;
  riskDetail?: string;
  /** 'export': the newest risky-user record; 'detections': no risky-user record, highest open detection; 'local': an analyst's decision. */
  source: 'export' | 'detections' | 'local' | 'none';
  /** What the UI prints: "high (reported)", "medium (not reported: highest open detection)", "high (local decision, not applied in the tenant)". */
  label: string;
  /** The decision that set the displayed state, when it is local. */
  decision?: LocalDecision;
  /** The reported values, kept beside a local decision so both can be shown. */
  reported?: { riskLevel: RiskLevel; riskState: RiskState; riskDetail?: string };
}

const OPEN_DETECTION_STATES = new Set<string>(['atRisk', 'none', 'confirmedCompromised']);

export function activeDecisions(decisions: readonly LocalDecision[], userId?: string): LocalDecision[] {
  return decisions.filter((d) => !d.revoked && (userId === undefined || d.userId === userId)).sort((a, b) => a.at - b.at || a.id.localeCompare(b.id));
}

/** Whether a detection is a sign-in's (confirm safe on that sign-in reaches it). */
function detectionOfSignIn(detection: RiskDetectionRecord, signInId: string): boolean {
  const native = signInId.startsWith('signIn:') ? signInId.slice('signIn:'.length) : signInId;
  return detection.requestId === native || detection.correlationId === native;
}

export interface EffectiveDetection {
  riskState: RiskState;
  /** The local decision that changed it, if any. */
  decision?: LocalDecision;
}

/** A detection's state once the user's local decisions are applied. */
export function effectiveDetectionState(detection: RiskDetectionRecord, userDecisions: readonly LocalDecision[]): EffectiveDetection {
  let state: EffectiveDetection = { riskState: detection.riskState };
  for (const decision of activeDecisions(userDecisions)) {
    if (decision.kind === 'confirmSafe' && decision.target && (decision.target === detection.id || detectionOfSignIn(detection, decision.target)))
      state = { riskState: 'confirmedSafe', decision };
    // Dismissing user risk dismisses the detections open at that moment, as Entra does; later ones stay open.
    if (decision.kind === 'dismissUserRisk' && detection.time <= decision.at && OPEN_DETECTION_STATES.has(state.riskState))
      state = { riskState: 'dismissed', decision };
  }
  return state;
}

/** Entra ages low-risk detections out after 6 months; we keep them and say so. */
export function isAgedOut(detection: RiskDetectionRecord, asOf: number): boolean {
  return detection.riskLevel === 'low' && asOf - detection.time > LOW_RISK_AGE_OUT_DAYS * DAY_MS;
}

/**
 * The user's displayed risk: the newest risky-user record, else the highest open detection labelled
 * "not reported"; then the newest active local decision, labelled as local.
 */
export function userRisk(
  riskyUsers: readonly RiskyUserRecord[],
  detections: readonly RiskDetectionRecord[],
  decisions: readonly LocalDecision[] = [],
): UserRisk {
  let risk: UserRisk;
  const newest = [...riskyUsers].sort((a, b) => b.time - a.time || a.id.localeCompare(b.id))[0];
  if (newest) {
    risk = {
      riskLevel: newest.riskLevel,
      riskState: newest.riskState,
      ...(newest.riskDetail ? { riskDetail: newest.riskDetail } : {}),
      source: 'export',
      label: `${newest.riskLevel} (reported)`,
    };
  } else {
    let highest: RiskLevel = 'none';
    for (const detection of detections) {
      const { riskState } = effectiveDetectionState(detection, decisions);
      if (!OPEN_DETECTION_STATES.has(riskState)) continue;
      if ((riskLevelRank[detection.riskLevel] ?? 0) > (riskLevelRank[highest] ?? 0)) highest = detection.riskLevel;
    }
    risk =
      highest === 'none'
        ? { riskLevel: 'none', riskState: 'none', source: 'none', label: 'not reported' }
        : { riskLevel: highest, riskState: 'atRisk', source: 'detections', label: `${highest} (not reported: highest open detection)` };
  }
  const userDecisions = activeDecisions(decisions).filter((d) => d.kind !== 'confirmSafe');
  const last = userDecisions[userDecisions.length - 1];
  if (!last) return risk;
  const reported = { riskLevel: risk.riskLevel, riskState: risk.riskState, ...(risk.riskDetail ? { riskDetail: risk.riskDetail } : {}) };
  return last.kind === 'confirmCompromised'
    ? {
        riskLevel: 'high',
        riskState: 'confirmedCompromised',
        riskDetail: 'adminConfirmedUserCompromised',
        source: 'local',
        label: 'high (local decision, not applied in the tenant)',
        decision: last,
        reported,
      }
    : {
        riskLevel: 'none',
        riskState: 'dismissed',
        riskDetail: 'adminDismissedAllRiskForUser',
        source: 'local',
        label: 'none (local decision, not applied in the tenant)',
        decision: last,
        reported,
      };
}

/**
 * The detection Entra records when an admin confirms a user compromised, recorded locally: it enters
 * the score like an exported one and disappears when the decision is revoked.
 */
export function localDetections(decisions: readonly LocalDecision[]): RiskDetectionRecord[] {
  return activeDecisions(decisions)
    .filter((d) => d.kind === 'confirmCompromised')
    .map((d) => ({
      kind: 'riskDetection',
      id: `riskDetection:local:${d.id}`,
      nativeId: `local:${d.id}`,
      source: 'identity-protection',
      format: 'local-decision',
      time: d.at,
      timeRaw: new Date(d.at).toISOString(),
      identifiers: [],
      raw: { localDecision: d },
      riskEventType: 'adminConfirmedUserCompromised',
      riskLevel: 'high',
      riskState: 'confirmedCompromised',
      riskDetail: 'adminConfirmedUserCompromised',
      detectionTimingType: 'offline',
      activity: 'user',
      detectionSource: 'local decision',
    }));
}

/** A per-user score reset (SCORING.md step 11): inputs before `at` are ignored. Logged, and revocable like a decision. */
export interface ScoreReset {
  id: string;
  userId: string;
  /** Inputs before this instant are ignored: a time of the data (exports are offline), not the wall clock. */
  at: number;
  /** When the analyst recorded the reset. */
  recordedAt?: number;
  by: string;
  why: string;
  revoked?: { by: string; at: number; why: string };
}

/** The reset times `scoreAll` takes: each user's newest active reset. */
export function resetTimes(resets: readonly ScoreReset[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const reset of resets) if (!reset.revoked && reset.at > (out[reset.userId] ?? -Infinity)) out[reset.userId] = reset.at;
  return out;
}
