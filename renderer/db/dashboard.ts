/**
 * The dashboard's reads. None scans the activity log: users come by score rank, the risk-level
 * distribution from the users' index keys alone, totals from the counters; only the alert rows
 * (hundreds of thousands at most) are read whole, once per change of the workspace, into small points.
 */
import { riskLevelRank } from '../../shared/model/records.ts';
import { isRecordSourceEnabled } from '../../shared/model/integrations.ts';
import { getDisabledSources } from '../settings/sources.ts';
import type { AlertPoint } from '../views/dashboard-model.ts';
import { db } from './index.ts';
import { QUEUE_EDITS_COUNTER } from './repo.ts';
import type { ImportRow, ScoreRow, TrendRow, UserRow } from './schema.ts';

export interface TopUser {
  user: UserRow;
  score?: ScoreRow;
  trend?: TrendRow;
}

/**
 * The users with the highest investigation priority, by the stored rank; before the first scoring
 * (or for a workspace no score covers) users follow by Entra risk level.
 */
export async function getTopUsers(limit = 10): Promise<TopUser[]> {
  const scores = await db.scores.orderBy('rank').limit(limit).toArray();
  const ids = scores.map((score) => score.userId);
  if (ids.length < limit) {
    const taken = new Set(ids);
    await db.users
      .orderBy('riskLevelRank')
      .reverse()
      .until(() => ids.length >= limit)
      .each((user) => {
        if (!taken.has(user.id)) ids.push(user.id);
      });
  }
  const [users, trends] = await Promise.all([db.users.bulkGet(ids), db.scoreTrends.bulkGet(ids)]);
  const byUser = new Map(scores.map((score) => [score.userId, score]));
  return ids.flatMap((id, i) => (users[i] ? [{ user: users[i], score: byUser.get(id), trend: trends[i] }] : []));
}

/** How many users Entra reports at each risk level: read from the index keys, not the rows. */
export async function getRiskLevelDistribution(): Promise<{ level: string; users: number }[]> {
  const ranks = (await db.users.orderBy('riskLevelRank').keys()) as number[];
  const byRank = new Map<number, number>();
  for (const rank of ranks) byRank.set(rank, (byRank.get(rank) ?? 0) + 1);
  // Rank 0 is shared by "none" and "hidden": the store keeps only the rank in the index.
  return (['high', 'medium', 'low', 'none'] as const).map((level) => ({ level, users: byRank.get(riskLevelRank[level]!) ?? 0 }));
}

let cache: { key: string; points: AlertPoint[] } | undefined;

/**
 * One point per alert and risk detection. Cached until the alert counters, the analyst's triage edits (a
 * status set in the queue), the newest import or the disabled sources change, so coming back to the
 * dashboard costs nothing.
 */
export async function getAlertPoints(): Promise<AlertPoint[]> {
  const disabled = getDisabledSources();
  const [counters, lastImport] = await Promise.all([
    db.counters.bulkGet(['alerts', 'riskDetections', QUEUE_EDITS_COUNTER]),
    db.imports.orderBy('startedAt').last(),
  ]);
  const key = JSON.stringify([counters.map((row) => row?.value ?? 0), lastImport?.id, lastImport?.finishedAt, [...disabled].sort()]);
  if (cache?.key === key) return cache.points;
  const points: AlertPoint[] = [];
  await Promise.all([
    db.alerts.each((alert) => {
      if (isRecordSourceEnabled(alert, disabled))
        points.push({ time: alert.time, source: alert.source, severity: alert.severity, status: alert.local?.status ?? alert.status, userId: alert.userId });
    }),
    db.riskDetections.each((detection) => {
      if (isRecordSourceEnabled(detection, disabled))
        points.push({ time: detection.time, source: detection.source, severity: detection.riskLevel, status: detection.riskState, userId: detection.userId });
    }),
  ]);
  cache = { key, points };
  return points;
}

export function getLastImport(): Promise<ImportRow | undefined> {
  return db.imports.orderBy('startedAt').last();
}

/** Of these users, the `limit` with the highest priority (the stored rank; unscored users last, by Entra risk level). */
export async function getUsersByPriority(ids: string[], limit = 10): Promise<TopUser[]> {
  const scores = await db.scores.bulkGet(ids);
  const users = await db.users.bulkGet(ids);
  const ranked = ids
    .map((id, i) => ({ id, user: users[i], score: scores[i] }))
    .filter((entry): entry is { id: string; user: UserRow; score: ScoreRow | undefined } => entry.user !== undefined)
    .sort((a, b) => (a.score?.rank ?? Infinity) - (b.score?.rank ?? Infinity) || b.user.riskLevelRank - a.user.riskLevelRank || (a.id < b.id ? -1 : 1))
    .slice(0, limit);
  const trends = await db.scoreTrends.bulkGet(ranked.map((entry) => entry.id));
  return ranked.map((entry, i) => ({ user: entry.user, score: entry.score, trend: trends[i] }));
}
