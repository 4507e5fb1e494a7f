import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { describe, expect, it } from 'vitest';
import { CURRENT_SCHEMA_VERSION, openDatabase, schemaVersions, type ActivityChunk } from './schema.ts';

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

describe('v1 → v2 upgrade', () => {
  it('moves every v1 activity into its chunk, keeps its raw record and counts it', async () => {
    const name = 'upgrade-activities';
    const old = new Dexie(name);
    old.version(1).stores(schemaVersions[1]);
    await old.open();
    const base = { source: 'entra-sign-ins', format: 'graph-sign-in', timeRaw: '', identifiers: [], importId: 'i', userId: 'upn:a@b.c', success: true };
    await old.table('activities').bulkPut([
      { ...base, kind: 'signIn', id: 'signIn:1', nativeId: '1', time: 86_400_000 * 3 + 5, raw: { id: '1' } },
      { ...base, kind: 'signIn', id: 'signIn:2', nativeId: '2', time: 86_400_000 * 3 + 9, raw: { id: '2' } },
      { ...base, kind: 'activity', activityType: 'onPremLogon', id: 'activity:3', nativeId: '3', time: 86_400_000 * 4, raw: { n: 3 }, targetIdentifiers: [] },
    ]);
    old.close();

    const db = openDatabase(name);
    await db.open();
    const chunks = await db.activityChunks.toArray();
    expect(chunks.map((chunk) => [chunk.userId, chunk.day, chunk.stream, chunk.events.map((event) => event.id)])).toEqual([
      ['upn:a@b.c', 3, 'signIn', ['signIn:2', 'signIn:1']],
      ['upn:a@b.c', 4, 'onPremLogon', ['activity:3']],
    ]);
    const event = chunks[0]!.events[1]!;
    expect(JSON.parse((await db.activityRaw.get(event.rawKey))!.texts![event.rawIndex]!)).toEqual({ id: '1' });
    expect(await db.counters.get('activities')).toEqual({ key: 'activities', value: 3 });
    expect(db.tables.map((table) => table.name)).not.toContain('activities');
    await db.delete();
  });
});

describe('v4 → v5 upgrade', () => {
  it('counts the activity filter options of every stored event, replacing any stale count', async () => {
    const name = 'upgrade-facets';
    const old = new Dexie(name);
    for (let v = 1; v <= 4; v++) old.version(v).stores(schemaVersions[v as keyof typeof schemaVersions]);
    await old.open();
    const base = {
      kind: 'signIn',
      source: 'entra-sign-ins',
      format: 'graph-sign-in',
      timeRaw: '',
      identifiers: [],
      importId: 'i',
      userId: 'upn:a@b.c',
      success: true,
    };
    const events = [
      { ...base, id: 'signIn:1', time: 5, appDisplayName: 'Outlook', location: { country: 'RO' } },
      { ...base, id: 'signIn:2', time: 4, appDisplayName: 'Outlook', location: { country: 'US' } },
      { ...base, id: 'signIn:3', time: 3, appDisplayName: 'Teams' },
    ];
    await old
      .table('activityChunks')
      .put({ userId: 'upn:a@b.c', day: 0, stream: 'signIn', firstTime: 3, lastTime: 5, count: 3, facets: [], imports: ['i'], events });
    await old.table('counters').bulkPut([
      { key: 'activities', value: 3 },
      { key: 'activities:country:XX', value: 7 },
    ]);
    old.close();

    const db = openDatabase(name);
    await db.open();
    const counters = Object.fromEntries((await db.counters.toArray()).map((row) => [row.key, row.value]));
    expect(counters).toEqual({
      activities: 3,
      'activities:app:Outlook': 2,
      'activities:app:Teams': 1,
      'activities:country:RO': 1,
      'activities:country:US': 1,
    });
    await db.delete();
  });
});

