/**
 * Keeps the investigation priority current: the import worker feeds the baseline as batches commit,
 * then rescores the workspace and stores each user's score, ledger and daily trend. Runs in the
 * worker, so a rescoring of a million events never blocks the UI.
 *
 * Only activities that carry an abnormality flag can be inputs (SCORING.md step 1), so the chunks are
 * streamed once and just the flagged events are kept: memory holds alerts, detections and anomalies,
 * never the whole activity log.
 */
import { BaselineBuilder, BaselineIndex, featuresOf, isBehaviour, type Attributed, type BaselineState } from '../../shared/score/baseline.ts';
import { ALGORITHM_VERSION } from '../../shared/score/constants.ts';
import {
  applyPolicies,
  listDetectionPolicies,
  readPolicies,
  samePolicies,
  type DetectionPolicyInfo,
  type PolicySettings,
} from '../../shared/score/policies.ts';
import { resetTimes, type LocalDecision, type ScoreReset } from '../../shared/score/risk.ts';
import { dailySnapshots, scoreAll, type DailySnapshot } from '../../shared/score/score.ts';
import { policyWhatIf, type WhatIf } from '../../shared/score/whatif.ts';
import { newestRecordTime } from './retention.ts';
import type { SightlineDB, TrendRow } from './schema.ts';

export async function loadBaseline(db: SightlineDB): Promise<BaselineBuilder> {
  const row = await db.scoreState.get('baseline');
  return new BaselineBuilder(row?.value as BaselineState | undefined);
}

export async function saveBaseline(db: SightlineDB, builder: BaselineBuilder): Promise<void> {
  await db.scoreState.put({ key: 'baseline', value: builder.toJSON() });
}

export interface ScoreSettings {
  policies: PolicySettings;
  decisions: LocalDecision[];
  resets: ScoreReset[];
}

export async function loadScoreSettings(db: SightlineDB): Promise<ScoreSettings> {
  const [policies, decisions, resets] = await db.scoreState.bulkGet(['policies', 'decisions', 'resets']);
  return {
    policies: readPolicies(policies?.value),
    decisions: (decisions?.value as LocalDecision[] | undefined) ?? [],
    resets: (resets?.value as ScoreReset[] | undefined) ?? [],
  };
}

export interface RescoreRun {
  at: number;
  ms: number;
  users: number;
  inputsRead: number;
  flaggedActivities: number;
  algorithmVersion: string;
  asOf: number;
}

/**
 * What scoring reads from the store: alerts, detections and risky users (few), the activities that
 * raise an abnormality flag (only those can be inputs), and the as-of time. None of it depends on the
 * policies, decisions or resets, so a policy preview can reuse it until the data changes.
 */
export interface ScoringInputs {
  items: Attributed[];
  /** Alerts and detections no user could be found for: in the queue, so policies count them, but never scored. */
  unattributed: Attributed[];
  index: BaselineIndex;
  asOf: number | undefined;
  flaggedActivities: number;
}

export async function loadScoringInputs(db: SightlineDB): Promise<ScoringInputs> {
  const baseline = ((await db.scoreState.get('baseline'))?.value as BaselineState | undefined) ?? { version: 1 as const, users: {} };
  const index = new BaselineIndex(baseline);
  const items: Attributed[] = [];
  const unattributed: Attributed[] = [];
  for (const table of [db.alerts, db.riskDetections, db.riskyUsers] as const)
    await table.each((row: { userId: string } & Attributed['record']) => {
      if (row.userId) items.push({ userId: row.userId, record: row });
      else if (row.kind !== 'riskyUser') unattributed.push({ userId: '', record: row });
    });
  let flaggedActivities = 0;
  await db.activityChunks.each((chunk) => {
    for (const event of chunk.events) {
      if (!event.userId || !isBehaviour(event)) continue;
      const { flags } = index.flags(event.userId, event.time, featuresOf(event));
      if (!flags.firstForUser && !flags.uncommonForUser && !flags.firstInOrg && !flags.uncommonInOrg) continue;
      items.push({ userId: event.userId, record: event });
      flaggedActivities++;
    }
  });
  // As of the newest record of any kind: the unflagged activities left out must not move the window.
  return { items, unattributed, index, asOf: await newestRecordTime(db), flaggedActivities };
}

