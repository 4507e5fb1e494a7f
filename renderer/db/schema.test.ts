import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, openDatabase, schemaVersions } from './schema.ts';

/**
 * Every released schema version must open with the current code and keep its rows. A database is
 * seeded with each earlier version's own declaration, then reopened through openDatabase().
 */
describe('schema versions', () => {
  it('declares every version up to the current one', () => {
    expect(Object.keys(schemaVersions).map(Number)).toEqual(Array.from({ length: CURRENT_SCHEMA_VERSION }, (_, i) => i + 1));
  });

  for (const version of Object.keys(schemaVersions).map(Number)) {
    it(`opens a workspace written at version ${version} without losing rows`, async () => {
      const name = `upgrade-from-${version}`;
      const old = new Dexie(name);
      for (let v = 1; v <= version; v++) old.version(v).stores(schemaVersions[v as keyof typeof schemaVersions]);
      await old.open();
      await old.table('users').put({
        id: 'upn:a@b.c',
        riskLevel: 'high',
        riskLevelRank: 3,
        riskState: 'atRisk',
        riskDetections: 1,
        signIns: 0,
        failedSignIns: 0,
        firstSeen: 1,
        lastSeen: 2,
      });
      await old.table('riskDetections').put({ id: 'riskDetection:1', userId: 'upn:a@b.c', time: 1, riskLevel: 'high', importId: 'i' });
      old.close();

      const db = openDatabase(name);
      await db.open();
      expect(db.verno).toBe(CURRENT_SCHEMA_VERSION);
      expect(await db.users.get('upn:a@b.c')).toMatchObject({ riskLevel: 'high' });
      expect(await db.riskDetections.where('[userId+time]').between(['upn:a@b.c', Dexie.minKey], ['upn:a@b.c', Dexie.maxKey]).count()).toBe(1);
      await db.delete();
    });
  }
});
