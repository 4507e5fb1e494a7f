/**
 * Repository functions: the only code that queries the store for views. Components call these,
 * never Dexie, so the store can be reshaped for volume without touching the UI.
 */
import { Dexie, type Table } from 'dexie';
import { db } from './index.ts';
import { unpackRawText } from './raw-pack.ts';
import { isRecordSourceEnabled } from '../../shared/model/integrations.ts';
import { getDisabledSources } from '../settings/sources.ts';
import { carryFrom, pageFromCarry, type ActivityCarry, type Bound } from './activity-carry.ts';
import { chunkKeysByFacets, dayReads } from './chunk-index.ts';
import { chunkId, compareEvents, DAY_MS, dayOf } from './chunks.ts';
import { addToCounters, discardImport, markInterruptedImports } from './ingest.ts';
import { loadPolicies, policyHiddenMark, visibleUnderPolicies, type PolicyHiddenMark } from './score-settings.ts';
import {
  activityPresets,
  matchesActivityFilter,
  matchesAlertFilter,
  queueApp,
  queuePolicy,
  queueSeverity,
  queueStatus,
  queueType,
  type ActivityFilter,
  type ActivityFilterContext,
  type AlertFilter,
  type PolicyHiddenView,
} from './filters.ts';
import type {
  ActivityChunk,
  ChunkEvent,
  ChunkKey,
  CounterRow,
  IdentityRow,
  ImportErrorRow,
  ImportRow,
  LocalTriage,
  StoredAlert,
  StoredIncident,
  StoredRiskDetection,
  StoredRiskyUser,
  ScoreRow,
  TrendRow,
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

/** Totals come from counters maintained at import: never from counting rows. */
export async function getWorkspaceCounts(): Promise<WorkspaceCounts> {
  const [counters, users, imports] = await Promise.all([
    db.counters.bulkGet(['riskDetections', 'alerts', 'activities', 'incidents']),
    db.users.count(),
    db.imports.count(),
  ]);
  const [riskDetections, alerts, activities, incidents] = counters.map((row: CounterRow | undefined) => row?.value ?? 0) as [number, number, number, number];
  return { users, riskDetections, alerts, activities, incidents, imports };
}

/** Keyset page cursor: the last row's time and id. Never `offset()`, which walks every skipped row. */
export interface Cursor {
  time: number;
  id: string;
  /** The last row's severity rank, when the list is sorted by severity first. */
  rank?: number;
}

export interface Page<T> {
  rows: T[];
  next?: Cursor;
}

/**
 * What an index can narrow before the predicate runs: a user (through `[userId+time]`) and a time range. The
 * range read is a superset (bounds inclusive); `accept` still decides exactly.
 */
export interface IndexRange {
  userId?: string;
  from?: number;
  to?: number;
}

/** The store's share of a filter change, logged when scripts/profile-query.ts sets `sightline:debug-query`. */
function logQueryTime(query: string, filter: object, started: number, result: string): void {
  if (globalThis.localStorage?.getItem('sightline:debug-query'))
    console.log(`[query] ${query} ${JSON.stringify(filter)}: ${(performance.now() - started).toFixed(0)} ms, ${result}`);
}

/**
 * Rows read per request of a keyset page: a page and the row that says whether another follows. Read with
 * `getAll` in the index's direction (IndexedDB 3.0; Dexie falls back to a cursor where that is missing),
 * not a cursor step per row: a step is a round trip to IndexedDB (~0.5–2 ms here), and a 100-row page of
 * the queue, from two tables, took ~200 of them.
 */
const pageBatch = (limit: number) => limit + 1;

async function pageByTime<T extends { time: number; id: string }>(
  table: Table<T, string>,
  limit: number,
  after?: Cursor,
  accept: (row: T) => boolean = () => true,
  oldestFirst = false,
  range: IndexRange = {},
): Promise<Page<T>> {
  let lower = range.from ?? -Infinity;
  let upper = range.to ?? Infinity;
  if (after) {
    if (oldestFirst) lower = Math.max(lower, after.time);
    else upper = Math.min(upper, after.time);
  }
  const rows: T[] = [];
  // Each batch starts at the time the last one ended on, included (rows can share a time): those come twice.
  const seen = new Set<string>();
  let batch = pageBatch(limit);
  for (;;) {
    const inRange =
      range.userId !== undefined
        ? table.where('[userId+time]').between([range.userId, lower], [range.userId, upper], true, true)
        : table.where('time').between(lower, upper, true, true);
    const read = await (oldestFirst ? inRange : inRange.reverse()).limit(batch).toArray();
    for (const row of read) {
      if (seen.has(row.id)) continue;
      seen.add(row.id);
      // Rows at the cursor's own time come in id order within the index; skip up to the cursor row.
      if (after && row.time === after.time && (oldestFirst ? row.id <= after.id : row.id >= after.id)) continue;
      if (!accept(row)) continue;
      rows.push(row);
      if (rows.length > limit) {
        const page = rows.slice(0, limit);
        const last = page.at(-1)!;
        return { rows: page, next: { time: last.time, id: last.id } };
      }
    }
    if (read.length < batch) return { rows };
    const edge = read.at(-1)!.time;
    // Each batch reads twice as many as the last: when filters or policies pass few rows, a page costs a few
    // round trips, not one per hundred rows passed (the default policies leave ~75 of ~490 queue rows at 1M:
    // five round trips a table, ~10–15 ms each). Doubling also moves a batch all at one time past that time.
    batch *= 2;
    for (const row of read) if (row.time !== edge) seen.delete(row.id);
    if (oldestFirst) lower = edge;
    else upper = edge;
  }
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
  oldestFirst = false,
  range?: IndexRange,
): Promise<Page<T>> {
  const pages = await Promise.all(tables.map((table) => pageByTime(table, limit, after, accept, oldestFirst, range)));
  const merged = pages.flatMap((page) => page.rows).sort((a, b) => (oldestFirst ? -1 : 1) * compareEvents(a, b));
  const rows = merged.slice(0, limit);
  const last = rows.at(-1);
  const more = merged.length > limit || pages.some((page) => page.next);
  return { rows, next: more && last ? { time: last.time, id: last.id } : undefined };
}

export type QueueItem = StoredAlert | StoredRiskDetection;

/**
 * A row with the name of the user it was attributed to, as the users list shows it. The record's own label (a
 * UPN here, a SAM account name there) differs by source: one person read as three in one column.
 */
export type Named<T> = T & { userName?: string };

/** The users' names (display name, else UPN) for the given user ids, where the users table has one: one `bulkGet`. */
export async function userNames(userIds: Iterable<string>): Promise<Map<string, string>> {
  const ids = [...new Set(userIds)].filter(Boolean);
  const names = new Map<string, string>();
  const found = await db.users.bulkGet(ids);
  found.forEach((user, i) => {
    const name = user?.displayName || user?.upn;
    if (name) names.set(ids[i]!, name);
  });
  return names;
}

async function withUserNames<T extends { userId: string }>(page: Page<T>): Promise<Page<Named<T>>> {
  const names = await userNames(page.rows.map((row) => row.userId));
  return { ...page, rows: page.rows.map((row) => (names.has(row.userId) ? { ...row, userName: names.get(row.userId) } : row)) };
}

/** A queue item as the queue lists it: when the list shows what policies hide, such an item says which policy and why. */
export type QueueRow = Named<QueueItem> & { policyHidden?: PolicyHiddenMark };

/** The queue's orders: newest (`-time`, the default) or oldest first, or by severity (highest first with `-`), newest first within one. */
export type QueueSort = 'time' | '-time' | 'severity' | '-severity';

/** Severity as a rank for sorting: high 3, medium 2, low 1, anything else (informational, none, unknown) 0. */
export function severityRank(severity: string): number {
  return severity === 'high' ? 3 : severity === 'medium' ? 2 : severity === 'low' ? 1 : 0;
}

/** The only source risk detections come from (the Entra risk detection adapter's). */
const DETECTION_SOURCE = 'identity-protection';

/** The queue's tables; a source filter that leaves out Identity Protection needs no detections read. */
const queueTables = (filter: AlertFilter = {}) =>
  (filter.sources?.length && !filter.sources.includes(DETECTION_SOURCE) ? [db.alerts] : [db.alerts, db.riskDetections]) as unknown as Table<
    QueueItem,
    string
  >[];

/**
 * The alerts queue: every source's alerts, and Identity Protection's risk detections beside them, less
 * what a disabled source or (unless `filter.policyHidden` asks for them) a policy hides.
 */
export async function listAlertQueue(filter: AlertFilter = {}, limit = 100, after?: Cursor, sort: QueueSort = '-time'): Promise<Page<QueueRow>> {
  // A source the analyst turned off in Settings is hidden, not deleted: turning it on shows it again.
  const disabled = getDisabledSources();
  // So is what a policy hides (Settings → Policies): the queue and the scores leave out the same items,
  // unless the analyst asked to see them, and then each says which policy hides it.
  const settings = await loadPolicies(db);
  const policyAllows = visibleUnderPolicies(settings, filter.policyHidden);
  const accept = (row: QueueItem) => isRecordSourceEnabled(row, disabled) && policyAllows(row) && matchesAlertFilter(row, filter);
  // The indexes narrow what is read: the user's own rows, the time range, and no detections when the sources exclude them.
  const range: IndexRange = { userId: filter.userId, from: filter.from, to: filter.to };
  const started = performance.now();
  const page = await listQueuePage(queueTables(filter), range, limit, after, sort, accept);
  logQueryTime('listAlertQueue', filter, started, `${page.rows.length} rows`);
  const named = await withUserNames(page);
  if (!filter.policyHidden || filter.policyHidden === 'hide') return named;
  return {
    ...named,
    rows: named.rows.map((row) => {
      const mark = policyHiddenMark(row, settings);
      return mark ? { ...row, policyHidden: mark } : row;
    }),
  };
}

/** Sorted by severity, the queue pages one severity rank at a time (newest first within it), so the cursor is (rank, time, id). */
async function listQueuePage(
  tables: Table<QueueItem, string>[],
  range: IndexRange,
  limit: number,
  after: Cursor | undefined,
  sort: QueueSort,
  accept: (row: QueueItem) => boolean,
): Promise<Page<QueueItem>> {
  if (sort === 'time' || sort === '-time') return pageByTimeMerged(tables, limit, after, accept, sort === 'time', range);
  const ranks = sort === '-severity' ? [3, 2, 1, 0] : [0, 1, 2, 3];
  const rows: QueueItem[] = [];
  for (const rank of ranks) {
    if (after?.rank !== undefined && (sort === '-severity' ? rank > after.rank : rank < after.rank)) continue;
    const page = await pageByTimeMerged(
      tables,
      limit - rows.length,
      after?.rank === rank ? after : undefined,
      (row) => severityRank(queueSeverity(row)) === rank && accept(row),
      false,
      range,
    );
    rows.push(...page.rows);
    if (rows.length >= limit) {
      const last = rows.at(-1)!;
      const laterRanks = ranks.slice(ranks.indexOf(rank) + 1);
      // A full page may end exactly where the data does: look one row ahead before offering another page.
      const more = Boolean(page.next) || (await hasQueueRows(tables, laterRanks, accept, range));
      return { rows, next: more ? { time: last.time, id: last.id, rank } : undefined };
    }
  }
  return { rows };
}

async function hasQueueRows(tables: Table<QueueItem, string>[], ranks: number[], accept: (row: QueueItem) => boolean, range: IndexRange): Promise<boolean> {
  if (!ranks.length) return false;
  const page = await pageByTimeMerged(tables, 1, undefined, (row) => ranks.includes(severityRank(queueSeverity(row))) && accept(row), false, range);
  return page.rows.length > 0;
}

/** The local triage fields bulk actions set; an empty assignee clears it. */
export type TriagePatch = Partial<Pick<LocalTriage, 'status' | 'classification' | 'assignee'>>;

/** Counts the analyst's triage edits of queue items: a change to the rows that imports and counts of rows do not show. */
export const QUEUE_EDITS_COUNTER = 'queueEdits';

/**
 * Sets the analyst's triage on queue items (alerts and detections) in one transaction, and logs each change
 * with who and when on the row itself. Imports never overwrite `local` (ingest.ts updatedRow).
 */
export async function setQueueTriage(ids: string[], patch: TriagePatch, by: string): Promise<number> {
  return (await applyQueueTriage(new Map(ids.map((id) => [id, patch])), by)).changed;
}

/**
 * Sets each item's own patch (`setQueueTriage` gives all the same one) and returns, for each item it changed,
 * the patch that puts back what the analyst had set before: what Undo applies, as an edit of its own, logged.
 * A field the analyst had not set comes back as `''`, which clears it, so the source's word shows again.
 */
export async function applyQueueTriage(
  patches: ReadonlyMap<string, TriagePatch>,
  by: string,
): Promise<{ changed: number; previous: Map<string, TriagePatch> }> {
  const at = Date.now();
  const ids = [...patches.keys()];
  const previous = new Map<string, TriagePatch>();
  await db.transaction('rw', db.alerts, db.riskDetections, db.counters, async () => {
    for (const table of queueTables()) {
      const found = (await table.bulkGet(ids)).filter((row): row is QueueItem => row !== undefined);
      const updated: QueueItem[] = [];
      for (const row of found) {
        const patch = patches.get(row.id)!;
        const before: Partial<LocalTriage> = row.local ?? {};
        const changes: NonNullable<LocalTriage['log']>[number]['changes'] = {};
        const undo: TriagePatch = {};
        for (const field of ['status', 'classification', 'assignee'] as const) {
          if (!(field in patch)) continue;
          const value = patch[field] || undefined;
          // The log says what the analyst saw before: the source's word where nothing was set locally.
          const upstream = field === 'status' ? queueStatus(row) : field === 'classification' && row.kind === 'alert' ? row.classification : undefined;
          if (before[field] === value) continue;
          changes[field] = { from: before[field] ?? upstream, to: value };
          (undo as Record<string, string>)[field] = before[field] ?? '';
        }
        if (!Object.keys(changes).length) continue;
        const local: LocalTriage = { ...before, ...patch, updatedAt: at, updatedBy: by, log: [...(before.log ?? []), { at, by, changes }] };
        // An emptied field is no local choice at all: the source's status or classification shows again.
        for (const field of ['status', 'classification', 'assignee'] as const) if (!local[field]) delete local[field];
        updated.push({ ...row, local });
        previous.set(row.id, undo);
      }
      if (updated.length) await table.bulkPut(updated);
    }
    // What is cached from the queue's rows (the dashboard's alert points) is keyed on this count of edits.
    if (previous.size) await addToCounters(db, new Map([[QUEUE_EDITS_COUNTER, previous.size]]));
  });
  return { changed: previous.size, previous };
}

/** A queue item by its store id (an alert or a detection). */
export async function getQueueItem(id: string): Promise<QueueItem | undefined> {
  return (await db.alerts.get(id)) ?? (await db.riskDetections.get(id));
}

/** How many queue items the filter bar's option counts were taken from, at most. */
export const QUEUE_FACET_SAMPLE = 5000;

export interface QueueFacets {
  /** Items counted: the newest QUEUE_FACET_SAMPLE of `total`. */
  sampled: number;
  /** True when the workspace holds more than the sample: the counts then describe only the newest items. */
  capped: boolean;
  total: number;
  values: Record<'source' | 'app' | 'severity' | 'status' | 'type' | 'policy', [value: string, count: number][]>;
}

/**
 * Option lists with counts for the alerts filter bar, from the newest items only (bounded whatever the
 * workspace holds); the counts say how many of those carry each value.
 */
export async function getQueueFacets(policyHidden?: PolicyHiddenView): Promise<QueueFacets> {
  const [alerts, detections, counters] = await Promise.all([
    db.alerts.orderBy('time').reverse().limit(QUEUE_FACET_SAMPLE).toArray(),
    db.riskDetections.orderBy('time').reverse().limit(QUEUE_FACET_SAMPLE).toArray(),
    db.counters.bulkGet(['alerts', 'riskDetections']),
  ]);
  const disabled = getDisabledSources();
  // The counts describe what the queue can show: policies hide the same items here.
  const policyAllows = visibleUnderPolicies(await loadPolicies(db), policyHidden);
  const items = [...alerts, ...detections]
    .filter((row) => isRecordSourceEnabled(row, disabled) && policyAllows(row))
    .sort(compareEvents)
    .slice(0, QUEUE_FACET_SAMPLE);
  const tally = { source: new Map(), app: new Map(), severity: new Map(), status: new Map(), type: new Map(), policy: new Map() } as Record<
    keyof QueueFacets['values'],
    Map<string, number>
  >;
  const add = (field: keyof QueueFacets['values'], value: string | undefined) => value && tally[field].set(value, (tally[field].get(value) ?? 0) + 1);
  for (const item of items) {
    add('source', item.source);
    add('app', queueApp(item));
    add('severity', queueSeverity(item));
    add('status', queueStatus(item));
    add('type', queueType(item));
    add('policy', queuePolicy(item));
  }
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return {
    sampled: items.length,
    capped: alerts.length === QUEUE_FACET_SAMPLE || detections.length === QUEUE_FACET_SAMPLE,
    total: counters.reduce((sum, row) => sum + (row?.value ?? 0), 0),
    values: Object.fromEntries(Object.entries(tally).map(([field, map]) => [field, sorted(map)])) as QueueFacets['values'],
  };
}

/** Alerts around one: the same user's newest, and the newest of the same type, without the item itself. */
export async function getRelatedQueueItems(item: QueueItem, limit = 10): Promise<{ sameUser: QueueItem[]; sameType: QueueItem[] }> {
  const disabled = getDisabledSources();
  const policyAllows = visibleUnderPolicies(await loadPolicies(db));
  const byUser = async () => {
    if (!item.userId) return [];
    const parts = await Promise.all(
      queueTables().map((table) =>
        table
          .where('[userId+time]')
          .between([item.userId, Dexie.minKey], [item.userId, Dexie.maxKey])
          .reverse()
          .limit(limit + 1)
          .toArray(),
      ),
    );
    return parts
      .flat()
      .filter((row) => row.id !== item.id && isRecordSourceEnabled(row, disabled) && policyAllows(row))
      .sort(compareEvents)
      .slice(0, limit);
  };
  const [sameUser, sameType] = await Promise.all([byUser(), listAlertQueue({ types: [queueType(item)] }, limit + 1)]);
  return { sameUser, sameType: sameType.rows.filter((row) => row.id !== item.id).slice(0, limit) };
}

/** Users whose sign-in name starts with the text, for the filter bars' user pickers (index range, bounded). */
export async function findUsers(prefix: string, limit = 12): Promise<UserRow[]> {
  const text = prefix.trim().toLowerCase();
  if (!text) return db.users.orderBy('lastSeen').reverse().limit(limit).toArray();
  const byUpn = await db.users.where('upn').startsWithIgnoreCase(text).limit(limit).toArray();
  if (byUpn.length >= limit) return byUpn;
  const byId = await db.users
    .where('id')
    .startsWithIgnoreCase(text)
    .limit(limit - byUpn.length)
    .toArray();
  const seen = new Set(byUpn.map((user) => user.id));
  const found = [...byUpn, ...byId.filter((user) => !seen.has(user.id))];
  if (found.length >= limit || text.includes('@')) return found;
  // A person's name ("Rafael Zeller") has no index: the users are few (one getAll), and a name is what an analyst types.
  for (const user of found) seen.add(user.id);
  const byName = (await db.users.toArray()).filter((user) => !seen.has(user.id) && user.displayName?.toLowerCase().includes(text));
  return [...found, ...byName.slice(0, limit - found.length)];
}

export interface ActivityFacets {
  /** Activity types with their totals (counters kept at import). */
  types: [type: string, count: number][];
  apps: string[];
  countries: string[];
  isps: string[];
}

/**
 * The activity filter bar's option lists, from the counters kept at import (types, apps, countries, ISPs,
 * each with its number of events), each bounded to the most common. Options are sorted by name (code units).
 */
export async function getActivityFacets(limit = 400): Promise<ActivityFacets> {
  const counters = await db.counters.where('key').startsWith('activities:').toArray();
  const values = (field: string) =>
    counters
      .filter((row) => row.key.startsWith(`activities:${field}:`))
      .map((row): [string, number] => [row.key.slice(`activities:${field}:`.length), row.value])
      // Counters come in key order, and the sort is stable: equal counts keep the first by name.
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit);
  const names = (field: string) =>
    values(field)
      .map(([value]) => value)
      .sort();
  return { types: values('type'), apps: names('app'), countries: names('country'), isps: names('isp') };
}

