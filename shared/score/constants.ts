/**
 * Every constant of Sightline's investigation priority (../shared/reference/SCORING.md), in one place
 * so that Settings can show them and reports can record them beside ALGORITHM_VERSION. Change a
 * value here and bump the version: a stored score is only comparable with one of the same version.
 */

/** Bumped whenever a constant or a rule below changes what a score means. */
export const ALGORITHM_VERSION = 'sightline-priority/1.0';

export const DAY_MS = 86_400_000;

/** W: inputs of the 7 days before the as-of time count. */
export const WINDOW_DAYS = 7;

/** Base points by severity or risk level (step 2). */
export const BASE_POINTS: Readonly<Record<string, number>> = { informational: 1, low: 3, medium: 6, high: 10 };
/** A flagged activity that carries no severity or risk level of its own. */
export const ACTIVITY_BASE_POINTS = 2;
/** An alert or detection whose severity word we do not know still counts, as the least severe. */
export const UNKNOWN_SEVERITY_POINTS = 1;

/** Step 3: the abnormality multiplier's weights; m = 1 + Σ weight·flag, so 1 ≤ m ≤ 2.5. */
export const FLAG_WEIGHTS = { firstForUser: 0.5, uncommonForUser: 0.25, uncommonInOrg: 0.5, firstInOrg: 0.25 } as const;
/** How far back a baseline looks (SCORING.md: 30–90 days). */
export const BASELINE_LOOKBACK_DAYS = 90;
/**
 * A user (or the organisation) must have been seen this long before an activity before anything
 * about it is called "first" or "uncommon": on the first days of an export everything is new.
 * Shorter than SCORING.md's 30 days because exports often span only a month; see ARCHITECTURE.md.
 */
export const BASELINE_MIN_DAYS = 7;
/** Uncommon for the user: the value was seen on at most this share of the user's active days in the lookback. */
export const UNCOMMON_FOR_USER_SHARE = 0.1;
/** Uncommon in the organisation: seen for under this share of its users. */
export const UNCOMMON_IN_ORG_SHARE = 0.05;

/** Step 5: an input's value is at most this. */
export const INPUT_CAP = 25;
/** Step 6: ζ(1.5) summed over 10,000 terms, the most Σ 1/i^1.5 can be for a realistic number of inputs. */
export const ZETA_1_5 = 2.5924;
/** Step 6: the normalising total, so the score is 0–100. */
export const SCORE_CAP_TOTAL = INPUT_CAP * ZETA_1_5;

/** Bands (lower bounds, inclusive), highest first. */
export const BANDS = [
  { band: 'critical', from: 90 },
  { band: 'high', from: 70 },
  { band: 'elevated', from: 40 },
  { band: 'guarded', from: 20 },
  { band: 'low', from: 0 },
] as const;
export type Band = (typeof BANDS)[number]['band'];

/** Step 8: a percentile at or above this is shown red. */
export const RED_PERCENTILE = 90;

/** Entra ages out low-risk detections after 6 months; we keep them, marked. */
export const LOW_RISK_AGE_OUT_DAYS = 180;

/** How many of a user's inputs a daily snapshot keeps to say what entered or left. */
export const SNAPSHOT_TOP_INPUTS = 3;

/** Everything above as one plain object, for Settings and for reports that must be reproducible. */
export const SCORING_CONSTANTS = {
  algorithmVersion: ALGORITHM_VERSION,
  windowDays: WINDOW_DAYS,
  basePoints: BASE_POINTS,
  activityBasePoints: ACTIVITY_BASE_POINTS,
  unknownSeverityPoints: UNKNOWN_SEVERITY_POINTS,
  flagWeights: FLAG_WEIGHTS,
  baselineLookbackDays: BASELINE_LOOKBACK_DAYS,
  baselineMinDays: BASELINE_MIN_DAYS,
  uncommonForUserShare: UNCOMMON_FOR_USER_SHARE,
  uncommonInOrgShare: UNCOMMON_IN_ORG_SHARE,
  inputCap: INPUT_CAP,
  zeta: ZETA_1_5,
  bands: BANDS,
  redPercentile: RED_PERCENTILE,
  lowRiskAgeOutDays: LOW_RISK_AGE_OUT_DAYS,
} as const;
