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
import { DEFAULT_POLICIES, type PolicySettings } from '../../shared/score/policies.ts';
import { resetTimes, type LocalDecision, type ScoreReset } from '../../shared/score/risk.ts';
import { dailySnapshots, scoreAll, type DailySnapshot } from '../../shared/score/score.ts';
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
    policies: (policies?.value as PolicySettings | undefined) ?? DEFAULT_POLICIES,
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

/** Scores every user from the store and replaces the stored scores and trends. */
export async function rescoreWorkspace(db: SightlineDB): Promise<RescoreRun> {
  const started = performance.now();
  const baseline = ((await db.scoreState.get('baseline'))?.value as BaselineState | undefined) ?? { version: 1 as const, users: {} };
  const index = new BaselineIndex(baseline);
  const settings = await loadScoreSettings(db);
  const items: Attributed[] = [];
  for (const table of [db.alerts, db.riskDetections, db.riskyUsers] as const)
    await table.each((row: { userId: string } & Attributed['record']) => {
      if (row.userId) items.push({ userId: row.userId, record: row });
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
  const asOf = await newestRecordTime(db);
  const options = { policies: settings.policies, decisions: settings.decisions, resets: resetTimes(settings.resets) };
  const result = scoreAll(items, index, { ...options, asOf });
  const snapshots = dailySnapshots(items, index, options);
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