export function listIncidents(limit = 100, after?: Cursor): Promise<Page<StoredIncident>> {
  return pageByTime(db.incidents, limit, after);
}

/** A sign-in or activity as the activity log shows it (its raw record is loaded on demand: getRawRecord). */
export type ActivityItem = ChunkEvent;

const facetPrefixes: [keyof ActivityFilter, string][] = [
  ['app', 'app'],
  ['ip', 'ip'],
  ['country', 'country'],
  ['isp', 'isp'],
  ['result', 'result'],
];

/**
 * The chunks that can hold a match, from the key (user as actor), the multi-entry facet index (user as
 * target, type, app, IP, country, ISP, result), intersected; undefined when nothing narrows the search.
 */
async function candidateChunks(filter: ActivityFilter, userKeys: Promise<Set<string>> | undefined): Promise<ChunkKey[] | undefined> {
  // Every index read is started at once: they are independent, and each waits on IndexedDB rather than on us.
  // Only the chunks that target the user wait, for the user's identifiers.
  const reads: Promise<ChunkKey[]>[] = [];
  if (filter.userId) {
    const own = db.activityChunks
      .where('[userId+day+stream]')
      .between([filter.userId, -Infinity, ''], [filter.userId, Infinity, '\uffff'])
      .primaryKeys() as Promise<ChunkKey[]>;
    const targeted = (userKeys ?? Promise.resolve(new Set<string>())).then((keys) =>
      keys.size ? chunkKeysByFacets([...keys].map((key) => `target:${key}`)) : [],
    );
    reads.push(Promise.all([own, targeted]).then(([mine, others]) => [...mine, ...others]));
  }
  if (filter.types?.length) reads.push(chunkKeysByFacets(filter.types.map((type) => `type:${type}`)));
  if (filter.preset) {
    const rule: { types: readonly string[]; result?: string } = activityPresets[filter.preset];
    reads.push(chunkKeysByFacets(rule.types.map((type) => `type:${type}`)));
    if (rule.result) reads.push(chunkKeysByFacets([`result:${rule.result}`]));
  }
  for (const [field, prefix] of facetPrefixes) {
    const value = filter[field];
    if (typeof value === 'string' && value) reads.push(chunkKeysByFacets([`${prefix}:${value}`]));
  }
  if (!reads.length) return undefined;
  const sets = await Promise.all(reads);
  sets.sort((a, b) => a.length - b.length);
  let result = new Map(sets[0]!.map((key) => [chunkId(key), key]));
  for (const other of sets.slice(1)) {
    const ids = new Set(other.map(chunkId));
    result = new Map([...result].filter(([id]) => ids.has(id)));
  }
  return [...result.values()];
}