describe('chunk events in the store', () => {
  it('are written as one JSON text and read back as events, and chunks written before that still read', async () => {
    const name = 'packed-chunks';
    const db = openDatabase(name);
    const event = { id: 'signIn:1', kind: 'signIn', time: 5, userId: 'u', success: false, identifiers: [{ type: 'upn', value: 'a@b.c' }], raw: undefined };
    const chunk = { userId: 'u', day: 0, stream: 'signIn', firstTime: 5, lastTime: 5, count: 1, facets: ['type:signIn'], imports: ['i'], events: [event] };
    await db.activityChunks.put(chunk as unknown as ActivityChunk);
    db.close();

    // The same database opened without Sightline's schema sees the rows as stored.
    const plain = new Dexie(name);
    await plain.open();
    const stored = await plain.table('activityChunks').get(['u', 0, 'signIn']);
    expect(stored.events).toBeUndefined();
    expect(JSON.parse(stored.eventsJson)).toEqual([
      { id: 'signIn:1', kind: 'signIn', time: 5, userId: 'u', success: false, identifiers: [{ type: 'upn', value: 'a@b.c' }] },
    ]);
    await plain.table('activityChunks').put({ ...chunk, day: 1, events: [{ ...event, id: 'signIn:2' }] });
    plain.close();

    const reopened = openDatabase(name);
    const read = await reopened.activityChunks.where('[userId+day+stream]').between(['u', -Infinity, ''], ['u', Infinity, '\uffff']).toArray();
    expect(read.map((row) => row.events.map((e) => e.id))).toEqual([['signIn:1'], ['signIn:2']]);
    expect(await reopened.activityChunks.where('facets').equals('type:signIn').count()).toBe(2);
    expect(
      await reopened.activityChunks.bulkGet([
        ['u', 0, 'signIn'],
        ['u', 9, 'signIn'],
      ]),
    ).toMatchObject([{ count: 1 }, undefined]);
    await reopened.delete();
  });
  it('write the fields every event shares once, and read them back into each event', async () => {
    const name = 'shared-fields';
    const db = openDatabase(name);
    const identifiers = [{ type: 'upn', value: 'a@b.c' }];
    const events = [1, 2, 3].map((n) => ({
      id: `signIn:${n}`,
      kind: 'signIn',
      time: 10 - n,
      userId: 'u',
      identifiers,
      // Equal by value in two events only: not shared.
      location: n === 3 ? { country: 'RO' } : { country: 'US' },
      success: n !== 2,
      raw: undefined,
    }));
    const chunk = { userId: 'u', day: 0, stream: 'signIn', firstTime: 7, lastTime: 9, count: 3, facets: ['type:signIn'], imports: ['i'], events };
    await db.activityChunks.put(chunk as unknown as ActivityChunk);
    db.close();

    const plain = new Dexie(name);
    await plain.open();
    const stored = await plain.table('activityChunks').get(['u', 0, 'signIn']);
    expect(JSON.parse(stored.eventsCommon)).toEqual({ kind: 'signIn', userId: 'u', identifiers });
    expect(JSON.parse(stored.eventsJson)).toEqual(events.map(({ id, time, location, success }) => ({ id, time, location, success })));
    plain.close();

    const reopened = openDatabase(name);
    const [read] = await reopened.activityChunks.toArray();
    expect(read!.events).toEqual(events.map(({ raw: _raw, ...event }) => event));
    // One shared copy of the identifiers, frozen: an edit in place would change every event of the chunk.
    expect(read!.events[0]!.identifiers).toBe(read!.events[2]!.identifiers);
    expect(() => (read!.events[0]!.identifiers as { type: string; value: string }[]).push({ type: 'sid', value: 'S-1' })).toThrow(TypeError);
    // Written again as read (a re-import's merge): the same row.
    await reopened.activityChunks.put(read!);
    const again = new Dexie(name);
    await again.open();
    const rewritten = await again.table('activityChunks').get(['u', 0, 'signIn']);
    expect([rewritten.eventsJson, rewritten.eventsCommon]).toEqual([stored.eventsJson, stored.eventsCommon]);
    again.close();
    await reopened.delete();
  });
});
