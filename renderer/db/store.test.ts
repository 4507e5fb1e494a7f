/**
 * The v2 store on generated data: what the activity log returns is exactly what the filter predicate
 * accepts (the predicate is the oracle), imports are idempotent and order-independent, local triage
 * survives re-import, Discard removes exactly an import's additions.
 */
import 'fake-indexeddb/auto';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Table } from 'dexie';
import { parseAll } from '../../shared/formats/parse.ts';
import type { AlertRecord, NormalizedRecord } from '../../shared/model/records.ts';
import { encodeText } from '../../shared/simulate/sink.ts';
import { DEMO_SCALE_OPTIONS, GROUND_TRUTH_FILE, README_FILE, generateWorkspace } from '../../shared/simulate/workspace.ts';
import { DEFAULT_POLICIES, policyVerdict } from '../../shared/score/policies.ts';
import { chunkOwner, compareEvents, eventFields, eventType } from './chunks.ts';
import {
  activityPresets,
  matchesActivityFilter,
  matchesAlertFilter,
  queueSeverity,
  queueStatus,
  type ActivityFilter,
  type ActivityPreset,
  type AlertFilter,
} from './filters.ts';
import { db } from './index.ts';
import { discardImport, Ingestor, toPending } from './ingest.ts';
import {
  findUsers,
  getActivityFacets,
  getWorkspaceCounts,
  listActivities,
  listAlertQueue,
  getRawRecord,
  getUserTimeline,
  applyQueueTriage,
  setQueueTriage,
  severityRank,
  type ActivityItem,
  type AnyStoredRecord,
  type QueueItem,
  type QueueSort,
} from './repo.ts';
import { readTimelinePage } from './userpage.ts';
import { getAlertPoints } from './dashboard.ts';

interface ParsedFile {
  path: string;
  records: NormalizedRecord[];
}

const files: ParsedFile[] = [];

beforeAll(async () => {
  const workspace = generateWorkspace({ ...DEMO_SCALE_OPTIONS, seed: 7, users: 30, events: 3000 });
  for (const file of workspace.files) {
    if (file.path === GROUND_TRUTH_FILE || file.path === README_FILE) continue;
    const { records } = await parseAll(file.path, encodeText(file.content, file.encoding));
    if (records.length) files.push({ path: file.path, records });
  }
}, 60_000);

afterAll(async () => {
  await db.delete();
});

beforeEach(async () => {
  await db.open();
  await Promise.all(db.tables.map((table) => table.clear()));
});

async function importFiles(list: ParsedFile[], importId: string, batchSize = 700): Promise<void> {
  const ingestor = await Ingestor.open(db);
  for (const file of list)
    for (let start = 0, batch = 1; start < file.records.length; start += batchSize, batch++)
      await ingestor.writeBatch(importId, file.path, batch, file.records.slice(start, start + batchSize));
}

/** The store's content without provenance (which import brought what, and where raw text sits). */
async function canonicalState(): Promise<string> {
  const provenance = new Set(['importId', 'rawKey', 'rawIndex', 'evidenceRecordId']);
  // Key order follows the order fields were first set, which may differ by import order: sort it.
  const strip = (row: object) =>
    Object.fromEntries(
      Object.entries(row)
        .filter(([key]) => !provenance.has(key))
        .sort(([a], [b]) => (a < b ? -1 : 1)),
    );
  const chunks = await db.activityChunks.toArray();
  const events = chunks.flatMap((chunk) => chunk.events.map(strip)).sort((a, b) => (String(a.id) < String(b.id) ? -1 : 1));
  const rows = await Promise.all([db.alerts, db.riskDetections, db.riskyUsers, db.incidents].map((table) => table.toArray()));
  const users = (await db.users.toArray()).map(strip);
  const identities = (await db.identities.toArray()).map(({ key, userId }) => ({ key, userId }));
  const counters = await db.counters.toArray();
  const chunkSummaries = chunks.map(({ userId, day, stream, count, facets, firstTime, lastTime }) => ({
    userId,
    day,
    stream,
    count,
    facets: [...facets].sort(),
    firstTime,
    lastTime,
  }));
  return JSON.stringify({ events, rows: rows.map((list) => list.map(strip)), users, identities, counters, chunkSummaries });
}

async function allPages(filter: ActivityFilter, limit: number): Promise<ActivityItem[]> {
  const rows: ActivityItem[] = [];
  let page = await listActivities(filter, limit);
  rows.push(...page.rows);
  while (page.next) {
    page = await listActivities(filter, limit, page.next);
    rows.push(...page.rows);
  }
  return rows;
}

