/**
 * Repository functions: the only code that queries the store for views. Components call these,
 * never Dexie, so the store can be reshaped for volume without touching the UI.
 */
import { Dexie, type Table } from 'dexie';
import { db } from './index.ts';
import { matchesActivityFilter, matchesAlertFilter, type ActivityFilter, type AlertFilter } from './filters.ts';
import type {
  IdentityRow,
  ImportErrorRow,
  ImportRow,
  StoredActivity,
  StoredAlert,
  StoredIncident,
  StoredRiskDetection,
  StoredRiskyUser,
  UserRow,
} from './schema.ts';

export interface WorkspaceCounts {
  users: number;
  riskDetections: number;
  alerts: number;
  incidents: number;
  activities: number;
  imports: number;
}

export async function getWorkspaceCounts(): Promise<WorkspaceCounts> {
  const [users, riskDetections, alerts, activities, incidents, imports] = await Promise.all([
    db.users.count(),
    db.riskDetections.count(),
    db.alerts.count(),
    db.activities.count(),
    db.incidents.count(),
    db.imports.count(),
  ]);
  return { users, riskDetections, alerts, activities, incidents, imports };
}

/** Keyset page cursor: the last row's time and id. Never `offset()`, which walks every skipped row. */
export interface Cursor {
  time: number;
  id: string;
}

export interface Page<T> {
  rows: T[];
  next?: Cursor;
}

async function pageByTime<T extends { time: number; id: string }>(
  table: Table<T, string>,
  limit: number,
  after?: Cursor,
  accept: (row: T) => boolean = () => true,
): Promise<Page<T>> {
  const collection = after ? table.where('time').belowOrEqual(after.time).reverse() : table.orderBy('time').reverse();
  const rows: T[] = [];
  let skipping = Boolean(after);
  await collection
    .until(() => rows.length > limit)
    .each((row) => {
      if (skipping && after) {
        // Rows at the cursor's own time come in id order within the index; skip up to the cursor row.
        if (row.time === after.time && row.id >= after.id) return;
        skipping = false;
      }
      if (accept(row)) rows.push(row);
    });
  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { rows: page, next: hasMore && last ? { time: last.time, id: last.id } : undefined };
}

export function listRiskDetections(limit = 100, after?: Cursor): Promise<Page<StoredRiskDetection>> {
  return pageByTime(db.riskDetections, limit, after);
}

/** Keyset pages over several tables at once, newest first: each is read from the cursor, then merged. */
async function pageByTimeMerged<T extends { time: number; id: string }>(
  tables: Table<T, string>[],
  limit: number,
  after?: Cursor,
  accept?: (row: T) => boolean,
): Promise<Page<T>> {
  const pages = await Promise.all(tables.map((table) => pageByTime(table, limit, after, accept)));
  const merged = pages.flatMap((page) => page.rows).sort((a, b) => b.time - a.time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
  const rows = merged.slice(0, limit);
  const last = rows.at(-1);
  const more = merged.length > limit || pages.some((page) => page.next);
  return { rows, next: more && last ? { time: last.time, id: last.id } : undefined };
}

export type QueueItem = StoredAlert | StoredRiskDetection;

/** The alerts queue: every source's alerts, and Identity Protection's risk detections beside them. */
export function listAlertQueue(filter: AlertFilter = {}, limit = 100, after?: Cursor): Promise<Page<QueueItem>> {
  return pageByTimeMerged([db.alerts, db.riskDetections] as unknown as Table<QueueItem, string>[], limit, after, (row) => matchesAlertFilter(row, filter));
}

export function listIncidents(limit = 100, after?: Cursor): Promise<Page<StoredIncident>> {
  return pageByTime(db.incidents, limit, after);
}

export function listActivities(filter: ActivityFilter = {}, limit = 100, after?: Cursor): Promise<Page<StoredActivity>> {
  return pageByTime(db.activities, limit, after, (row) => matchesActivityFilter(row, filter));
}

/** Users ranked by Entra risk level, then by how recently they were seen. */
export async function listUsers(): Promise<UserRow[]> {
  const users = await db.users.toArray();
  return users.sort((a, b) => b.riskLevelRank - a.riskLevelRank || b.riskDetections - a.riskDetections || b.lastSeen - a.lastSeen);
}

export function getUser(id: string): Promise<UserRow | undefined> {
  return db.users.get(id);
}

export function getUserIdentities(id: string): Promise<IdentityRow[]> {
  return db.identities.where('userId').equals(id).toArray();
}

export function getUserRiskHistory(id: string): Promise<StoredRiskyUser[]> {
  return db.riskyUsers.where('userId').equals(id).toArray();
}

export type TimelineItem = StoredRiskDetection | StoredActivity | StoredAlert;

/** A user's records from every source, newest first. */
export async function getUserTimeline(id: string, limit = 500): Promise<TimelineItem[]> {
  const range = (table: Table<TimelineItem, string>) =>
    table.where('[userId+time]').between([id, Dexie.minKey], [id, Dexie.maxKey]).reverse().limit(limit).toArray();
  const tables = [db.riskDetections, db.activities, db.alerts] as unknown as Table<TimelineItem, string>[];
  const parts = await Promise.all(tables.map(range));
  return parts
    .flat()
    .sort((a, b) => b.time - a.time)
    .slice(0, limit);
}

export type AnyStoredRecord = TimelineItem | StoredRiskyUser | StoredIncident;

export async function getRecord(id: string): Promise<AnyStoredRecord | undefined> {
  for (const table of [db.riskDetections, db.activities, db.alerts, db.incidents, db.riskyUsers] as unknown as Table<AnyStoredRecord, string>[]) {
    const found = await table.get(id);
    if (found) return found;
  }
  return undefined;
}

export function listImports(): Promise<ImportRow[]> {
  return db.imports.orderBy('startedAt').reverse().toArray();
}

export function listImportErrors(importId: string, limit = 200): Promise<ImportErrorRow[]> {
  return db.importErrors.where('importId').equals(importId).limit(limit).toArray();
}

export async function isWorkspaceEmpty(): Promise<boolean> {
  const counts = await Promise.all([db.users, db.riskDetections, db.activities, db.alerts, db.incidents].map((table) => table.limit(1).count()));
  return counts.every((count) => count === 0);
}

/** Deletes every record, user and import of this workspace. */
export async function clearWorkspace(): Promise<void> {
  await db.transaction('rw', db.tables, async () => {
    await Promise.all(db.tables.map((table) => table.clear()));
  });
}

export interface StorageInfo {
  usage?: number;
  quota?: number;
  persisted?: boolean;
}

export async function getStorageInfo(): Promise<StorageInfo> {
  if (!navigator.storage) return {};
  const [estimate, persisted] = await Promise.all([navigator.storage.estimate(), navigator.storage.persisted?.()]);
  return { usage: estimate.usage, quota: estimate.quota, persisted };
}

/** Asks the browser not to evict the workspace under storage pressure (Electron treats every origin as durable). */
export async function requestPersistence(): Promise<boolean> {
  return (await navigator.storage?.persist?.()) ?? false;
}

/** The alerts with these store ids (an incident's `alertIds`), in that order; ids not in the store are left out. */
export async function getAlertsByIds(ids: string[]): Promise<StoredAlert[]> {
  const found = await db.alerts.bulkGet(ids);
  return found.filter((alert): alert is StoredAlert => alert !== undefined);
}
