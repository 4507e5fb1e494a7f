/**
 * The one Dexie schema module: every version of the store lives here, oldest first, and is never
 * edited once released (only new versions are added), so any older workspace can be upgraded.
 * A test opens a database seeded at each earlier version with the current code.
 *
 * Version 1 was the walking skeleton's: one row per record with a few indexes (about 4,000 records/s,
 * because Chromium's IndexedDB pays per row and per index entry). Version 2 keeps alerts, detections,
 * risky users and incidents as indexed rows (thousands to hundreds of thousands) but stores the bulk,
 * activities and sign-ins, as chunks: one row per user, day and stream of events, with a multi-entry
 * index of the values the activity log filters on, and the raw records beside them in append-only rows.
 * Version 3 drops the emptied v1 activities table; version 4 adds the analyst's notes on users.
 * ARCHITECTURE.md has the measured trade-offs.
 */
import { Dexie, type DBCore, type DBCoreMutateRequest, type EntityTable, type Middleware, type Table, type Transaction } from 'dexie';
import { hash53 } from '../../shared/hash.ts';
import { chunkKeyOf, COUNTED_FACETS, emptyChunk, eventCounterKeys, facetCounterKeys, packChunk, sealChunk, unpackChunk, type StoredChunk } from './chunks.ts';
import type { PackedRaw } from './raw-pack.ts';
import type {
  ActivityRecord,
  AlertRecord,
  Identifier,
  IncidentRecord,
  NormalizedRecord,
  RiskDetectionRecord,
  RiskyUserRecord,
  SignInRecord,
} from '../../shared/model/records.ts';
import type { FileSummary, RecordError } from '../../shared/formats/parse.ts';
import type { DailySnapshot, UserScore } from '../../shared/score/score.ts';

export const DATABASE_NAME = 'sightline';

/**
 * A record as stored: the normalized record plus the user it was attributed to ('' when none). Rows read
 * back hold their source record as JSON text (`rawJson`, see `packRowRaw`), not `raw`.
 */
export type Stored<R extends NormalizedRecord> = R & { userId: string; importId: string; rawJson?: string };

export type StoredRiskDetection = Stored<RiskDetectionRecord> & { local?: LocalTriage };
export type StoredSignIn = Stored<SignInRecord>;
export type StoredRiskyUser = Stored<RiskyUserRecord>;
export type StoredActivity = StoredSignIn | Stored<ActivityRecord>;
/** What the analyst decided about an alert in Sightline: never overwritten by an import. */
export interface LocalTriage {
  status?: 'new' | 'inProgress' | 'resolved' | 'dismissed';
  classification?: 'truePositive' | 'benignTruePositive' | 'falsePositive';
  assignee?: string;
  tags?: string[];
  notes?: { at: number; by: string; text: string }[];
  updatedAt: number;
  updatedBy: string;
  /** Every change the analyst made, oldest first: the local record's own history. */
  log?: { at: number; by: string; changes: Partial<Record<'status' | 'classification' | 'assignee', { from?: string; to?: string }>> }[];
}

/** One earlier version of a record that changed upstream: what it said, and which import replaced it. */
export interface RecordVersion {
  importId: string;
  replacedAt: number;
  contentHash: string;
  status?: string;
  severity?: string;
  lastUpdated?: number;
}

export type StoredAlert = Stored<AlertRecord> & { contentHash?: string; local?: LocalTriage; history?: RecordVersion[] };
export type StoredIncident = Stored<IncidentRecord>;

/** One identifier of a user and the record that proved it belongs to them. */
export interface IdentityRow {
  /** `type:value`, e.g. `upn:alice@contoso.com`. */
  key: string;
  userId: string;
  type: Identifier['type'];
  value: string;
  /** The record that carried this identifier together with another of the same user (or alone, first). */
  evidenceRecordId: string;
  firstSeen: number;
}

/**
 * An activity or sign-in as kept inside a chunk: the normalized record with `raw` left undefined; the
 * raw source lives in an append-only `activityRaw` row (`rawKey`, `rawIndex`), loaded only to be shown.
 */
export type ChunkEvent = StoredActivity & {
  contentHash: string;
  rawKey: string;
  rawIndex: number;
  /**
   * Identifier keys (`upn:…`, `sid:…`) of the accounts the activity was done to, for "user as target".
   * Keys, not user ids: which user a key belongs to can change as later imports link identities.
   */
  targetKeys?: string[];
};

