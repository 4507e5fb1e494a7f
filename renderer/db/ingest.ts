/**
 * Writes parsed batches into the store: one explicit transaction per batch, holding the batch's
 * records, the users and identities they touch, and a journal row. Errors are never caught inside the
 * transaction (that would commit half a batch, RELIABILITY.md §2.1); the caller sees them outside.
 * Runs in the import worker, so the UI thread never pays for the writes.
 */
import type { Table } from 'dexie';
import { hash53 } from '../../shared/hash.ts';
import type { NormalizedRecord } from '../../shared/model/records.ts';
import { riskLevelRank } from '../../shared/model/records.ts';
import { IdentityResolver, type IdentityLink } from '../../shared/model/resolver.ts';
import type { SightlineDB, StoredActivity, StoredAlert, StoredIncident, StoredRiskDetection, StoredRiskyUser, UserRow } from './schema.ts';

export interface BatchOutcome {
  added: number;
  updated: number;
  unchanged: number;
}

type StoredRecord = (StoredRiskDetection | StoredRiskyUser | StoredActivity | StoredAlert | StoredIncident) & { contentHash: string };

export class Ingestor {
  private constructor(
    private readonly db: SightlineDB,
    private readonly resolver: IdentityResolver,
  ) {}

  static async open(db: SightlineDB): Promise<Ingestor> {
    const links = (await db.identities.toArray()) as IdentityLink[];
    return new Ingestor(db, new IdentityResolver(links));
  }

  async writeBatch(importId: string, file: string, batch: number, records: readonly NormalizedRecord[]): Promise<BatchOutcome> {
    // Everything that is not IndexedDB work happens before the transaction opens.
    const stored: StoredRecord[] = [];
    const newLinks: IdentityLink[] = [];
    const merges: { from: string; into: string }[] = [];
    for (const record of records) {
      const resolution = this.resolver.resolve(record.identifiers, record.id, record.time);
      newLinks.push(...resolution.added);
      for (const from of resolution.merged) merges.push({ from, into: resolution.userId });
      stored.push({ ...record, userId: resolution.userId, importId, contentHash: hash53(JSON.stringify(record.raw)) } as StoredRecord);
    }
    // A file may repeat a record; the last copy wins, as a re-import would make it.
    const unique = [...new Map(stored.map((row) => [row.id, row])).values()];
    const { db } = this;
    const outcome: BatchOutcome = { added: 0, updated: 0, unchanged: 0 };
    await db.transaction('rw', [db.riskDetections, db.riskyUsers, db.activities, db.alerts, db.incidents, db.users, db.identities, db.journal], async () => {
      for (const { from, into } of merges) await foldUser(db, from, into);
      const byTable = groupByTable(db, unique);
      const changed: StoredRecord[] = [];
      for (const [table, rows] of byTable) {
        const existing = await table.bulkGet(rows.map((row) => row.id));
        const toWrite: StoredRecord[] = [];
        rows.forEach((row, i) => {
          const before = existing[i];
          if (!before) {
            outcome.added++;
            changed.push(row);
            toWrite.push(row);
          } else if (before.contentHash !== row.contentHash) {
            outcome.updated++;
            // The first import that brought a record stays its provenance; the update is recorded by content.
            toWrite.push({ ...row, importId: before.importId });
            if (row.kind === 'riskyUser') changed.push(row);
          } else outcome.unchanged++;
        });
        if (toWrite.length) await table.bulkPut(toWrite);
      }
      if (newLinks.length) await db.identities.bulkPut(latestLinks(this.resolver, newLinks));
      await updateUsers(db, changed, unique);
      await db.journal.add({ importId, file, batch, records: records.length, committedAt: Date.now() });
    });
    return outcome;
  }
}

function groupByTable(db: SightlineDB, records: StoredRecord[]) {
  const groups = new Map<Table<StoredRecord, string>, StoredRecord[]>();
  for (const record of records) {
    const table = tableFor(db, record);
    const rows = groups.get(table) ?? [];
    rows.push(record);
    groups.set(table, rows);
  }
  return groups;
}

function tableFor(db: SightlineDB, record: StoredRecord): Table<StoredRecord, string> {
  const tables = {
    riskDetection: db.riskDetections,
    riskyUser: db.riskyUsers,
    alert: db.alerts,
    incident: db.incidents,
    signIn: db.activities,
    activity: db.activities,
  };
  return tables[record.kind] as unknown as Table<StoredRecord, string>;
}

