/**
 * Writes parsed batches into the store: one explicit transaction per batch, holding the batch's
 * records, the users and identities they touch, the counters, and a journal row. Errors are never
 * caught inside the transaction (that would commit half a batch, RELIABILITY.md §2.1); the caller
 * sees them outside. Runs in the import worker, so the UI thread never pays for the writes.
 *
 * Alerts, detections, risky users and incidents are rows. Sign-ins and activities go into chunks
 * (one per user, UTC day and stream; see chunks.ts) and their raw records into one append-only row
 * per batch: a million events become a few thousand rows instead of a million.
 */
import type { Table } from 'dexie';
import type { StageClock } from '../worker/stages.ts';
import { hash53 } from '../../shared/hash.ts';
import type { NormalizedRecord } from '../../shared/model/records.ts';
import { riskLevelRank } from '../../shared/model/records.ts';
import { identifierKey } from '../../shared/model/identity.ts';
import { IdentityResolver, type IdentityLink } from '../../shared/model/resolver.ts';
import { concatPacked, packRawTexts, type PackedRaw } from './raw-pack.ts';
import { chunkId, chunkKeyOf, emptyChunk, eventCounterKeys, mergeEvents, sealChunk, supersedes, versionStamp } from './chunks.ts';
import type { ActivityChunk, ChunkEvent, ChunkKey, SightlineDB, StoredAlert, StoredIncident, StoredRiskDetection, StoredRiskyUser, UserRow } from './schema.ts';

export interface BatchOutcome {
  added: number;
  updated: number;
  unchanged: number;
}

export type StoredRow = (StoredRiskDetection | StoredRiskyUser | StoredAlert | StoredIncident) & { contentHash: string };
/** What user counters and names are computed from: a row or a chunk event. */
export type Counted = StoredRow | ChunkEvent;

/** A batch ready to commit: see `Ingestor.startBatch`. */
export interface PreparedBatch {
  importId: string;
  file: string;
  batch: number;
  /**
   * The batch's record ids in order. The records themselves are not kept: their parsed raw objects are the
   * bulk of a batch's memory, and a prepared batch may wait for the previous one to commit.
   */
  ids: string[];
  rawKey: string;
  /** Each record's newest copy in the batch (by `supersedes`). */
  rows: Map<string, StoredRow>;
  /**
   * Older copies of an alert the same batch also held, oldest first: a Log Analytics `SecurityAlert` export
   * has a row per change of an alert, newest first. They become its history, as if imported one by one.
   */
  earlierVersions: Map<string, StoredRow[]>;
  events: Map<string, ChunkEvent>;
  links: IdentityLink[];
  merges: { from: string; into: string }[];
  packed: Promise<PackedRaw> | undefined;
}

/** What a committed batch brought, for work that follows the store (the scoring baseline). */
export interface CommittedBatch {
  attributed: { userId: string; record: NormalizedRecord }[];
  merges: { from: string; into: string }[];
}

/**
 * A parsed record waiting for its batch, its raw source already text. An event's parsed raw object is let go
 * here, as the record arrives: held until its batch is prepared (thousands of records later), every one of those
 * small objects would outlive the young generation and be copied into the old one, whose collections grow
 * with the worker's whole heap. Rows (alerts, detections…) store that text as their `rawJson`.
 */
export interface PendingRecord {
  record: NormalizedRecord;
  text: string;
}

export function toPending(record: NormalizedRecord): PendingRecord {
  const { raw, ...rest } = record;
  return { record: rest as NormalizedRecord, text: JSON.stringify(raw) };
}

export class Ingestor {
  /** Called after each batch commits, with every record and the user it now belongs to. */
  onCommit?: (batch: CommittedBatch) => void;
  /** Where the time of each batch goes, when someone measures it. */
  clock?: StageClock;
  /** How a batch's raw texts are compressed: the import worker hands them to its sidecar's thread. */
  packRaw: (texts: string[]) => Promise<PackedRaw> = packRawTexts;