/**
 * One user's events of one stream (sign-ins, or one activity type) on one UTC day, newest first.
 * The key is derived from the record alone, so a record always lands in the same chunk and a
 * re-import finds it there. `facets` lists the filterable values present (type, app, IP, country,
 * ISP, result, target users), indexed multi-entry so a filter reads only the chunks that can match.
 */
export interface ActivityChunk {
  userId: string;
  day: number;
  stream: string;
  firstTime: number;
  lastTime: number;
  count: number;
  facets: string[];
  /** The imports that brought its events: multi-entry indexed, so Discard finds them after any user merge. */
  imports: string[];
  events: ChunkEvent[];
}

export type ChunkKey = [userId: string, day: number, stream: string];

/**
 * The raw source records of one written batch, in the order `rawIndex` refers to. Written once. Rows
 * written before the raw text was compressed hold `texts`; later ones hold `packed` (see raw-pack.ts).
 */
export interface RawBatchRow {
  key: string;
  importId: string;
  texts?: string[];
  packed?: PackedRaw;
}

/** One retention purge: what was asked, what went. Kept so the workspace says what it no longer holds. */
export interface PurgeRow {
  seq?: number;
  at: number;
  by: string;
  retentionDays: number;
  /** Records older than this (epoch ms) went. */
  cutoff: number;
  removed: RetentionCounts;
}

export interface RetentionCounts {
  alerts: number;
  riskDetections: number;
  riskyUsers: number;
  incidents: number;
  activities: number;
}

/** A user's investigation priority as of the newest data, with its full ledger (shared/score). */
export interface ScoreRow extends UserScore {
  algorithmVersion: string;
  asOf: number;
}

/** One user's daily snapshots, for the trend chart. */
export interface TrendRow {
  userId: string;
  days: DailySnapshot[];
}

/** Named state of the scoring: the baseline, policies, local decisions, resets, and the last run. */
export interface ScoreStateRow {
  key: 'baseline' | 'policies' | 'decisions' | 'resets' | 'lastRun';
  value: unknown;
}

/** An analyst's note on a user: local to this workspace, never touched by an import. */
export interface NoteRow {
  seq?: number;
  userId: string;
  at: number;
  /** Who wrote it: the OS account is unknown to a sandboxed renderer, so the shell says 'analyst'. */
  by: string;
  text: string;
}

/** Totals maintained at import, so no view counts by scanning. */
export interface CounterRow {
  key: string;
  value: number;
}

export interface UserRow {
  id: string;
  displayName?: string;
  /** When the record that gave `displayName` happened: the newest record names the user. */
  nameTime?: number;
  upn?: string;
  upnTime?: number;
  objectId?: string;
  /** Entra's user risk as the latest risky-user record reports it; never recomputed from detections. */
  riskLevel: string;
  riskLevelRank: number;
  riskState: string;
  riskDetail?: string;
  riskUpdated?: number;
  riskDetections: number;
  signIns: number;
  failedSignIns: number;
  /** Added after the first release of v1 rows: absent means 0. */
  alerts?: number;
  activities?: number;
  firstSeen: number;
  lastSeen: number;
}

export interface ImportRow {
  id: string;
  startedAt: number;
  finishedAt?: number;
  /** `interrupted`: found running when the app started (it or the machine died); Resume or Discard it. */
  state: 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted' | 'resumed' | 'discarded';
  /** Why it failed, in words for the analyst. */
  message?: string;
  resumedBy?: string;
  /** Who ran it: the OS account is unknown to a sandboxed renderer, so the shell says 'analyst'. */
  by: string;
  files: ImportFileRow[];
}

export interface ImportFileRow extends Omit<FileSummary, 'errors'> {
  size: number;
  sha256?: string;
  durationMs: number;
  errorCount: number;
  added: number;
  updated: number;
  unchanged: number;
  /** SHA-256 of each 8 MiB block, hashed together: a fast content fingerprint to recognise a re-import. */
  fingerprint?: string;
  /** Set when this file's content had been imported before, so nothing was parsed. */
  unchangedSince?: number;
  /** The file's modification time as the browser reported it (a picked File): with `sampled`, a re-import check that reads little. */
  lastModified?: number;
  /** SHA-256 of the file's size and about 3 MiB sampled from its ends and between (worker/fingerprint.ts). */
  sampled?: string;
}

export interface ImportErrorRow extends RecordError {
  seq?: number;
  importId: string;
}