/** Changes whenever records are written (a journal row per batch), purged or cleared: what a cache of ScoringInputs is keyed on. */
export async function scoringInputsKey(db: SightlineDB): Promise<string> {
  const counts = await Promise.all([db.journal, db.alerts, db.riskDetections, db.riskyUsers, db.activityChunks, db.imports].map((table) => table.count()));
  return counts.join(':');
}

export interface PolicyPreview {
  /** Defender for Identity detection policies, one per alert type in the store. */
  detections: DetectionPolicyInfo[];
  /** What the saved settings hide and mark now, per policy, over every alert and detection in the store. */
  hiddenByPolicy: Record<string, number>;
  excludedByPolicy: Record<string, number>;
  /** The draft against the saved settings; absent when the draft is the saved settings. */
  whatIf?: WhatIf;
  asOf?: number;
}

/** The Policies panel's figures: computed in the worker, from the same inputs the scores are. */
export async function previewPolicies(db: SightlineDB, draft: PolicySettings | undefined, inputs?: ScoringInputs): Promise<PolicyPreview> {
  const loaded = inputs ?? (await loadScoringInputs(db));
  const settings = await loadScoreSettings(db);
  const queued = [...loaded.items, ...loaded.unattributed].filter((item) => item.record.kind === 'alert' || item.record.kind === 'riskDetection');
  const now = applyPolicies(queued, settings.policies);
  const preview: PolicyPreview = {
    detections: listDetectionPolicies(queued.map((item) => item.record)),
    hiddenByPolicy: now.hiddenByPolicy,
    excludedByPolicy: now.excludedByPolicy,
    asOf: loaded.asOf,
  };
  if (draft && !samePolicies(draft, settings.policies))
    preview.whatIf = policyWhatIf([...loaded.items, ...loaded.unattributed], loaded.index, settings.policies, draft, {
      asOf: loaded.asOf,
      decisions: settings.decisions,
      resets: resetTimes(settings.resets),
    });
  return preview;
}

/** Scores every user from the store and replaces the stored scores and trends. */
export async function rescoreWorkspace(db: SightlineDB, inputs?: ScoringInputs): Promise<RescoreRun> {
  const started = performance.now();
  const { items, index, asOf, flaggedActivities } = inputs ?? (await loadScoringInputs(db));
  const settings = await loadScoreSettings(db);
  const options = { policies: settings.policies, decisions: settings.decisions, resets: resetTimes(settings.resets) };
  const result = scoreAll(items, index, { ...options, asOf });
  const snapshots = dailySnapshots(items, index, { ...options, asOf: result.asOf });
  const trends = new Map<string, DailySnapshot[]>();
  for (const snapshot of snapshots) {
    const days = trends.get(snapshot.userId) ?? [];
    days.push(snapshot);
    trends.set(snapshot.userId, days);
  }
  const run: RescoreRun = {
    at: Date.now(),
    ms: 0,
    users: result.users.length,
    inputsRead: items.length,
    flaggedActivities,
    algorithmVersion: ALGORITHM_VERSION,
    asOf: result.asOf,
  };
  await db.transaction('rw', [db.scores, db.scoreTrends, db.scoreState], async () => {
    await db.scores.clear();
    await db.scores.bulkPut(result.users.map((user) => ({ ...user, algorithmVersion: result.algorithmVersion, asOf: result.asOf })));
    await db.scoreTrends.clear();
    await db.scoreTrends.bulkPut([...trends].map(([userId, days]): TrendRow => ({ userId, days })));
    run.ms = Math.round(performance.now() - started);
    await db.scoreState.put({ key: 'lastRun', value: { ...run, hiddenByPolicy: result.hiddenByPolicy, excludedByPolicy: result.excludedByPolicy } });
  });
  return run;
}