  private constructor(
    private readonly db: SightlineDB,
    private readonly resolver: IdentityResolver,
    /**
     * Ids of the chunks the store holds (or may hold): a batch reads only those back before merging, and
     * starts the others empty. On a first import that skips nearly every read. Only ever grows during an
     * import, so a stale entry costs one read that finds nothing; the caller holds the import lock
     * (one writer at a time), so no chunk can appear that this set does not name.
     */
    private readonly chunkIds: Set<string>,
  ) {}

  static async open(db: SightlineDB): Promise<Ingestor> {
    const links = (await db.identities.toArray()) as IdentityLink[];
    const keys = (await db.activityChunks.toCollection().primaryKeys()) as ChunkKey[];
    return new Ingestor(db, new IdentityResolver(links), new Set(keys.map(chunkId)));
  }

  /** Prepares and commits one batch. */
  writeBatch(importId: string, file: string, batch: number, records: readonly NormalizedRecord[]): Promise<BatchOutcome> {
    const builder = this.startBatch(importId, file, batch);
    builder.add(records.map(toPending));
    return this.commitBatch(builder.finish());
  }

  /**
   * A batch prepared part by part (see `BatchBuilder`): everything about it that is not IndexedDB work.
   * Batches must be prepared in order, and each committed in that order; a batch may be prepared while
   * the previous one commits, which is how its raw text compresses while the previous batch is written.
   */
  startBatch(importId: string, file: string, batch: number): BatchBuilder {
    return new BatchBuilder(this.resolver, this.packRaw, importId, file, batch, this.clock);
  }

  async commitBatch(prepared: PreparedBatch): Promise<BatchOutcome> {
    const { importId, file, batch, ids, rawKey, rows, earlierVersions, events, links, merges } = prepared;
    const clock = this.clock;
    const lap = clock?.split();
    const packed = await prepared.packed;
    lap?.('write: wait for compressed raw text');
    const { db } = this;
    const outcome: BatchOutcome = { added: 0, updated: 0, unchanged: 0 };
    const tables = [
      db.riskDetections,
      db.riskyUsers,
      db.alerts,
      db.incidents,
      db.activityChunks,
      db.activityRaw,
      db.counters,
      db.users,
      db.identities,
      db.journal,
    ];
    await db.transaction('rw', tables, async () => {
      for (const { from, into } of merges) await foldUser(db, from, into, this.chunkIds);
      lap?.('write: open transaction + folds');
      const counterDeltas = new Map<string, number>();
      const bump = (key: string) => counterDeltas.set(key, (counterDeltas.get(key) ?? 0) + 1);
      const isNew = new Set<string>();
      const addedRowIds: string[] = [];

      for (const [table, group] of groupRows(db, [...rows.values()])) {
        const existing = await table.bulkGet(group.map((row) => row.id));
        const toWrite: StoredRow[] = [];
        group.forEach((row, i) => {
          const before = existing[i];
          // The batch's copies applied oldest first: each newer one keeps the triage and records the one it replaces.
          let current = before;
          let changed = false;
          for (const version of [...(earlierVersions.get(row.id) ?? []), row]) {
            if (!current) current = version;
            else if (supersedes(current, version)) {
              current = updatedRow(current, version, importId);
              changed = true;
            }
          }
          if (!before) {
            outcome.added++;
            isNew.add(row.id);
            addedRowIds.push(row.id);
            bump(`${row.kind}s`);
            toWrite.push(current!);
          } else if (changed) {
            outcome.updated++;
            toWrite.push(current!);
          } else outcome.unchanged++;
        });
        if (toWrite.length) await table.bulkPut(toWrite);
      }
      lap?.('write: rows (alerts, detections…)');

      const touched = await writeEvents(db, [...events.values()], this.chunkIds, lap);
      outcome.added += touched.added.length;
      outcome.updated += touched.updated.length;
      outcome.unchanged += touched.unchanged;
      for (const event of touched.added) {
        isNew.add(event.id);
        for (const key of eventCounterKeys(event)) bump(key);
      }
      // Rows and events rewritten, beside the time: what the IndexedDB backend pays for.
      clock?.count('chunk rows written', touched.rows);
      clock?.count('chunk events written', touched.events);
      clock?.count('batches', 1);
      // Only events added or changed point at this batch's raw row; a batch of unchanged events needs none.
      if (packed && (touched.added.length || touched.updated.length)) await db.activityRaw.put({ key: rawKey, importId, packed });
      lap?.('write: raw put');

      if (counterDeltas.size) await addToCounters(db, counterDeltas);
      if (links.length) await db.identities.bulkPut(links);
      const counted: Counted[] = [...rows.values(), ...events.values()];
      await updateUsers(db, counted, isNew);
      await db.journal.add({
        importId,
        file,
        batch,
        records: ids.length,
        committedAt: Date.now(),
        rowIds: addedRowIds,
      });
      lap?.('write: counters, identities, users, journal');
    });
    lap?.('write: commit');
    if (this.onCommit) {
      // Each record as written (its final user; events without their raw object, which no baseline reads).
      const attributed = ids.map((id) => {
        const written = events.get(id) ?? rows.get(id)!;
        return { userId: written.userId, record: written as NormalizedRecord };
      });
      this.onCommit({ attributed, merges });
      lap?.('write: after commit (baseline)');
    }
    return outcome;
  }
}