/**
 * What the last activity-log scan read, kept for the next pages (see activity-carry.ts): a filtered scan's
 * matches past its page, or the unfiltered scan itself, which goes on where it stopped. Dropped by any
 * committed write that could change a match: one that touched the chunks or the identities, in this page
 * or in a worker (Dexie announces every commit across the origin), counted in `activityWrites`.
 */
let activityCarry: ActivityCarry<ActivityItem> | undefined;
let activityScan: { key: string; scan: LastTimeScan } | undefined;
let activityWrites = 0;
Dexie.on('storagemutated', (parts) => {
  const touched = (table: string) => `idb://${db.name}/${table}/`;
  for (const part of Object.keys(parts)) {
    if (part === 'all' || part.startsWith(touched('activityChunks')) || part.startsWith(touched('identities'))) {
      activityWrites++;
      if ((activityCarry || activityScan) && globalThis.localStorage?.getItem('sightline:debug-query'))
        console.log('[store] the activity chunks changed: the next activity page is read again');
      activityCarry = undefined;
      activityScan = undefined;
      return;
    }
  }
});

/**
 * The activity log: keyset pages over the chunks, newest first. Days are read newest first; within a
 * day every candidate chunk is read and its matching events merged, and reading stops once a page is
 * full, because every event of an earlier day is older than every event of a later one. The next pages
 * come from what that read matched beyond the page, as long as nothing was written since.
 */