/** One committed batch of an import: written in the same transaction as the batch's records. */
export interface JournalRow {
  seq?: number;
  importId: string;
  file: string;
  batch: number;
  records: number;
  committedAt: number;
  /** Rows this batch added: what Discard removes (chunks are found by their `imports` index). */
  rowIds?: string[];
}

export type SightlineDB = Dexie & {
  // Keys are deterministic strings we set ourselves, so these are plain tables keyed by string.
  users: Table<UserRow, string>;
  identities: Table<IdentityRow, string>;
  riskDetections: Table<StoredRiskDetection, string>;
  riskyUsers: Table<StoredRiskyUser, string>;
  activities: Table<StoredActivity, string>;
  alerts: Table<StoredAlert, string>;
  incidents: Table<StoredIncident, string>;
  activityChunks: Table<ActivityChunk, ChunkKey>;
  activityRaw: Table<RawBatchRow, string>;
  counters: Table<CounterRow, string>;
  purges: EntityTable<PurgeRow, 'seq'>;
  scores: Table<ScoreRow, string>;
  scoreTrends: Table<TrendRow, string>;
  scoreState: Table<ScoreStateRow, string>;
  notes: EntityTable<NoteRow, 'seq'>;
  imports: Table<ImportRow, string>;
  importErrors: EntityTable<ImportErrorRow, 'seq'>;
  journal: EntityTable<JournalRow, 'seq'>;
};

/** Version 4's stores (it added the analyst's notes), shared by version 5. */
const VERSION_4 = {
  users: 'id, riskLevelRank, lastSeen, upn',
  identities: 'key, userId',
  riskDetections: 'id, time, [userId+time], riskLevel, importId',
  riskyUsers: 'id, userId, time',
  alerts: 'id, time, [userId+time]',
  incidents: 'id, time',
  activityChunks: '[userId+day+stream], day, lastTime, *facets, *imports',
  activityRaw: 'key, importId',
  counters: 'key',
  imports: 'id, startedAt',
  importErrors: '++seq, importId',
  journal: '++seq, importId',
  purges: '++seq, at',
  scores: 'userId, rank',
  scoreTrends: 'userId',
  scoreState: 'key',
  notes: '++seq, userId',
} as const;

export const schemaVersions = {
  1: {
    users: 'id, riskLevelRank, lastSeen, upn',
    identities: 'key, userId',
    riskDetections: 'id, time, [userId+time], riskLevel, importId',
    riskyUsers: 'id, userId, time',
    activities: 'id, time, [userId+time], kind, importId',
    alerts: 'id, time, [userId+time]',
    incidents: 'id, time',
    imports: 'id, startedAt',
    importErrors: '++seq, importId',
    journal: '++seq, importId',
  },
  2: {
    users: 'id, riskLevelRank, lastSeen, upn',
    identities: 'key, userId',
    riskDetections: 'id, time, [userId+time], riskLevel, importId',
    riskyUsers: 'id, userId, time',
    activities: 'id, time, [userId+time], kind, importId',
    alerts: 'id, time, [userId+time]',
    incidents: 'id, time',
    activityChunks: '[userId+day+stream], day, lastTime, *facets, *imports',
    activityRaw: 'key, importId',
    counters: 'key',
    imports: 'id, startedAt',
    importErrors: '++seq, importId',
    journal: '++seq, importId',
  },
  3: {
    users: 'id, riskLevelRank, lastSeen, upn',
    identities: 'key, userId',
    riskDetections: 'id, time, [userId+time], riskLevel, importId',
    riskyUsers: 'id, userId, time',
    activities: null,
    alerts: 'id, time, [userId+time]',
    incidents: 'id, time',
    activityChunks: '[userId+day+stream], day, lastTime, *facets, *imports',
    activityRaw: 'key, importId',
    counters: 'key',
    imports: 'id, startedAt',
    importErrors: '++seq, importId',
    journal: '++seq, importId',
    purges: '++seq, at',
    scores: 'userId, rank',
    scoreTrends: 'userId',
    scoreState: 'key',
  },
  4: VERSION_4,
  // Version 5 changes no index; its upgrade counts the activity filter's options (see openDatabase).
  5: VERSION_4,
} as const;

export const CURRENT_SCHEMA_VERSION = 5;