/**
 * A batch prepared as its records arrive, a part at a time: each part is resolved, turned into events and
 * rows, and its raw text sent off to compress, and then its parsed records can go, so a batch holds its
 * events but never all its parsed records. (Batch size is chosen in import.worker.ts: each batch costs the
 * IndexedDB backend a row for every chunk it touches, ~0.3 ms each here plus index entries, but that count
 * follows the users active on the batch's days more than its size.)
 */
export class BatchBuilder {
  /** Records added so far, repeats included. */
  records = 0;
  private readonly ids: string[] = [];
  private readonly rawKey: string;
  private readonly rows = new Map<string, StoredRow>();
  private readonly earlierVersions = new Map<string, StoredRow[]>();
  private readonly events = new Map<string, ChunkEvent>();
  private readonly newLinks: IdentityLink[] = [];
  private readonly merges: { from: string; into: string }[] = [];
  private readonly packs: Promise<PackedRaw>[] = [];
  private rawCount = 0;

  constructor(
    private readonly resolver: IdentityResolver,
    private readonly packRaw: (texts: string[]) => Promise<PackedRaw>,
    readonly importId: string,
    readonly file: string,
    readonly batch: number,
    private readonly clock?: StageClock,
  ) {
    this.rawKey = `${importId}\u0001${file}\u0001${batch}`;
  }

  add(pending: readonly PendingRecord[]): void {
    if (!pending.length) return;
    const lap = this.clock?.split();
    const { importId, rawKey, events } = this;
    const rawTexts: string[] = [];
    for (const { record, text } of pending) {
      this.ids.push(record.id);
      const resolution = this.resolver.resolve(record.identifiers, record.id, record.time);
      this.newLinks.push(...resolution.added, ...resolution.earlier);
      for (const from of resolution.merged) this.merges.push({ from, into: resolution.userId });
      const contentHash = hash53(text);
      // A file may repeat a record: the copy kept is the one a re-import would keep (the newest by the
      // source's stamp), whatever the order of the file.
      if (record.kind === 'signIn' || record.kind === 'activity') {
        const rawIndex = this.rawCount + rawTexts.push(text) - 1;
        const event: ChunkEvent = { ...record, raw: undefined, userId: resolution.userId, importId, contentHash, rawKey, rawIndex };
        if (record.kind === 'activity' && record.targetIdentifiers.length) event.targetKeys = [...new Set(record.targetIdentifiers.map(identifierKey))];
        const prior = events.get(record.id);
        if (!prior || supersedes(prior, event)) events.set(record.id, event);
      } else this.addRow({ ...record, rawJson: text, userId: resolution.userId, importId, contentHash } as StoredRow);
    }
    this.records += pending.length;
    if (rawTexts.length) {
      // Compressed before the transaction opens (an await inside it on anything but IndexedDB would end it).
      const packed = this.packRaw(rawTexts);
      packed.catch(() => undefined);
      this.packs.push(packed);
      this.rawCount += rawTexts.length;
    }
    lap?.('write: prepare (resolve, hash)');
  }