export async function listActivities(filter: ActivityFilter = {}, limit = 100, after?: Cursor): Promise<Page<Named<ActivityItem>>> {
  const disabled = getDisabledSources();
  const carryKey = JSON.stringify([filter, [...disabled].sort()]);
  if (after) {
    const asked = performance.now();
    const carried = pageFromCarry(activityCarry, carryKey, after, limit);
    if (carried) {
      logQueryTime('listActivities', filter, asked, `${carried.rows.length} events carried`);
      return withUserNames(carried);
    }
  }
  // A write announced after this point means the scan below may have read the store before it.
  const writes = activityWrites;
  const userKeys = filter.userId
    ? db.identities
        .where('userId')
        .equals(filter.userId)
        .primaryKeys()
        .then((keys) => new Set(keys))
    : undefined;
  const candidateRead = candidateChunks(filter, userKeys);
  // Settled either way before anything else is awaited, so a failure is reported once, by the await below.
  candidateRead.catch(() => undefined);
  const context: ActivityFilterContext = userKeys ? { userKeys: await userKeys } : {};
  const candidates = await candidateRead;
  let lastDay = filter.to !== undefined ? dayOf(filter.to - 1) : Infinity;
  if (after) lastDay = Math.min(lastDay, dayOf(after.time));
  const firstDay = filter.from !== undefined ? dayOf(filter.from) : -Infinity;

  const matches = (event: ActivityItem) => isRecordSourceEnabled(event, disabled) && matchesActivityFilter(event, filter, context);
  const started = performance.now();
  let found: ActivityItem[];
  if (candidates) {
    const accept = (event: ActivityItem) => (!after || compareEvents(after, event) < 0) && matches(event);
    const scanned = await scanCandidateDays(candidates, firstDay, lastDay, limit, accept);
    found = scanned.found.sort(compareEvents);
    if (writes === activityWrites) activityCarry = carryFrom(carryKey, found, limit, scanned.complete);
  } else {
    // The scan the previous page left goes on from where it stopped, if this page continues it.
    const kept = activityScan;
    const resumed = after && kept?.key === carryKey && kept.scan.continues(after) ? kept.scan : undefined;
    // Taken, not shared: a second request for the same page (a click and a scroll before the list re-rendered)
    // that went on with it too would interleave at its reads and put the same chunks in it twice.
    if (resumed) activityScan = undefined;
    const scan = resumed ?? new LastTimeScan(filter, after, matches);
    await scan.fill(after, limit);
    found = scan.matchesAfter(after);
    activityScan = writes === activityWrites && scan.size <= SCAN_KEPT_MAX ? { key: carryKey, scan } : undefined;
  }
  logQueryTime('listActivities', filter, started, `${found.length} events kept`);
  const rows = found.slice(0, limit);
  const last = rows.at(-1);
  return withUserNames({ rows, next: found.length > limit && last ? { time: last.time, id: last.id } : undefined });
}