describe('the v2 store', () => {
  it('keeps activities in chunks and answers every activity-log filter exactly as the predicate does', async () => {
    await importFiles(files, 'i1');
    const everything = (await db.activityChunks.toArray()).flatMap((chunk) => chunk.events);
    const keysOf = async (userId: string) => ({ userKeys: new Set(await db.identities.where('userId').equals(userId).primaryKeys()) });
    const expectedTotal = new Set(files.flatMap((file) => file.records.filter((r) => r.kind === 'signIn' || r.kind === 'activity').map((r) => r.id))).size;
    expect(everything.length).toBe(expectedTotal);
    expect((await getWorkspaceCounts()).activities).toBe(expectedTotal);
    // One chunk per user, UTC day and stream: counted here independently of the store's own key function.
    const days = new Set(
      everything.map((event) => `${chunkOwner(event)}|${Math.floor(event.time / 86_400_000)}|${event.kind === 'activity' ? event.activityType : 'signIn'}`),
    );
    expect(await db.activityChunks.count()).toBe(days.size);
    // The filter bar's options come from counters kept at import: every value any event has, with its count.
    const facets = await getActivityFacets();
    for (const [field, options] of [
      ['app', facets.apps],
      ['country', facets.countries],
      ['isp', facets.isps],
    ] as const) {
      const values = everything.map((event) => eventFields(event)[field]).filter((value): value is string => Boolean(value));
      expect(options, field).toEqual([...new Set(values)].sort());
      expect(options.length, field).toBeGreaterThan(0);
    }
    const typeCounts = new Map<string, number>();
    for (const event of everything) typeCounts.set(eventType(event), (typeCounts.get(eventType(event)) ?? 0) + 1);
    expect(new Map(facets.types)).toEqual(typeCounts);

    const sample = everything.filter((_, i) => i % 97 === 0);
    const filters: ActivityFilter[] = [
      {},
      { types: ['signIn'] },
      { types: ['onPremLogon', 'cloudAppActivity'] },
      { result: 'failure' },
      ...sample.slice(0, 4).map((event) => ({ userId: event.userId })),
      ...sample.slice(0, 3).flatMap((event) => (event.ipAddress ? [{ ip: event.ipAddress }] : [])),
      ...sample.slice(0, 3).flatMap((event) => (event.location?.country ? [{ country: event.location.country, result: 'success' as const }] : [])),
      { from: everything[0]!.time - 3 * 86_400_000, to: everything[0]!.time },
      { userId: sample[1]!.userId, types: ['signIn'], from: sample[1]!.time - 86_400_000 * 10 },
      // The suggested queries, alone and narrowed.
      ...(Object.keys(activityPresets) as ActivityPreset[]).map((preset) => ({ preset })),
      { preset: 'failed-sign-ins', userId: sample[2]!.userId },
    ];
    for (const filter of filters) {
      const context = filter.userId ? await keysOf(filter.userId) : {};
      const expected = everything.filter((event) => matchesActivityFilter(event, filter, context)).sort(compareEvents);
      const got = await allPages(filter, Object.keys(filter).length ? 61 : 1000);
      expect(
        got.map((event) => event.id),
        JSON.stringify(filter),
      ).toEqual(expected.map((event) => event.id));
    }
  }, 180_000);

  it('serves the next pages of a filtered activity log from the days the first page read, until the chunks change', async () => {
    await importFiles(files, 'i1');
    const all = (await db.activityChunks.toArray()).flatMap((chunk) => chunk.events).sort(compareEvents);
    // A filtered log reads whole days: the newest day's events past the first page are vouched for.
    // The type whose newest day holds the most events makes the longest run of pages inside one day.
    const newestDayOf = (type: string) => {
      const events = all.filter((event) => eventType(event) === type);
      const day = Math.floor(events[0]!.time / 86_400_000);
      return { type, matching: events, sameDay: events.filter((event) => Math.floor(event.time / 86_400_000) === day).length };
    };
    const { type, matching, sameDay } = [...new Set(all.map(eventType))].map(newestDayOf).sort((a, b) => b.sameDay - a.sameDay)[0]!;
    const filter: ActivityFilter = { types: [type] };
    expect(sameDay).toBeGreaterThanOrEqual(5);
    const read = vi.spyOn(db.activityChunks, 'bulkGet');
    try {
      const page = await listActivities(filter, 1);
      const reads = read.mock.calls.length;
      expect(reads).toBeGreaterThan(0);
      // The next pages inside that day come from the first page's read: no chunk is read again.
      const second = await listActivities(filter, 1, page.next);
      const third = await listActivities(filter, 1, second.next);
      expect(read.mock.calls.length).toBe(reads);
      expect([...page.rows, ...second.rows, ...third.rows].map((event) => event.id)).toEqual(matching.slice(0, 3).map((event) => event.id));

      // A write in between (here the chunk holding the next match goes): the next page reads the store again.
      const doomed = (await db.activityChunks.toArray()).find((chunk) => chunk.events.some((event) => event.id === matching[3]!.id))!;
      await db.activityChunks.delete([doomed.userId, doomed.day, doomed.stream]);
      const fourth = await listActivities(filter, 1, third.next);
      expect(read.mock.calls.length).toBeGreaterThan(reads);
      const gone = new Set(doomed.events.map((event) => event.id));
      const next = matching.slice(3).find((event) => !gone.has(event.id));
      expect(fourth.rows.map((event) => event.id)).toEqual(next ? [next.id] : []);
    } finally {
      read.mockRestore();
    }
  });

  it('goes on with the unfiltered scan where the previous page stopped, until the chunks change', async () => {
    await importFiles(files, 'i1');
    const read = vi.spyOn(db.activityChunks, 'where');
    try {
      const expected = (await db.activityChunks.toArray()).flatMap((chunk) => chunk.events).sort(compareEvents);
      const got: ActivityItem[] = [];
      let page = await listActivities({}, 7);
      got.push(...page.rows);
      let pages = 1;
      while (page.next && pages < 60) {
        page = await listActivities({}, 7, page.next);
        got.push(...page.rows);
        pages++;
      }
      expect(got.map((event) => event.id)).toEqual(expected.slice(0, got.length).map((event) => event.id));
      // Each read takes 48 chunks: far fewer reads than pages, where every page used to start again from its day's end.
      expect(read.mock.calls.length).toBeLessThan(pages / 2);

      // A write in between (the chunk holding the next event goes): the next page reads the store again.
      const nextEvent = expected[got.length]!;
      const doomed = (await db.activityChunks.toArray()).find((chunk) => chunk.events.some((event) => event.id === nextEvent.id))!;
      await db.activityChunks.delete([doomed.userId, doomed.day, doomed.stream]);
      const readsBefore = read.mock.calls.length;
      const after = await listActivities({}, 7, page.next);
      expect(read.mock.calls.length).toBeGreaterThan(readsBefore);
      const gone = new Set(doomed.events.map((event) => event.id));
      expect(after.rows.map((event) => event.id)).toEqual(
        expected
          .slice(got.length)
          .filter((event) => !gone.has(event.id))
          .slice(0, 7)
          .map((event) => event.id),
      );
    } finally {
      read.mockRestore();
    }
  });

  it('serves the same next page twice at once without reading any event twice into the scan it goes on with', async () => {
    // A list asked for the next page twice before it re-rendered (a click and a scroll): both requests went on
    // with the one kept scan, interleaved at its reads, and every later page repeated events (CI saw 1,842 of 1,790).
    await importFiles(files, 'i1');
    // Pages of 100 take more than one read of chunks here: the two requests interleave at those reads.
    const LIMIT = 100;
    const expected = (await db.activityChunks.toArray()).flatMap((chunk) => chunk.events).sort(compareEvents);
    const got: ActivityItem[] = [];
    let page = await listActivities({}, LIMIT);
    got.push(...page.rows);
    while (page.next) {
      const [first, second] = await Promise.all([listActivities({}, LIMIT, page.next), listActivities({}, LIMIT, page.next)]);
      expect(second.rows.map((event) => event.id)).toEqual(first.rows.map((event) => event.id));
      got.push(...first.rows);
      page = first;
    }
    expect(got.map((event) => event.id)).toEqual(expected.map((event) => event.id));
  });

  it('names each listed row by its user as the users list does, whatever label the record itself carries', async () => {
    await importFiles(files, 'i1');
    const users = new Map((await db.users.toArray()).map((user) => [user.id, user.displayName || user.upn]));
    const queue = await listAlertQueue({}, 200);
    const activities = await listActivities({}, 200);
    for (const row of [...queue.rows, ...activities.rows]) expect(row.userName).toBe(row.userId ? users.get(row.userId) : undefined);
    // Where the sources disagree on a person's label, the rows still name them one way.
    const ownLabels = new Set(queue.rows.filter((row) => row.userId).map((row) => `${row.userId} ${row.displayName ?? row.identifiers[0]?.value}`));
    const named = new Set(queue.rows.filter((row) => row.userId).map((row) => `${row.userId} ${row.userName}`));
    expect(named.size).toBeLessThan(ownLabels.size);
  });

  it('lists the activity filter options as exactly the distinct values the events carry, bounded', async () => {
    await importFiles(files, 'i1');
    const everything = (await db.activityChunks.toArray()).flatMap((chunk) => chunk.events);
    // Read off the records here, not through the store's facet rules.
    const distinct = (values: (string | undefined)[]) => [...new Set(values.filter((value): value is string => !!value))].sort();
    const apps = distinct(everything.map((event) => (event.kind === 'signIn' ? event.appDisplayName : event.kind === 'activity' ? event.app : undefined)));
    const countries = distinct(everything.map((event) => (event.kind === 'signIn' || event.kind === 'activity' ? event.location?.country : undefined)));
    const isps = distinct(everything.map((event) => (event.kind === 'activity' ? event.isp : undefined)));
    expect(apps.length).toBeGreaterThan(3);
    expect(countries.length).toBeGreaterThan(3);
    const facets = await getActivityFacets();
    expect(facets).toMatchObject({ apps, countries, isps });
    // The bound keeps the most common values (by events), listed by name.
    const appCounts = new Map<string, number>();
    for (const event of everything) {
      const app = event.kind === 'signIn' ? event.appDisplayName : event.kind === 'activity' ? event.app : undefined;
      if (app) appCounts.set(app, (appCounts.get(app) ?? 0) + 1);
    }
    // Equal counts: the first by name is kept.
    const top = [...appCounts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    expect((await getActivityFacets(3)).apps).toEqual(
      top
        .slice(0, 3)
        .map(([app]) => app)
        .sort(),
    );
  });

  it('gives back the raw record of an activity and a user timeline merged from every table', async () => {
    await importFiles(files, 'i1');
    const page = await listActivities({}, 5);
    const first = page.rows[0]!;
    expect(first.raw).toBeUndefined();
    const original = files.flatMap((file) => file.records).find((record) => record.id === first.id)!;
    expect(await getRawRecord(first)).toEqual(original.raw);
    const timeline = await getUserTimeline(first.userId, 50);
    expect(timeline.length).toBeGreaterThan(0);
    expect(timeline.every((item, i) => i === 0 || timeline[i - 1]!.time >= item.time)).toBe(true);
  });

  it('keeps a row’s source record as JSON text, given back whole, and still reads rows written with the object', async () => {
    await importFiles(files, 'i1');
    // An alert may come in two copies (alone, and inside its incident): the row keeps the one that won.
    const copies = new Map<string, string[]>();
    for (const record of files.flatMap((file) => file.records)) copies.set(record.id, [...(copies.get(record.id) ?? []), JSON.stringify(record.raw)]);
    for (const table of [db.alerts, db.riskDetections, db.incidents, db.riskyUsers] as unknown as Table<AnyStoredRecord, string>[]) {
      const rows = await table.toArray();
      expect(rows.length, table.name).toBeGreaterThan(0);
      for (const row of rows) {
        expect(row.raw, row.id).toBeUndefined();
        expect(copies.get(row.id), row.id).toContain(row.rawJson);
        expect(await getRawRecord(row)).toEqual(JSON.parse(row.rawJson!));
      }
    }
    // A row as an earlier version wrote it, with its raw object, straight into IndexedDB.
    const [alert] = await db.alerts.limit(1).toArray();
    const { rawJson, ...older } = alert!;
    const idb = db.backendDB();
    await new Promise((done, fail) => {
      const request = idb
        .transaction('alerts', 'readwrite')
        .objectStore('alerts')
        .put({ ...older, raw: JSON.parse(rawJson!) });
      request.onsuccess = done;
      request.onerror = () => fail(request.error);
    });
    const read = (await db.alerts.get(alert!.id))!;
    expect(read.rawJson).toBeUndefined();
    expect(read.raw).toEqual(JSON.parse(rawJson!));
    expect(await getRawRecord(read)).toEqual(JSON.parse(rawJson!));
  });

  it('pages a user timeline through every day exactly once, whatever the page size', async () => {
    await importFiles(files, 'i1');
    const chunks = await db.activityChunks.toArray();
    const perUser = new Map<string, number>();
    for (const chunk of chunks) perUser.set(chunk.userId, (perUser.get(chunk.userId) ?? 0) + chunk.events.length);
    // The busiest users (many days, several chunks a day) and one of the quietest.
    const ranked = [...perUser].sort((a, b) => b[1] - a[1]).map(([userId]) => userId);
    for (const userId of [...ranked.slice(0, 3), ranked.at(-1)!]) {
      const keys = new Set(await db.identities.where('userId').equals(userId).primaryKeys());
      const expected = [
        ...chunks.flatMap((chunk) =>
          chunk.events.filter((event) => chunk.userId === userId || (event.userId !== userId && event.targetKeys?.some((key) => keys.has(key)))),
        ),
        ...(await db.alerts.where('userId').equals(userId).toArray()),
        ...(await db.riskDetections.where('userId').equals(userId).toArray()),
      ].sort(compareEvents);
      for (const limit of [5, 60]) {
        const got: string[] = [];
        let page = await readTimelinePage(userId, { limit });
        got.push(...page.items.map((item) => item.id));
        while (page.more) {
          page = await readTimelinePage(userId, { to: page.coveredFrom, limit });
          got.push(...page.items.map((item) => item.id));
        }
        expect(got, `${userId} by ${limit}`).toEqual(expected.map((item) => item.id));
      }
    }
  });

  it('stores a batch prepared in parts exactly as one prepared whole, and every event finds its raw record', async () => {
    await importFiles(files, 'i1', 900);
    const whole = await canonicalState();
    await Promise.all(db.tables.map((table) => table.clear()));

    // Batches of 900 records prepared in parts of 250: the raw text of each part packs on its own.
    const ingestor = await Ingestor.open(db);
    for (const file of files)
      for (let start = 0, batch = 1; start < file.records.length; start += 900, batch++) {
        const builder = ingestor.startBatch('i1', file.path, batch);
        for (let part = start; part < Math.min(start + 900, file.records.length); part += 250)
          builder.add(file.records.slice(part, Math.min(part + 250, start + 900)).map(toPending));
        await ingestor.commitBatch(builder.finish());
      }
    expect(await canonicalState()).toBe(whole);

    const raws = new Map(files.flatMap((file) => file.records.map((record) => [record.id, record.raw] as const)));
    const events = (await db.activityChunks.toArray()).flatMap((chunk) => chunk.events);
    const parts = new Set(events.map((event) => `${event.rawKey}:${Math.floor(event.rawIndex / 250)}`));
    expect(parts.size).toBeGreaterThan(events.length / 250);
    for (const event of events.filter((_, i) => i % 7 === 0)) expect(await getRawRecord(event), event.id).toEqual(raws.get(event.id));
  });

  it('leaves nothing of a batch that fails to commit, and stores all of it when the batch is written again', async () => {
    const file = files.reduce((most, next) => (next.records.length > most.records.length ? next : most));
    const [first, second] = [file.records.slice(0, 600), file.records.slice(600, 1200)];
    await importFiles([{ path: file.path, records: [...first, ...second] }], 'clean', 600);
    const clean = await canonicalState();
    await Promise.all(db.tables.map((table) => table.clear()));

    const ingestor = await Ingestor.open(db);
    await ingestor.writeBatch('i1', file.path, 1, first);
    const afterFirst = await canonicalState();
    // The journal row is written last in a batch's transaction: failing there, the batch's chunks were already put.
    const journalAdd = db.journal.add.bind(db.journal);
    db.journal.add = (() => Promise.reject(new Error('disk gone'))) as unknown as typeof db.journal.add;
    try {
      await expect(ingestor.writeBatch('i1', file.path, 2, second)).rejects.toThrow('disk gone');
    } finally {
      db.journal.add = journalAdd;
    }
    expect(await canonicalState()).toBe(afterFirst);
    const retried = await ingestor.writeBatch('i1', file.path, 2, second);
    expect(retried.added).toBe(new Set(second.map((record) => record.id)).size);
    expect(await canonicalState()).toBe(clean);
  });

  it('is idempotent: importing again changes nothing, in any batch size', async () => {
    await importFiles(files, 'i1');
    const once = await canonicalState();
    await importFiles(files, 'i2', 1234);
    expect(await canonicalState()).toBe(once);
  });

  it('reaches the same state whatever the order of the files', async () => {
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(files, { minLength: files.length, maxLength: files.length }), async (order) => {
        await Promise.all(db.tables.map((table) => table.clear()));
        await importFiles(files, 'a');
        const reference = await canonicalState();
        await Promise.all(db.tables.map((table) => table.clear()));
        await importFiles(order, 'b', 500);
        const now = await canonicalState();
        if (now !== reference) {
          const a = JSON.parse(reference) as Record<string, unknown[]>;
          const b = JSON.parse(now) as Record<string, unknown[]>;
          for (const key of Object.keys(a)) {
            const x = JSON.stringify(a[key]);
            const y = JSON.stringify(b[key]);
            if (x === y) continue;
            let i = 0;
            while (x[i] === y[i]) i++;
            console.log('DIFF', key, x.slice(Math.max(0, i - 600), i + 200), '\n----\n', y.slice(Math.max(0, i - 600), i + 200));
          }
        }
        expect(now).toBe(reference);
      }),
      { numRuns: 3 },
    );
  }, 180_000);

  it('answers every alert-queue filter and sort exactly as the predicate and the order define', async () => {
    await importFiles(files, 'i1');
    const items: QueueItem[] = [...(await db.alerts.toArray()), ...(await db.riskDetections.toArray())];
    expect(items.length).toBeGreaterThan(20);
    // Bulk triage first, so the status filter is checked against the local status too.
    const picked = items.filter((_, i) => i % 5 === 0).map((item) => item.id);
    expect(await setQueueTriage(picked, { status: 'resolved', assignee: 'ana' }, 'tester')).toBe(picked.length);
    expect(await setQueueTriage(picked, { status: 'resolved' }, 'tester')).toBe(0);
    const current: QueueItem[] = [...(await db.alerts.toArray()), ...(await db.riskDetections.toArray())];
    const byTime = (a: QueueItem, b: QueueItem) => compareEvents(a, b);
    const orders: Record<QueueSort, (a: QueueItem, b: QueueItem) => number> = {
      '-time': byTime,
      time: (a, b) => -byTime(a, b),
      '-severity': (a, b) => severityRank(queueSeverity(b)) - severityRank(queueSeverity(a)) || byTime(a, b),
      severity: (a, b) => severityRank(queueSeverity(a)) - severityRank(queueSeverity(b)) || byTime(a, b),
    };
    const first = current[0]!;
    const filters: AlertFilter[] = [
      {},
      { statuses: ['resolved'] },
      { severities: ['high', 'medium'] },
      { sources: [first.source] },
      { userId: first.userId },
      { policies: ['ipc:riskySignIn'] },
      { from: first.time - 5 * 86_400_000, to: first.time },
      // Read through the [userId+time] index, a time range, and without the detections table.
      { userId: first.userId, from: first.time - 20 * 86_400_000, to: first.time + 1 },
      { sources: ['defender-for-identity'], severities: ['high', 'medium'] },
      { sources: ['identity-protection', 'defender-for-identity'] },
      { to: first.time },
    ];
    for (const filter of filters)
      for (const sort of Object.keys(orders) as QueueSort[]) {
        // The queue leaves out what the default policies hide (score-settings.test.ts covers other settings).
        const expected = current
          .filter((item) => !policyVerdict({ userId: item.userId, record: item }, DEFAULT_POLICIES).hidden && matchesAlertFilter(item, filter))
          .sort(orders[sort]);
        const got: QueueItem[] = [];
        let page = await listAlertQueue(filter, 7, undefined, sort);
        got.push(...page.rows);
        while (page.next) {
          page = await listAlertQueue(filter, 7, page.next, sort);
          got.push(...page.rows);
        }
        expect(
          got.map((item) => item.id),
          `${JSON.stringify(filter)} ${sort}`,
        ).toEqual(expected.map((item) => item.id));
      }
    // The local triage and its log survive a re-import of everything.
    await importFiles(files, 'i2');
    const kept = (await db.alerts.get(picked.find((id) => id.startsWith('alert:'))!)) ?? (await db.riskDetections.get(picked[0]!));
    expect(kept?.local).toMatchObject({ status: 'resolved', assignee: 'ana', updatedBy: 'tester' });
    expect(kept?.local?.log).toHaveLength(1);
  }, 120_000);

  it('pages the queue exactly once through rows that share their time, across read batches', async () => {
    await importFiles(files, 'i1');
    // Three distinct times for every alert and detection: each page's reads end and resume inside a tie.
    await db.alerts.toCollection().modify((row) => void (row.time = 1_000 + (row.id.length % 3)));
    await db.riskDetections.toCollection().modify((row) => void (row.time = 1_000 + (row.id.charCodeAt(row.id.length - 1) % 3)));
    const current: QueueItem[] = [...(await db.alerts.toArray()), ...(await db.riskDetections.toArray())];
    const visible = current.filter((item) => !policyVerdict({ userId: item.userId, record: item }, DEFAULT_POLICIES).hidden);
    expect(visible.length).toBeGreaterThan(20);
    for (const [sort, order] of [
      ['-time', (a: QueueItem, b: QueueItem) => compareEvents(a, b)],
      ['time', (a: QueueItem, b: QueueItem) => -compareEvents(a, b)],
    ] as const)
      for (const limit of [1, 3, 50]) {
        const got: string[] = [];
        let page = await listAlertQueue({}, limit, undefined, sort);
        got.push(...page.rows.map((row) => row.id));
        while (page.next) {
          page = await listAlertQueue({}, limit, page.next, sort);
          got.push(...page.rows.map((row) => row.id));
        }
        expect(got, `${sort} by ${limit}`).toEqual([...visible].sort(order).map((item) => item.id));
      }
  }, 60_000);

  it('keeps local triage and the history of an alert that changed upstream', async () => {
    await importFiles(files, 'i1');
    const alert = (await db.alerts.toArray())[0]!;
    await db.alerts.update(alert.id, { local: { status: 'inProgress', assignee: 'ana', updatedAt: 1, updatedBy: 'ana' } });
    const source = files.flatMap((file) => file.records).find((record): record is AlertRecord => record.id === alert.id)!;
    const later = (source.lastUpdateTime ?? source.time) + 3_600_000;
    const changed: AlertRecord = {
      ...source,
      status: 'resolved',
      lastUpdateTime: later,
      raw: { ...(source.raw as object), status: 'resolved', lastUpdateDateTime: new Date(later).toISOString() },
    };
    const ingestor = await Ingestor.open(db);
    expect(await ingestor.writeBatch('i2', 'later.json', 1, [changed])).toEqual({ added: 0, updated: 1, unchanged: 0 });
    const stored = (await db.alerts.get(alert.id))!;
    expect(stored.status).toBe('resolved');
    expect(stored.local).toMatchObject({ status: 'inProgress', assignee: 'ana' });
    expect(stored.history?.at(-1)).toEqual(expect.objectContaining({ importId: 'i2', status: alert.status }));
    // The same upstream version again changes nothing, and an older one never replaces a newer.
    expect(await ingestor.writeBatch('i3', 'later.json', 1, [changed])).toEqual({ added: 0, updated: 0, unchanged: 1 });
    expect(await ingestor.writeBatch('i4', 'old.json', 1, [source])).toEqual({ added: 0, updated: 0, unchanged: 1 });
    expect((await db.alerts.get(alert.id))!.status).toBe('resolved');
    expect(stored.importId).toBe('i1');
  });

  it('finds users by UPN prefix, id prefix, or any part of their display name', async () => {
    await importFiles(files, 'i1');
    const users = await db.users.toArray();
    const named = users.find((user) => user.displayName?.includes(' ') && user.upn)!;
    const [first, last] = named.displayName!.split(' ');
    expect((await findUsers(named.upn!.slice(0, 5))).map((user) => user.id)).toContain(named.id);
    expect((await findUsers(named.displayName!.toUpperCase())).map((user) => user.id)).toContain(named.id);
    expect((await findUsers(last!)).map((user) => user.id)).toContain(named.id);
    expect(
      (await findUsers(`${first} ${last}`)).every(
        (user) => user.displayName?.toLowerCase().includes(`${first} ${last}`.toLowerCase()) || user.upn?.startsWith(first!.toLowerCase()),
      ),
    ).toBe(true);
    expect(await findUsers('no such person anywhere')).toEqual([]);
  });

  it('keeps the newest of the versions one batch holds of an alert, whatever their order, and the older ones as its history', async () => {
    await importFiles(files, 'i1');
    const alert = (await db.alerts.toArray())[0]!;
    await db.alerts.update(alert.id, { local: { status: 'inProgress', assignee: 'ana', updatedAt: 1, updatedBy: 'ana' } });
    const source = files.flatMap((file) => file.records).find((record): record is AlertRecord => record.id === alert.id)!;
    const version = (hours: number, status: AlertRecord['status'], severity: AlertRecord['severity']): AlertRecord => {
      const at = (source.lastUpdateTime ?? source.time) + hours * 3_600_000;
      return {
        ...source,
        status,
        severity,
        lastUpdateTime: at,
        raw: { ...(source.raw as object), status, severity, lastUpdateDateTime: new Date(at).toISOString() },
      };
    };
    const v1 = version(1, 'inProgress', 'medium');
    const v2 = version(2, 'resolved', 'high');
    // A Log Analytics SecurityAlert export: a row per change, newest first.
    const ingestor = await Ingestor.open(db);
    expect(await ingestor.writeBatch('i2', 'SecurityAlert.csv', 1, [v2, v1])).toEqual({ added: 0, updated: 1, unchanged: 0 });
    const stored = (await db.alerts.get(alert.id))!;
    expect(stored).toMatchObject({ status: 'resolved', severity: 'high', lastUpdateTime: v2.lastUpdateTime, importId: 'i1' });
    expect(stored.local).toMatchObject({ status: 'inProgress', assignee: 'ana' });
    expect(stored.history?.map((entry) => [entry.status, entry.severity, entry.lastUpdated])).toEqual([
      [alert.status, alert.severity, alert.lastUpdateTime],
      ['inProgress', 'medium', v1.lastUpdateTime],
    ]);
    // Both versions again, in either order, change nothing.
    expect(await ingestor.writeBatch('i3', 'SecurityAlert.csv', 1, [v1, v2])).toEqual({ added: 0, updated: 0, unchanged: 1 });
    expect((await db.alerts.get(alert.id))!.history).toHaveLength(2);
  });

  it('keeps the newest version of an alert new to the store when one batch holds two, oldest-first or newest-first alike', async () => {
    const source = files.flatMap((file) => file.records).find((record): record is AlertRecord => record.kind === 'alert')!;
    const later = (source.lastUpdateTime ?? source.time) + 3_600_000;
    const status = source.status === 'resolved' ? 'inProgress' : 'resolved';
    const newer: AlertRecord = {
      ...source,
      status,
      lastUpdateTime: later,
      raw: { ...(source.raw as object), status, lastUpdateDateTime: new Date(later).toISOString() },
    };
    for (const order of [
      [newer, source],
      [source, newer],
    ]) {
      await db.alerts.clear();
      const ingestor = await Ingestor.open(db);
      expect(await ingestor.writeBatch(`i-${order[0] === newer ? 'desc' : 'asc'}`, 'alerts.csv', 1, order)).toEqual({ added: 1, updated: 0, unchanged: 0 });
      const stored = (await db.alerts.get(source.id))!;
      expect(stored.status).toBe(status);
      expect(stored.history?.map((entry) => entry.status)).toEqual([source.status]);
    }
  });

  it('gives the dashboard the status the analyst set in the queue, though its alert points are cached', async () => {
    await importFiles(files, 'i1');
    const before = await getAlertPoints();
    const open = (await db.alerts.toArray()).find((alert) => alert.status !== 'resolved')!;
    expect(before.find((point) => point.time === open.time && point.source === open.source)?.status).toBe(open.status);
    expect(await setQueueTriage([open.id], { status: 'resolved' }, 'ana')).toBe(1);
    const after = await getAlertPoints();
    expect(after).not.toBe(before);
    expect(after.filter((point) => point.status === 'resolved')).toHaveLength(before.filter((point) => point.status === 'resolved').length + 1);
    // Nothing changed since: the cached points come back as they are.
    expect(await getAlertPoints()).toBe(after);
  });

  it('undoes a bulk triage change exactly: what the analyst had set comes back, what they had not is cleared, and both edits are logged', async () => {
    await importFiles(files, 'i1');
    const [first, second, third] = (await db.alerts.toArray()).filter((alert) => alert.status !== 'resolved');
    // One alert already had the analyst's own status and assignee; the others had nothing local.
    await setQueueTriage([first!.id], { status: 'inProgress', assignee: 'ana' }, 'ana');
    const before = await db.alerts.bulkGet([first!.id, second!.id, third!.id]);
    const { changed, previous } = await applyQueueTriage(
      new Map([first!, second!, third!].map((alert) => [alert.id, { status: 'resolved', assignee: 'bo' } as const])),
      'bo',
    );
    expect(changed).toBe(3);
    expect(previous.get(first!.id)).toEqual({ status: 'inProgress', assignee: 'ana' });
    expect(previous.get(second!.id)).toEqual({ status: '', assignee: '' });
    expect((await db.alerts.get(second!.id))!.local?.status).toBe('resolved');
    const undone = await applyQueueTriage(previous, 'bo');
    expect(undone.changed).toBe(3);
    const after = await db.alerts.bulkGet([first!.id, second!.id, third!.id]);
    after.forEach((row, i) => {
      const { log: _logAfter, updatedAt: _a, updatedBy: _b, ...local } = row!.local!;
      const { log: _logBefore, updatedAt: _c, updatedBy: _d, ...was } = before[i]!.local ?? {};
      expect(local).toEqual(was);
      expect(queueStatus(row!)).toBe(queueStatus(before[i]!));
      expect(row!.local!.log!.length).toBe((before[i]!.local?.log?.length ?? 0) + 2);
    });
    expect(after[1]!.local!.log!.at(-1)!.changes.status).toEqual({ from: 'resolved', to: undefined });
  });

  it('discards exactly what an import added', async () => {
    const [first, ...rest] = files;
    await db.imports.put({ id: 'gone', startedAt: 1, state: 'interrupted', by: 'analyst', files: [] });
    await importFiles([first!], 'keep');
    const before = JSON.parse(await canonicalState()) as State;
    await importFiles(rest, 'gone');
    const { removed } = await discardImport(db, 'gone');
    const after = JSON.parse(await canonicalState()) as State;
    expect(removed).toBe(new Set(rest.flatMap((file) => file.records.map((record) => record.id))).size - overlap(first!, rest));
    const ids = (state: State) => [state.events.map((event) => event.id), state.rows.map((rows) => rows.map((row) => row.id))];
    expect(ids(after)).toEqual(ids(before));
    expect(after.counters).toEqual(before.counters);
    expect(after.chunkSummaries).toEqual(before.chunkSummaries);
    // Records the discarded import only updated keep their newer content; all others are as they were.
    const touched = new Set(rest.flatMap((file) => file.records.map((record) => record.id)));
    const untouched = (state: State) => state.events.filter((event) => !touched.has(event.id));
    expect(untouched(after)).toEqual(untouched(before));
    expect(await db.activityRaw.where('importId').equals('gone').count()).toBe(0);
    expect(await db.journal.where('importId').equals('gone').count()).toBe(0);
    expect((await db.imports.get('gone'))?.state).toBe('discarded');
  });
});