  private addRow(row: StoredRow): void {
    const prior = this.rows.get(row.id);
    const [older, newer] = !prior ? [undefined, row] : supersedes(prior, row) ? [prior, row] : [row, prior];
    this.rows.set(row.id, newer);
    // Only alerts keep a history of their versions; other rows keep their newest copy.
    if (older?.kind === 'alert' && older.contentHash !== newer.contentHash) {
      const list = this.earlierVersions.get(row.id) ?? [];
      list.push(older);
      list.sort((a, b) => (supersedes(a, b) ? -1 : supersedes(b, a) ? 1 : 0));
      this.earlierVersions.set(row.id, list);
    }
  }

  /** The batch, ready to commit. Call once every part is added, before the next batch's first part. */
  finish(): PreparedBatch {
    const { importId, file, batch, ids, rawKey, rows, earlierVersions, events, merges } = this;
    // Merges may have re-pointed users after an event was resolved: every event takes its final owner.
    if (merges.length) {
      const survivor = new Map(merges.map(({ from, into }) => [from, into]));
      const final = (id: string) => {
        let current = id;
        while (survivor.has(current)) current = survivor.get(current)!;
        return current;
      };
      for (const event of events.values()) event.userId = final(event.userId);
      for (const row of rows.values()) row.userId = final(row.userId);
      for (const list of earlierVersions.values()) for (const row of list) row.userId = final(row.userId);
    }
    // The links as they stand after this batch, taken now: the next batch may be resolved before this one commits.
    const links = this.newLinks.length ? latestLinks(this.resolver, this.newLinks) : [];
    const packed = this.packs.length ? Promise.all(this.packs).then(concatPacked) : undefined;
    packed?.catch(() => undefined);
    return { importId, file, batch, ids, rawKey, rows, earlierVersions, events, links, merges, packed };
  }
}

/** What the source changed is taken; what the analyst decided locally and the record's history are kept. */
function updatedRow(before: StoredRow, row: StoredRow, importId: string): StoredRow {
  // The first import that brought a record stays its provenance; the update is recorded by content.
  const next = { ...row, importId: before.importId };
  // Detections carry the analyst's triage too (set from the alerts queue), kept the same way.
  if ((before.kind === 'alert' || before.kind === 'riskDetection') && before.local && next.kind === before.kind) next.local = before.local;
  if (before.kind === 'alert' && next.kind === 'alert') next.history = before.history;
  // Only a version the source stamped as newer is history; a second copy of the same version is not.
  if (before.kind === 'alert' && next.kind === 'alert' && versionStamp(row) > versionStamp(before)) {
    next.local = before.local;
    next.history = [
      ...(before.history ?? []),
      {
        importId,
        replacedAt: Date.now(),
        contentHash: before.contentHash ?? '',
        status: before.status,
        severity: before.severity,
        lastUpdated: before.lastUpdateTime,
      },
    ];
  }
  return next;
}

interface WrittenEvents {
  added: ChunkEvent[];
  updated: ChunkEvent[];
  unchanged: number;
  /** Chunk rows written, and the events they hold: what the IndexedDB backend pays for. */
  rows: number;
  events: number;
}

/**
 * Chunks merged and written per step. A batch touches hundreds of chunks, and a chunk read back for merging
 * is its whole day (a busy user's sign-ins: hundreds of events), unpacked, merged and packed again: done for
 * all of a batch's chunks at once, that was the import worker's largest live set at a million events.
 */