/** Candidate chunks, a day at a time, newest day first; stops once a day completes a page. */
async function scanCandidateDays(
  candidates: ChunkKey[],
  firstDay: number,
  lastDay: number,
  limit: number,
  accept: (event: ActivityItem) => boolean,
): Promise<{ found: ActivityItem[]; complete: Bound }> {
  const byDay = new Map<number, ChunkKey[]>();
  for (const key of candidates) if (key[1] >= firstDay && key[1] <= lastDay) byDay.set(key[1], [...(byDay.get(key[1]) ?? []), key]);
  const found: ActivityItem[] = [];
  const days = [...byDay.keys()].sort((a, b) => b - a);
  const reads = dayReads(days, byDay);
  for (const day of days) {
    const chunks = await reads.get(day)!();
    for (const chunk of chunks) for (const event of chunk.events) if (accept(event)) found.push(event);
    // Days left unread are all older than the start of this one.
    if (found.length > limit && day !== days.at(-1)) return { found, complete: { time: day * DAY_MS, inclusive: true } };
  }
  return { found, complete: { time: -Infinity, inclusive: false } };
}

/**
 * Chunks read per request of a scan by last event time. Every chunk read costs (Chromium reads ~1 ms per
 * chunk row here, more for big ones), so a batch past the page's end is waste; a request costs a round trip.
 * A page of the newest events (or of one day) reads ~90 chunks at a million events: batches of 48 took the
 * one-day page from ~205 to ~182 ms against batches of 24 (alternating builds, medians of 7); 96 gained no more.
 */