interface State {
  events: { id: string }[];
  rows: { id: string }[][];
  counters: unknown;
  chunkSummaries: unknown;
}

/** Records of the kept file that the discarded files also carry: they were not added by the discarded import. */
function overlap(kept: ParsedFile, others: ParsedFile[]): number {
  const keptIds = new Set(kept.records.map((record) => record.id));
  return new Set(others.flatMap((file) => file.records.map((record) => record.id)).filter((id) => keptIds.has(id))).size;
}

describe('retention', () => {
  it('previews exactly what a purge removes, purges it in one go, and records it', async () => {
    const { previewRetention, purgeOlderThan, listPurges } = await import('./retention.ts');
    await db.open();
    await Promise.all(db.tables.map((table) => table.clear()));
    await importFiles(files, 'i1');
    const all = files.flatMap((file) => file.records);
    const newest = Math.max(...all.map((record) => record.time));
    const cutoff = newest - 10 * 86_400_000;
    const unique = new Map(all.map((record) => [record.id, record]));
    const older = (kinds: string[]) => [...unique.values()].filter((record) => kinds.includes(record.kind) && record.time < cutoff).length;

    const preview = (await previewRetention(db, 10))!;
    expect(preview.cutoff).toBe(cutoff);
    expect(preview.counts).toEqual({
      alerts: older(['alert']),
      riskDetections: older(['riskDetection']),
      riskyUsers: older(['riskyUser']),
      incidents: older(['incident']),
      activities: older(['signIn', 'activity']),
    });
    expect(preview.counts.activities).toBeGreaterThan(0);
    const before = (await getWorkspaceCounts()).activities;

    const purge = (await purgeOlderThan(db, 10))!;
    expect(purge.removed).toEqual(preview.counts);
    expect((await previewRetention(db, 10))!.counts).toEqual({ alerts: 0, riskDetections: 0, riskyUsers: 0, incidents: 0, activities: 0 });
    const remaining = (await db.activityChunks.toArray()).flatMap((chunk) => chunk.events);
    expect(remaining.every((event) => event.time >= cutoff)).toBe(true);
    expect((await getWorkspaceCounts()).activities).toBe(before - preview.counts.activities);
    expect(remaining.length).toBe(before - preview.counts.activities);
    // Every remaining event can still show its raw record; raw rows nothing points at are gone.
    const rawKeys = new Set(remaining.map((event) => event.rawKey));
    expect(new Set(await db.activityRaw.toCollection().primaryKeys())).toEqual(rawKeys);
    expect((await listPurges(db)).map((row) => row.removed)).toEqual([preview.counts]);
  }, 120_000);
});