const CHUNK_STEP = 128;

/** Merges events into their chunks (read, merge by id, seal, write), a step of chunks at a time. */
async function writeEvents(db: SightlineDB, events: ChunkEvent[], chunkIds: Set<string>, lap?: (stage: string) => void): Promise<WrittenEvents> {
  const result: WrittenEvents = { added: [], updated: [], unchanged: 0, rows: 0, events: 0 };
  if (!events.length) return result;
  const groups = new Map<string, { key: ChunkKey; events: ChunkEvent[] }>();
  for (const event of events) {
    const key = chunkKeyOf(event);
    const id = chunkId(key);
    const group = groups.get(id) ?? { key, events: [] };
    group.events.push(event);
    groups.set(id, group);
  }
  const list = [...groups.values()];
  lap?.('write: group events');
  for (let start = 0; start < list.length; start += CHUNK_STEP) {
    const step = list.slice(start, start + CHUNK_STEP);
    const stored = step.filter((group) => chunkIds.has(chunkId(group.key)));
    const existing = new Map<ChunkKey, ActivityChunk | undefined>();
    if (stored.length) {
      const read = await db.activityChunks.bulkGet(stored.map((group) => group.key));
      stored.forEach((group, i) => existing.set(group.key, read[i]));
    }
    lap?.('write: chunks read');
    const chunks: ActivityChunk[] = [];
    for (const group of step) {
      const chunk = existing.get(group.key) ?? emptyChunk(group.key);
      const merged = mergeEvents(chunk, group.events);
      result.unchanged += merged.unchanged;
      if (!merged.added.length && !merged.updated.length) continue;
      result.added.push(...merged.added);
      result.updated.push(...merged.updated.map(({ after }) => after));
      chunks.push(sealChunk(chunk));
      chunkIds.add(chunkId(group.key));
    }
    lap?.('write: chunks merge + seal');
    if (chunks.length) await db.activityChunks.bulkPut(chunks);
    result.rows += chunks.length;
    for (const chunk of chunks) result.events += chunk.events.length;
    lap?.('write: chunks put');
  }
  return result;
}

export async function addToCounters(db: SightlineDB, deltas: Map<string, number>): Promise<void> {
  const keys = [...deltas.keys()];
  const existing = await db.counters.bulkGet(keys);
  const rows = keys.map((key, i) => ({ key, value: (existing[i]?.value ?? 0) + deltas.get(key)! }));
  // A counter that falls to zero (after Discard) is removed, so the store is as if the records never came.
  await db.counters.bulkPut(rows.filter((row) => row.value !== 0));
  const zero = rows.filter((row) => row.value === 0).map((row) => row.key);
  if (zero.length) await db.counters.bulkDelete(zero);
}

function groupRows(db: SightlineDB, records: StoredRow[]) {
  const tables = {
    riskDetection: db.riskDetections,
    riskyUser: db.riskyUsers,
    alert: db.alerts,
    incident: db.incidents,
  } as unknown as Record<StoredRow['kind'], Table<StoredRow, string>>;
  const groups = new Map<Table<StoredRow, string>, StoredRow[]>();
  for (const record of records) {
    const table = tables[record.kind];
    const rows = groups.get(table) ?? [];
    rows.push(record);
    groups.set(table, rows);
  }
  return groups;
}

/** Links may have been re-pointed by a later merge in the same batch: write their final owner. */
function latestLinks(resolver: IdentityResolver, links: IdentityLink[]): IdentityLink[] {
  const current = new Map(resolver.links().map((link) => [link.key, link]));
  // A link is listed again each time a record moves its first sighting earlier: write it once.
  const once = new Map(links.map((link) => [link.key, link]));
  return [...once.values()].map((link) => ({ ...(current.get(link.key) ?? link) }));
}