const LAST_TIME_BATCH = 48;

/** Matches a kept scan by last event time may hold before it is let go: a dense day's events, and no more. */
const SCAN_KEPT_MAX = 20_000;

/**
 * No index narrows the search: chunks are read newest last-event first, and reading stops at the first
 * chunk whose newest event is older than the page's oldest: nothing in it, or after it, can enter the page.
 * They are read in batches (one `getAll` in that order where the browser has IndexedDB 3.0's direction,
 * else a cursor) rather than one cursor step at a time: a step is an IndexedDB round trip, and a
 * time-range page reads ~100 chunks.
 *
 * The scan keeps every match of the chunks it read, and the next page goes on from the chunk it stopped at:
 * a chunk holds a whole day, so starting again from the cursor's day would read most of that day again for
 * every page (150–250 ms a page at a million events).
 */
class LastTimeScan {
  /** Every match of the chunks read, and whether they are sorted newest first. */
  private found: ActivityItem[] = [];
  private sorted = true;
  private readonly lower: number;
  /** Where the next read starts: at `high`, excluded at first, then included, since chunks can share a last event time. */
  private high: number;
  private highIncluded = false;
  /** Chunks already read (with their last event time): those at `high` come again in the next read. */
  private readonly seen = new Map<string, number>();
  private batch = LAST_TIME_BATCH;
  /** Chunks of the last read not looked at yet (the page filled before them), from `pendingAt` on. */
  private pending: ActivityChunk[] = [];
  private pendingAt = 0;
  private exhausted = false;
  /** The cursor `found` was last cut at: only a page at or past it can go on with this scan. */
  private from: Cursor | undefined;

