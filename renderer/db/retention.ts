/**
 * Retention: records older than a period are purged on request, after a preview of what would go, and
 * each purge is recorded. The period is counted back from the newest record in the workspace, not from
 * today: exports are often examined long after they were taken, and "now" would purge all of an old case.
 */
import type { Table } from 'dexie';
import { DAY_MS, dayOf, eventCounterKeys, sealChunk } from './chunks.ts';
import { addToCounters, subtractFromUsers, type Counted, type StoredRow } from './ingest.ts';
import type { ActivityChunk, ChunkKey, PurgeRow, RetentionCounts, SightlineDB } from './schema.ts';

/** As the real products keep activities and alerts. */
export const DEFAULT_RETENTION_DAYS = 180;

export interface RetentionPreview {
  newest: number;
  cutoff: number;
  counts: RetentionCounts;
}

function rowTables(db: SightlineDB): [keyof RetentionCounts, Table<StoredRow, string>][] {
  return [
    ['alerts', db.alerts as unknown as Table<StoredRow, string>],
    ['riskDetections', db.riskDetections as unknown as Table<StoredRow, string>],
    ['riskyUsers', db.riskyUsers as unknown as Table<StoredRow, string>],
    ['incidents', db.incidents as unknown as Table<StoredRow, string>],
  ];
}

/** The time of the newest record of any kind, or undefined for an empty workspace. */
export async function newestRecordTime(db: SightlineDB): Promise<number | undefined> {
  const lasts = await Promise.all([
    ...rowTables(db).map(([, table]) =>
      table
        .orderBy('time')
        .last()
        .then((row) => row?.time),
    ),
    db.activityChunks
      .orderBy('lastTime')
      .last()
      .then((chunk) => chunk?.lastTime),
  ]);
  const times = lasts.filter((time): time is number => time !== undefined);
  return times.length ? Math.max(...times) : undefined;
}

/** What a purge with this period would remove; nothing is changed. */
export async function previewRetention(db: SightlineDB, days: number): Promise<RetentionPreview | undefined> {
  const newest = await newestRecordTime(db);
  if (newest === undefined) return undefined;
  const cutoff = newest - days * DAY_MS;
  const counts: RetentionCounts = { alerts: 0, riskDetections: 0, riskyUsers: 0, incidents: 0, activities: 0 };
  for (const [name, table] of rowTables(db)) counts[name] = await table.where('time').below(cutoff).count();
  await db.activityChunks
    .where('day')
    .belowOrEqual(dayOf(cutoff))
    .each((chunk) => {
      counts.activities += chunk.lastTime < cutoff ? chunk.count : chunk.events.filter((event) => event.time < cutoff).length;
    });
  return { newest, cutoff, counts };
}

/** Removes every record older than the period, in one transaction, and records what went. */
export async function purgeOlderThan(db: SightlineDB, days: number, by = 'analyst'): Promise<PurgeRow | undefined> {
  const newest = await newestRecordTime(db);
  if (newest === undefined) return undefined;
  const cutoff = newest - days * DAY_MS;
  const removed: RetentionCounts = { alerts: 0, riskDetections: 0, riskyUsers: 0, incidents: 0, activities: 0 };
  const row: PurgeRow = { at: Date.now(), by, retentionDays: days, cutoff, removed };
  const tables = [db.alerts, db.riskDetections, db.riskyUsers, db.incidents, db.activityChunks, db.activityRaw, db.counters, db.users, db.purges];
  await db.transaction('rw', tables, async () => {
    const deltas = new Map<string, number>();
    const drop = (key: string) => deltas.set(key, (deltas.get(key) ?? 0) - 1);
    const gone: Counted[] = [];
    for (const [name, table] of rowTables(db)) {
      const old = await table.where('time').below(cutoff).toArray();
      if (!old.length) continue;
      await table.bulkDelete(old.map((record) => record.id));
      for (const record of old) drop(`${record.kind}s`);
      removed[name] = old.length;
      gone.push(...old);
    }
    const chunks = await db.activityChunks.where('day').belowOrEqual(dayOf(cutoff)).toArray();
    const emptied: ChunkKey[] = [];
    const trimmed: ActivityChunk[] = [];
    for (const chunk of chunks) {
      const leaving = chunk.events.filter((event) => event.time < cutoff);
      if (!leaving.length) continue;
      for (const event of leaving) for (const key of eventCounterKeys(event)) drop(key);
      removed.activities += leaving.length;
      gone.push(...leaving);
      chunk.events = chunk.events.filter((event) => event.time >= cutoff);
      if (chunk.events.length) trimmed.push(sealChunk(chunk));
      else emptied.push([chunk.userId, chunk.day, chunk.stream]);
    }
    if (emptied.length) await db.activityChunks.bulkDelete(emptied);
    if (trimmed.length) await db.activityChunks.bulkPut(trimmed);
    // Raw text goes with the last event that points at it.
    if (removed.activities) {
      const referenced = new Set<string>();
      await db.activityChunks.each((chunk) => {
        for (const event of chunk.events) referenced.add(event.rawKey);
      });
      const unreferenced = (await db.activityRaw.toCollection().primaryKeys()).filter((key) => !referenced.has(key));
      if (unreferenced.length) await db.activityRaw.bulkDelete(unreferenced);
    }
    if (deltas.size) await addToCounters(db, deltas);
    await subtractFromUsers(db, gone);
    await db.purges.add(row);
  });
  return row;
}

export function listPurges(db: SightlineDB): Promise<PurgeRow[]> {
  return db.purges.orderBy('at').reverse().toArray();
}