export function openDatabase(name = DATABASE_NAME): SightlineDB {
  const db = new Dexie(name, { chromeTransactionDurability: 'strict' }) as SightlineDB;
  // Chunks keep their events as one JSON text in the store (chunks.ts, StoredChunk); code sees them unpacked.
  db.use(packChunkEvents);
  db.version(1).stores(schemaVersions[1]);
  db.version(2)
    .stores(schemaVersions[2])
    .upgrade((tx) => upgradeActivitiesToChunks(tx));
  db.version(3).stores(schemaVersions[3]);
  // Version 4 adds the analyst's notes on users.
  db.version(4).stores(schemaVersions[4]);
  // Version 5 counts the activity filter's option values (app, country, ISP) at import; older workspaces count them once here.
  db.version(5)
    .stores(schemaVersions[5])
    .upgrade((tx) => recountFacets(tx));
  db.activityChunks.hook('reading', (row: StoredChunk | undefined) => unpackChunk(row)!);
  return db;
}

/**
 * The row tables whose records carry their source record (`raw`). It is stored as JSON text, `rawJson`, and
 * read back as that text: Chromium deserializes a stored object property by property, and a queue page whose
 * policies hide most rows reads and deserializes every row it passes, raw record and all (about 40 ms of the
 * alerts queue's first page at a million events), while a string is copied whole. Only "view raw data" parses
 * it (repo.ts `rowRaw`). Rows written before hold `raw` and read as they are, so this needs no schema version.
 */
const ROWS_WITH_RAW = new Set(['alerts', 'riskDetections', 'riskyUsers', 'incidents']);

export function packRowRaw<T extends { raw?: unknown; rawJson?: string }>(row: T): T {
  if (row.raw === undefined) return row;
  const { raw, ...rest } = row;
  return { ...rest, rawJson: JSON.stringify(raw) } as T;
}

/** Packs every chunk and row written (put or add, from any code path or upgrade) at the lowest layer, DBCore. */
const packChunkEvents: Middleware<DBCore> = {
  stack: 'dbcore',
  name: 'packChunkEvents',
  create: (down) => ({
    ...down,
    table: (name) => {
      const table = down.table(name);
      const pack = name === 'activityChunks' ? packChunk : ROWS_WITH_RAW.has(name) ? packRowRaw : undefined;
      if (!pack) return table;
      return {
        ...table,
        mutate: (request: DBCoreMutateRequest) =>
          table.mutate(request.type === 'put' || request.type === 'add' ? { ...request, values: request.values.map(pack) } : request),
      };
    },
  }),
};

/** v4 → v5: the per-value counters of the activity filter's options, counted from every chunk (any stale ones replaced). */
async function recountFacets(tx: Transaction): Promise<void> {
  const counters = tx.table('counters');
  const prefixes = COUNTED_FACETS.map((facet) => `activities:${facet}:`);
  await counters.where('key').startsWithAnyOf(prefixes).delete();
  const counts = new Map<string, number>();
  await tx
    .table('activityChunks')
    .toCollection()
    .each((chunk: ActivityChunk) => {
      for (const event of chunk.events) for (const key of facetCounterKeys(event)) counts.set(key, (counts.get(key) ?? 0) + 1);
    });
  await counters.bulkPut([...counts].map(([key, value]) => ({ key, value })));
}

/**
 * v1 → v2: every activity row moves into its chunk, its raw record into one raw row per chunk, and
 * the counters are computed once. Runs inside Dexie's upgrade transaction, so it is all or nothing.
 */
async function upgradeActivitiesToChunks(tx: Transaction): Promise<void> {
  const chunks = new Map<string, ActivityChunk>();
  const raws: RawBatchRow[] = [];
  const counts = new Map<string, number>();
  await tx
    .table('activities')
    .toCollection()
    .each((row: StoredActivity & { contentHash?: string }) => {
      const text = JSON.stringify(row.raw ?? null);
      const event: ChunkEvent = { ...row, raw: undefined, contentHash: row.contentHash ?? hash53(text), rawKey: `upgrade:${row.id}`, rawIndex: 0 };
      raws.push({ key: event.rawKey, importId: row.importId, texts: [text] });
      const key = chunkKeyOf(event);
      const id = key.join('\u0001');
      const chunk = chunks.get(id) ?? emptyChunk(key);
      chunk.events.push(event);
      chunks.set(id, chunk);
      for (const counter of eventCounterKeys(event)) counts.set(counter, (counts.get(counter) ?? 0) + 1);
    });
  const rows = [...chunks.values()].map(sealChunk);
  await tx.table('activityChunks').bulkPut(rows);
  await tx.table('activityRaw').bulkPut(raws);
  await tx.table('counters').bulkPut([...counts].map(([key, value]) => ({ key, value })));
  await tx.table('activities').clear();
}