/** Links may have been re-pointed by a later merge in the same batch: write their final owner. */
function latestLinks(resolver: IdentityResolver, links: IdentityLink[]): IdentityLink[] {
  const current = new Map(resolver.links().map((link) => [link.key, link]));
  return links.map((link) => ({ ...(current.get(link.key) ?? link) }));
}

/** Two users proved to be one person: their records, identities and counters move to the survivor. */
async function foldUser(db: SightlineDB, from: string, into: string): Promise<void> {
  await db.riskDetections.where('[userId+time]').between([from, -Infinity], [from, Infinity]).modify({ userId: into });
  await db.activities.where('[userId+time]').between([from, -Infinity], [from, Infinity]).modify({ userId: into });
  await db.alerts.where('[userId+time]').between([from, -Infinity], [from, Infinity]).modify({ userId: into });
  await db.riskyUsers.where('userId').equals(from).modify({ userId: into });
  await db.identities.where('userId').equals(from).modify({ userId: into });
  const [gone, survivor] = await db.users.bulkGet([from, into]);
  if (!gone) return;
  await db.users.delete(from);
  await db.users.put(survivor ? mergeUserRows(survivor, gone) : { ...gone, id: into });
}

function mergeUserRows(a: UserRow, b: UserRow): UserRow {
  const riskSource = (b.riskUpdated ?? 0) > (a.riskUpdated ?? 0) ? b : a;
  return {
    ...a,
    displayName: a.displayName ?? b.displayName,
    upn: a.upn ?? b.upn,
    objectId: a.objectId ?? b.objectId,
    riskLevel: riskSource.riskLevel,
    riskLevelRank: riskSource.riskLevelRank,
    riskState: riskSource.riskState,
    riskDetail: riskSource.riskDetail,
    riskUpdated: riskSource.riskUpdated,
    riskDetections: a.riskDetections + b.riskDetections,
    signIns: a.signIns + b.signIns,
    alerts: (a.alerts ?? 0) + (b.alerts ?? 0),
    activities: (a.activities ?? 0) + (b.activities ?? 0),
    failedSignIns: a.failedSignIns + b.failedSignIns,
    firstSeen: Math.min(a.firstSeen, b.firstSeen),
    lastSeen: Math.max(a.lastSeen, b.lastSeen),
  };
}

/** Counters grow only for records new to the store; names and risk follow the latest record. */
async function updateUsers(db: SightlineDB, changed: StoredRecord[], all: StoredRecord[]): Promise<void> {
  const touched = [...new Set(all.map((record) => record.userId).filter(Boolean))];
  if (!touched.length) return;
  const existing = await db.users.bulkGet(touched);
  const users = new Map<string, UserRow>();
  touched.forEach((id, i) => users.set(id, existing[i] ?? emptyUser(id)));
  const isNew = new Set(changed.filter((record) => record.kind !== 'riskyUser').map((record) => record.id));
  for (const record of all) {
    const user = users.get(record.userId);
    if (!user) continue;
    user.firstSeen = Math.min(user.firstSeen, record.time);
    user.lastSeen = Math.max(user.lastSeen, record.time);
    if (record.displayName) user.displayName = record.displayName;
    for (const id of record.identifiers) {
      if (id.type === 'upn' && !user.upn) user.upn = id.value;
      if (id.type === 'objectId' && !user.objectId) user.objectId = id.value;
    }
    if (record.kind === 'riskyUser' && record.time >= (user.riskUpdated ?? -Infinity)) {
      user.riskLevel = record.riskLevel;
      user.riskLevelRank = riskLevelRank[record.riskLevel] ?? 0;
      user.riskState = record.riskState;
      user.riskDetail = record.riskDetail;
      user.riskUpdated = record.time;
    }
    if (!isNew.has(record.id)) continue;
    if (record.kind === 'riskDetection') user.riskDetections++;
    if (record.kind === 'alert') user.alerts = (user.alerts ?? 0) + 1;
    if (record.kind === 'activity') user.activities = (user.activities ?? 0) + 1;
    if (record.kind === 'signIn') {
      user.signIns++;
      if (!record.success) user.failedSignIns++;
    }
  }
  await db.users.bulkPut([...users.values()]);
}

function emptyUser(id: string): UserRow {
  return {
    id,
    riskLevel: 'none',
    riskLevelRank: 0,
    riskState: 'none',
    riskDetections: 0,
    signIns: 0,
    failedSignIns: 0,
    firstSeen: Infinity,
    lastSeen: -Infinity,
  };
}