/** Two users proved to be one person: their records, chunks, identities and counters move to the survivor. */
async function foldUser(db: SightlineDB, from: string, into: string, chunkIds: Set<string>): Promise<void> {
  await db.riskDetections.where('[userId+time]').between([from, -Infinity], [from, Infinity]).modify({ userId: into });
  await db.alerts.where('[userId+time]').between([from, -Infinity], [from, Infinity]).modify({ userId: into });
  await db.riskyUsers.where('userId').equals(from).modify({ userId: into });
  await db.identities.where('userId').equals(from).modify({ userId: into });
  const moving = await db.activityChunks.where('[userId+day+stream]').between([from, -Infinity, ''], [from, Infinity, '\uffff']).toArray();
  if (moving.length) {
    const targets = await db.activityChunks.bulkGet(moving.map((chunk): ChunkKey => [into, chunk.day, chunk.stream]));
    const merged = moving.map((chunk, i) => {
      const target = targets[i] ?? emptyChunk([into, chunk.day, chunk.stream]);
      mergeEvents(
        target,
        chunk.events.map((event) => ({ ...event, userId: into })),
      );
      return sealChunk(target);
    });
    await db.activityChunks.bulkDelete(moving.map((chunk): ChunkKey => [from, chunk.day, chunk.stream]));
    await db.activityChunks.bulkPut(merged);
    for (const chunk of merged) chunkIds.add(chunkId([chunk.userId, chunk.day, chunk.stream]));
  }
  const [gone, survivor] = await db.users.bulkGet([from, into]);
  if (!gone) return;
  await db.users.delete(from);
  await db.users.put(survivor ? mergeUserRows(survivor, gone) : { ...gone, id: into });
}

/** Whether a value seen at `time` replaces one seen at `before`: later wins, ties go to the larger value. */
function isNewer(time: number, value: string, before: number | undefined, current: string | undefined): boolean {
  if (current === undefined || before === undefined) return true;
  return time > before || (time === before && value > current);
}