  constructor(
    filter: ActivityFilter,
    after: Cursor | undefined,
    private readonly matches: (event: ActivityItem) => boolean,
  ) {
    // A chunk holds one UTC day: one whose day ends before the cursor's (or the range's) end is where to start.
    const dayEnd = (time: number) => (dayOf(time) + 1) * DAY_MS;
    this.high = Math.min(after ? dayEnd(after.time) : Infinity, filter.to !== undefined ? dayEnd(filter.to - 1) : Infinity);
    this.lower = filter.from ?? -Infinity;
  }

  get size(): number {
    return this.found.length;
  }

  /** Whether the page after `after` can go on with this scan: what came before its last cut is gone. */
  continues(after: Cursor): boolean {
    return !this.from || compareEvents(this.from, after) <= 0;
  }

  /** The matches after `after`, newest first (letting go of those before it: pages only move on). */
  matchesAfter(after: Cursor | undefined): ActivityItem[] {
    if (!this.sorted) this.found.sort(compareEvents);
    this.sorted = true;
    if (after) {
      this.from = after;
      let first = 0;
      while (first < this.found.length && compareEvents(after, this.found[first]!) >= 0) first++;
      if (first) this.found = this.found.slice(first);
    }
    return this.found;
  }

  /** Reads on until the matches after `after` fill a page and one more, all newer than what is left unread. */
  async fill(after: Cursor | undefined, limit: number): Promise<void> {
    let newest = this.matchesAfter(after).slice(0, limit + 1);
    let oldestKept = newest.length > limit ? newest[limit]!.time : -Infinity;
    for (;;) {
      for (; this.pendingAt < this.pending.length; this.pendingAt++) {
        const chunk = this.pending[this.pendingAt]!;
        // This chunk and every one after it end at or before its last event: the page is complete without them.
        if (newest.length > limit && chunk.lastTime < oldestKept) return;
        const id = chunkId([chunk.userId, chunk.day, chunk.stream]);
        if (this.seen.has(id)) continue;
        this.seen.set(id, chunk.lastTime);
        for (const event of chunk.events) {
          if (!this.matches(event)) continue;
          this.found.push(event);
          this.sorted = false;
          if (!after || compareEvents(after, event) < 0) newest.push(event);
        }
        if (newest.length > limit) {
          newest.sort(compareEvents);
          newest = newest.slice(0, limit + 1);
          oldestKept = newest[limit]!.time;
        }
      }
      if (this.exhausted) return;
      // Only the chunks at the next read's upper end can come again.
      for (const [id, lastTime] of this.seen) if (!this.highIncluded || lastTime !== this.high) this.seen.delete(id);
      const range = Number.isFinite(this.high)
        ? db.activityChunks.where('lastTime').between(this.lower, this.high, true, this.highIncluded)
        : db.activityChunks.where('lastTime').aboveOrEqual(this.lower);
      const chunks = await range.reverse().limit(this.batch).toArray();
      this.pending = chunks;
      this.pendingAt = 0;
      if (chunks.length < this.batch) this.exhausted = true;
      if (!chunks.length) continue;
      const lastTime = chunks.at(-1)!.lastTime;
      // A read that all shares one last event time would come back the same: read more at once.
      this.batch = chunks[0]!.lastTime === lastTime ? this.batch * 2 : LAST_TIME_BATCH;
      this.high = lastTime;
      this.highIncluded = true;
    }
  }
}

/** The source record a row carries: as JSON text (`rawJson`), or as an object in rows written before. */
export function rowRaw(row: { raw?: unknown; rawJson?: string }): unknown {
  return row.raw !== undefined || row.rawJson === undefined ? row.raw : JSON.parse(row.rawJson);
}

/** The source record of anything shown: rows carry it; chunk events point at their raw batch row. */
export async function getRawRecord(item: { raw?: unknown; rawJson?: string; rawKey?: string; rawIndex?: number }): Promise<unknown> {
  if (item.raw !== undefined || item.rawJson !== undefined || item.rawKey === undefined || item.rawIndex === undefined) return rowRaw(item);
  const row = await db.activityRaw.get(item.rawKey);
  const text = row?.packed ? await unpackRawText(row.packed, item.rawIndex) : row?.texts?.[item.rawIndex];
  return text === undefined ? undefined : (JSON.parse(text) as unknown);
}

