/**
 * The one Dexie schema module: every version of the store lives here, oldest first, and is never
 * edited once released (only new versions are added), so any older workspace can be upgraded.
 * A test opens a database seeded at each earlier version with the current code.
 *
 * Version 1 is the walking skeleton's: one row per record with a few indexes. It is reshaped for
 * volume (chunked activities, counters) in a later version.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
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

export const DATABASE_NAME = 'sightline';

/** A record as stored: the normalized record plus the user it was attributed to ('' when none). */
export type Stored<R extends NormalizedRecord> = R & { userId: string; importId: string };

export type StoredRiskDetection = Stored<RiskDetectionRecord>;
export type StoredSignIn = Stored<SignInRecord>;
export type StoredRiskyUser = Stored<RiskyUserRecord>;
export type StoredActivity = StoredSignIn | Stored<ActivityRecord>;
export type StoredAlert = Stored<AlertRecord>;
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

export interface UserRow {
  id: string;
  displayName?: string;
  upn?: string;
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
  state: 'running' | 'done' | 'failed' | 'cancelled';
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
  imports: Table<ImportRow, string>;
  importErrors: EntityTable<ImportErrorRow, 'seq'>;
  journal: EntityTable<JournalRow, 'seq'>;
};

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
} as const;

export const CURRENT_SCHEMA_VERSION = 1;

export function openDatabase(name = DATABASE_NAME): SightlineDB {
  const db = new Dexie(name, { chromeTransactionDurability: 'strict' }) as SightlineDB;
  db.version(1).stores(schemaVersions[1]);
  return db;
}