describe('scoring in the store', () => {
  it('stores for every user exactly the scores computed from all records, though it reads only flagged activities', async () => {
    const { loadBaseline, saveBaseline, rescoreWorkspace } = await import('./scoring.ts');
    const { BaselineBuilder } = await import('../../shared/score/baseline.ts');
    const { scoreAll } = await import('../../shared/score/score.ts');
    await db.open();
    await Promise.all(db.tables.map((table) => table.clear()));
    const builder = await loadBaseline(db);
    const ingestor = await Ingestor.open(db);
    ingestor.onCommit = ({ attributed, merges }) => {
      for (const { from, into } of merges) builder.mergeUsers(from, into);
      builder.add(attributed);
    };
    for (const file of files) await ingestor.writeBatch('i1', file.path, 1, file.records);
    await saveBaseline(db, builder);
    const run = await rescoreWorkspace(db);

    // The same scoring over every stored record, with a baseline rebuilt from every stored record.
    const events = (await db.activityChunks.toArray()).flatMap((chunk) => chunk.events);
    const rows = [...(await db.alerts.toArray()), ...(await db.riskDetections.toArray()), ...(await db.riskyUsers.toArray())];
    const everything = [...rows, ...events].filter((record) => record.userId).map((record) => ({ userId: record.userId, record }));
    const rebuilt = new BaselineBuilder().add(everything);
    expect(rebuilt.toJSON()).toEqual(builder.toJSON());
    const expected = scoreAll(everything, rebuilt.toJSON());
    const stored = await db.scores.orderBy('rank').toArray();
    // Users whose activities raise no flag have nothing to score: the store lists only users with inputs.
    const ranked = (users: { userId: string; score: number; rank: number; inputs: unknown[] }[]) =>
      users.filter((user) => user.score > 0).map((user) => [user.userId, user.score, user.rank, user.inputs.length]);
    expect(ranked(stored)).toEqual(ranked(expected.users));
    expect(stored[0]!.asOf).toBe(expected.asOf);
    expect(run.flaggedActivities).toBeLessThan(events.length);
    expect(stored.some((user) => user.score > 0)).toBe(true);
    expect(await db.scoreTrends.count()).toBeGreaterThan(0);
  }, 120_000);
});