export type RankedUser = UserRow & { priority?: ScoreRow };

/**
 * Users by investigation priority (confirmed compromised first, then score), as the worker last
 * computed it; users without a score follow, by Entra risk level and how recently they were seen.
 */
export async function listUsers(): Promise<RankedUser[]> {
  const [users, scores] = await Promise.all([db.users.toArray(), db.scores.toArray()]);
  const byUser = new Map(scores.map((score) => [score.userId, score]));
  const ranked: RankedUser[] = users.map((user) => ({ ...user, priority: byUser.get(user.id) }));
  return ranked.sort(
    (a, b) =>
      (a.priority?.rank ?? Infinity) - (b.priority?.rank ?? Infinity) ||
      b.riskLevelRank - a.riskLevelRank ||
      b.riskDetections - a.riskDetections ||
      b.lastSeen - a.lastSeen,
  );
}

/** A user's priority with its ledger, and its daily trend. */
export async function getUserPriority(userId: string): Promise<{ score?: ScoreRow; trend?: TrendRow; scoredUsers: number }> {
  const [score, trend, scoredUsers] = await Promise.all([db.scores.get(userId), db.scoreTrends.get(userId), db.scores.count()]);
  return { score, trend, scoredUsers };
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

export type TimelineItem = StoredRiskDetection | ActivityItem | StoredAlert;

/** A user's records from every source, newest first. */
export async function getUserTimeline(id: string, limit = 500): Promise<TimelineItem[]> {
  const range = (table: Table<TimelineItem, string>) =>
    table.where('[userId+time]').between([id, Dexie.minKey], [id, Dexie.maxKey]).reverse().limit(limit).toArray();
  const tables = [db.riskDetections, db.alerts] as unknown as Table<TimelineItem, string>[];
  const parts = await Promise.all([...tables.map(range), listActivities({ userId: id }, limit).then((page) => page.rows)]);
  const disabled = getDisabledSources();
  return parts
    .flat()
    .filter((item) => isRecordSourceEnabled(item, disabled))
    .sort((a, b) => b.time - a.time)
    .slice(0, limit);
}

export type AnyStoredRecord = StoredRiskDetection | StoredAlert | StoredRiskyUser | StoredIncident;

/** A row-stored record by id (activities live in chunks and are reached through the views that list them). */
export async function getRecord(id: string): Promise<AnyStoredRecord | undefined> {
  for (const table of [db.riskDetections, db.alerts, db.incidents, db.riskyUsers] as unknown as Table<AnyStoredRecord, string>[]) {
    const found = await table.get(id);
    if (found) return found;
  }
  return undefined;
}

export function listImports(): Promise<ImportRow[]> {
  return db.imports.orderBy('startedAt').reverse().toArray();
}

/** What an interrupted import committed before it stopped: whole batches only. */
export async function getCommittedProgress(importId: string): Promise<{ batches: number; records: number }> {
  let batches = 0;
  let records = 0;
  await db.journal
    .where('importId')
    .equals(importId)
    .each((entry) => {
      batches++;
      records += entry.records;
    });
  return { batches, records };
}

/** Removes an interrupted import's batches from the store. */
export function discardInterruptedImport(importId: string): Promise<{ removed: number }> {
  return discardImport(db, importId);
}

/** At start-up: imports still marked running were cut short by a crash or a closed window. */
export function findInterruptedImports(): Promise<string[]> {
  return markInterruptedImports(db);
}

export function listImportErrors(importId: string, limit = 200): Promise<ImportErrorRow[]> {
  return db.importErrors.where('importId').equals(importId).limit(limit).toArray();
}

export async function isWorkspaceEmpty(): Promise<boolean> {
  const counts = await Promise.all([db.users, db.riskDetections, db.activityChunks, db.alerts, db.incidents].map((table) => table.limit(1).count()));
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

export interface LastRescore {
  at: number;
  ms: number;
  users: number;
  asOf: number;
  algorithmVersion: string;
  /** Alerts and detections each policy hid from the queue and the scores, by policy id. */
  hiddenByPolicy?: Record<string, number>;
}

/** The worker's last completed rescoring, as it stored it (survives a reload, unlike the queue's state). */
export async function getLastRescore(): Promise<LastRescore | undefined> {
  return (await db.scoreState.get('lastRun'))?.value as LastRescore | undefined;
}

/**
 * Whether the stored scores may lag the store: an import (finished, failed or cut short) or a retention
 * purge happened after the last rescoring, or there is data and no rescoring at all. The worker rescores
 * a moment after imports stop, so closing or reloading the app in that moment would otherwise leave the
 * scores stale until the next import.
 */
export async function scoresAreStale(): Promise<boolean> {
  const [last, newestImport, newestPurge] = await Promise.all([getLastRescore(), db.imports.orderBy('startedAt').last(), db.purges.orderBy('at').last()]);
  if (!newestImport) return false;
  if (!last) return true;
  const changedAt = Math.max(newestImport.finishedAt ?? newestImport.startedAt, newestPurge?.at ?? 0);
  return changedAt > last.at;
}