function mergeUserRows(a: UserRow, b: UserRow): UserRow {
  const riskSource = (b.riskUpdated ?? 0) > (a.riskUpdated ?? 0) ? b : a;
  const nameSource = b.displayName !== undefined && isNewer(b.nameTime ?? -Infinity, b.displayName, a.nameTime, a.displayName) ? b : a;
  const upnSource = b.upn !== undefined && isNewer(b.upnTime ?? -Infinity, b.upn, a.upnTime, a.upn) ? b : a;
  return {
    ...a,
    displayName: nameSource.displayName,
    nameTime: nameSource.nameTime,
    upn: upnSource.upn,
    upnTime: upnSource.upnTime,
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
async function updateUsers(db: SightlineDB, all: Counted[], isNew: Set<string>): Promise<void> {
  const touched = [...new Set(all.map((record) => record.userId).filter(Boolean))];
  if (!touched.length) return;
  const existing = await db.users.bulkGet(touched);
  const users = new Map<string, UserRow>();
  touched.forEach((id, i) => users.set(id, existing[i] ?? emptyUser(id)));
  for (const record of all) {
    const user = users.get(record.userId);
    if (!user) continue;
    if (record.time < user.firstSeen) user.firstSeen = record.time;
    if (record.time > user.lastSeen) user.lastSeen = record.time;
    // Names follow the newest record (a renamed user shows the new name), whatever order files came in.
    if (record.displayName && isNewer(record.time, record.displayName, user.nameTime, user.displayName)) {
      user.displayName = record.displayName;
      user.nameTime = record.time;
    }
    for (const id of record.identifiers) {
      if (id.type === 'upn' && isNewer(record.time, id.value, user.upnTime, user.upn)) {
        user.upn = id.value;
        user.upnTime = record.time;
      }
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
    alerts: 0,
    activities: 0,
    firstSeen: Infinity,
    lastSeen: -Infinity,
  };
}

/**
 * Removes what an import added (its rows, its events in the chunks the journal names, its raw rows,
 * its journal and errors) and takes its records out of the counters. Records it only updated keep
 * their newer content, as an import of the same data would leave them. One transaction: all or nothing.
 */
export async function discardImport(db: SightlineDB, importId: string): Promise<{ removed: number }> {
  const entries = await db.journal.where('importId').equals(importId).toArray();
  const rowIds = entries.flatMap((entry) => entry.rowIds ?? []);
  let removed = 0;
  const tables = [
    db.riskDetections,
    db.riskyUsers,
    db.alerts,
    db.incidents,
    db.activityChunks,
    db.activityRaw,
    db.counters,
    db.users,
    db.journal,
    db.importErrors,
    db.imports,
  ];
  await db.transaction('rw', tables, async () => {
    const deltas = new Map<string, number>();
    const drop = (key: string) => deltas.set(key, (deltas.get(key) ?? 0) - 1);
    const gone: Counted[] = [];
    const rowTables = [db.riskDetections, db.riskyUsers, db.alerts, db.incidents] as unknown as Table<StoredRow, string>[];
    for (const table of rowTables) {
      const rows = (await table.bulkGet(rowIds)).filter((row): row is StoredRow => row?.importId === importId);
      if (!rows.length) continue;
      await table.bulkDelete(rows.map((row) => row.id));
      for (const row of rows) drop(`${row.kind}s`);
      gone.push(...rows);
    }
    const chunks = await db.activityChunks.where('imports').equals(importId).toArray();
    const keep: ActivityChunk[] = [];
    const empty: ChunkKey[] = [];
    chunks.forEach((chunk) => {
      const leaving = chunk.events.filter((event) => event.importId === importId);
      if (!leaving.length) return;
      chunk.events = chunk.events.filter((event) => event.importId !== importId);
      for (const event of leaving) for (const key of eventCounterKeys(event)) drop(key);
      gone.push(...leaving);
      if (chunk.events.length) keep.push(sealChunk(chunk));
      else empty.push([chunk.userId, chunk.day, chunk.stream]);
    });
    if (keep.length) await db.activityChunks.bulkPut(keep);
    if (empty.length) await db.activityChunks.bulkDelete(empty);
    await db.activityRaw.where('importId').equals(importId).delete();
    if (deltas.size) await addToCounters(db, deltas);
    await subtractFromUsers(db, gone);
    await db.journal.where('importId').equals(importId).delete();
    await db.importErrors.where('importId').equals(importId).delete();
    await db.imports.update(importId, { state: 'discarded', finishedAt: Date.now() });
    removed = gone.length;
  });
  return { removed };
}

export async function subtractFromUsers(db: SightlineDB, gone: Counted[]): Promise<void> {
  const ids = [...new Set(gone.map((record) => record.userId).filter(Boolean))];
  if (!ids.length) return;
  const users = await db.users.bulkGet(ids);
  const byId = new Map(users.filter((user): user is UserRow => Boolean(user)).map((user) => [user.id, user]));
  for (const record of gone) {
    const user = byId.get(record.userId);
    if (!user) continue;
    if (record.kind === 'riskDetection') user.riskDetections = Math.max(0, user.riskDetections - 1);
    if (record.kind === 'alert') user.alerts = Math.max(0, (user.alerts ?? 0) - 1);
    if (record.kind === 'activity') user.activities = Math.max(0, (user.activities ?? 0) - 1);
    if (record.kind === 'signIn') {
      user.signIns = Math.max(0, user.signIns - 1);
      if (!record.success) user.failedSignIns = Math.max(0, user.failedSignIns - 1);
    }
  }
  await db.users.bulkPut([...byId.values()]);
}

/** Imports still marked running when the app starts were cut short (the app or the machine died). */
export async function markInterruptedImports(db: SightlineDB): Promise<string[]> {
  const running = await db.imports.filter((row) => row.state === 'running').toArray();
  for (const row of running) await db.imports.update(row.id, { state: 'interrupted' });
  return running.map((row) => row.id);
}
