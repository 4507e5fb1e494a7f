import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { readSample } from '../../test/samples.ts';
import { parseAll } from '../../shared/formats/parse.ts';
import { Ingestor } from './ingest.ts';
import type { NormalizedRecord } from '../../shared/model/records.ts';
import { openDatabase, type SightlineDB } from './schema.ts';

let db: SightlineDB;
let dbCount = 0;

async function freshDb(): Promise<SightlineDB> {
  db = openDatabase(`test-${++dbCount}`);
  await db.open();
  return db;
}

afterEach(async () => {
  await db?.delete();
});

async function importSample(path: string, importId: string) {
  const { records } = await parseAll(path, readSample(path));
  const ingestor = await Ingestor.open(db);
  return ingestor.writeBatch(importId, path, 1, records);
}

async function storeSnapshot() {
  const tables = await Promise.all(
    db.tables.filter((table) => !['journal', 'imports', 'importErrors'].includes(table.name)).map(async (table) => [table.name, await table.toArray()]),
  );
  return JSON.stringify(tables);
}

describe('Ingestor', () => {
  it('stores records, users and identities, and a re-import changes nothing', async () => {
    await freshDb();
    const first = await importSample('identity-protection/list_risky_users.json', 'i1');
    expect(first).toEqual({ added: 3, updated: 0, unchanged: 0 });
    const snapshot = await storeSnapshot();
    const second = await importSample('identity-protection/list_risky_users.json', 'i2');
    expect(second).toEqual({ added: 0, updated: 0, unchanged: 3 });
    expect(await storeSnapshot()).toBe(snapshot);
    expect(await db.users.count()).toBe(3);
    expect(await db.journal.count()).toBe(2);
  });

  it('takes user risk from the risky-user export and counts detections per user', async () => {
    await freshDb();
    await importSample('identity-protection/list_risk_detections.json', 'i1');
    const user = await db.users.get('objectId:abcdefab-af90-4edf-ac4c-742ff06735d0');
    expect(user).toMatchObject({ upn: 'olack@test.com', riskDetections: 1, riskLevel: 'none', riskState: 'none' });
    const identities = await db.identities.where('userId').equals(user!.id).toArray();
    expect(identities.map((row) => row.key).sort()).toEqual(['objectId:abcdefab-af90-4edf-ac4c-742ff06735d0', 'upn:olack@test.com']);
  });

  it('folds two users into one when a record proves they are the same person', async () => {
    await freshDb();
    const ingestor = await Ingestor.open(db);
    const base = { source: 'identity-protection', format: 'test', timeRaw: '', raw: {}, riskEventType: 'x', riskLevel: 'low', riskState: 'atRisk' } as const;
    await ingestor.writeBatch('i', 'f', 1, [
      { ...base, kind: 'riskDetection', id: 'riskDetection:1', nativeId: '1', time: 1, identifiers: [{ type: 'upn', value: 'a@b.c' }] },
    ]);
    await ingestor.writeBatch('i', 'f', 2, [
      { ...base, kind: 'riskDetection', id: 'riskDetection:2', nativeId: '2', time: 2, identifiers: [{ type: 'sid', value: 'S-1-5-21-1-2-3-1105' }] },
    ]);
    expect(await db.users.count()).toBe(2);
    await ingestor.writeBatch('i', 'f', 3, [
      {
        ...base,
        kind: 'riskDetection',
        id: 'riskDetection:3',
        nativeId: '3',
        time: 3,
        identifiers: [
          { type: 'upn', value: 'a@b.c' },
          { type: 'sid', value: 'S-1-5-21-1-2-3-1105' },
        ],
      },
    ]);
    const users = await db.users.toArray();
    expect(users.map((user) => [user.id, user.riskDetections])).toEqual([['upn:a@b.c', 3]]);
    expect((await db.riskDetections.toArray()).map((row) => row.userId)).toEqual(['upn:a@b.c', 'upn:a@b.c', 'upn:a@b.c']);
  });

  it('keeps every event of two folded users when batches before and after the fold write the same day', async () => {
    await freshDb();
    const ingestor = await Ingestor.open(db);
    const day = Date.UTC(2026, 10, 2);
    const signIn = (n: number, identifiers: { type: 'upn' | 'objectId'; value: string }[]): NormalizedRecord => ({
      kind: 'signIn',
      source: 'identity-protection',
      format: 'test',
      timeRaw: '',
      raw: { n },
      id: `signIn:${n}`,
      nativeId: String(n),
      time: day + n * 60_000,
      identifiers,
      success: true,
      errorCode: 0,
      riskEventTypes: [],
    });
    const upn = { type: 'upn', value: 'a@b.c' } as const;
    const objectId = { type: 'objectId', value: '0f0f0f0f-1111-2222-3333-444444444444' } as const;
    // Two users on one day: one known by UPN, one by object id; each batch writes both users' chunks of that day.
    await ingestor.writeBatch('i', 'f', 1, [signIn(1, [upn]), signIn(2, [objectId])]);
    // This batch proves they are one person (a fold), and brings one more sign-in of each identifier.
    await ingestor.writeBatch('i', 'f', 2, [signIn(3, [upn, objectId]), signIn(4, [objectId]), signIn(5, [upn])]);
    await ingestor.writeBatch('i', 'f', 3, [signIn(6, [objectId]), signIn(7, [upn])]);
    const chunks = await db.activityChunks.toArray();
    expect(chunks.map((chunk) => chunk.userId)).toEqual([chunks[0]!.userId]);
    expect(chunks.flatMap((chunk) => chunk.events.map((event) => event.id)).sort()).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => `signIn:${n}`));
    const [user] = await db.users.toArray();
    expect(user?.signIns).toBe(7);
  });
});
