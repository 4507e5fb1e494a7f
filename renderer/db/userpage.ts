/**
 * The user page's reads. The timeline is read from the user's own chunks by key range
 * (`[userId+day+stream]`), newest day first, one bounded page at a time, so the first items paint
 * without reading the user's whole history; the history itself (density strip, seen table, which
 * alerts have activity around them) is folded from one streaming pass afterwards.
 */
import { Dexie } from 'dexie';
import { isRecordSourceEnabled } from '../../shared/model/integrations.ts';
import { getDisabledSources } from '../settings/sources.ts';
import {
  matchesTimelineFilter,
  pointOf,
  SeenAccumulator,
  type SeenRow,
  type TimelineFilter,
  type TimelineItem,
  type TimelinePoint,
} from '../views/user-model.ts';
import { chunkKeysByFacets, dayReads } from './chunk-index.ts';
import { compareEvents, DAY_MS, dayOf } from './chunks.ts';
import { db } from './index.ts';
import type { ActivityChunk, ChunkKey, NoteRow } from './schema.ts';

export interface TimelineQuery {
  /** Inclusive lower and exclusive upper bound, epoch ms; absent means the whole history. */
  from?: number;
  to?: number;
  filter?: TimelineFilter;
  /** Stop reading days once this many items are found (a day is always read whole). */
  limit?: number;
}

export interface TimelinePage {
  /** Newest first: every item of the range from `coveredFrom` up to the query's `to`. */
  items: TimelineItem[];
  /** Where this page stops: the next page asks for `to: coveredFrom`. */
  coveredFrom: number;
  /** Whether older items of the range may remain. */
  more: boolean;
}

const isAlertType = (type: string) => type === 'alert' || type === 'riskDetection';

/** The user's identifier keys, for activities done to them by someone else (user as target). */
function identityKeys(userId: string): Promise<string[]> {
  return db.identities.where('userId').equals(userId).primaryKeys();
}

/**
 * Chunks of the user's own events and of events that targeted them, within the days of the range. The
 * user's own chunk keys need no identity, so they are read while the identities are (one round trip
 * less before the first chunk is read).
 */
async function timelineChunkKeys(userId: string, identities: Promise<string[]>, firstDay: number, lastDay: number, types?: string[]): Promise<ChunkKey[]> {
  const [own, targeted] = await Promise.all([
    db.activityChunks.where('[userId+day+stream]').between([userId, firstDay, ''], [userId, lastDay, '\uffff'], true, true).primaryKeys() as Promise<
      ChunkKey[]
    >,
    identities.then((keys) => (keys.length ? chunkKeysByFacets(keys.map((key) => `target:${key}`)) : [])),
  ]);
  const seen = new Set<string>();
  return [...own, ...targeted].filter((key) => {
    // A chunk's stream is its events' type: a type filter skips whole chunks without reading them.
    if (key[1] < firstDay || key[1] > lastDay || (types?.length && !types.includes(key[2]))) return false;
    const id = key.join('\u0001');
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** The user's alerts and risk detections in a range, newest first (they are few per user: read whole). */
async function alertItems(userId: string, from: number, to: number): Promise<TimelineItem[]> {
  const range = [
    [userId, from],
    [userId, to],
  ] as const;
  const [alerts, detections] = await Promise.all([
    db.alerts.where('[userId+time]').between(range[0], range[1], true, false).toArray(),
    db.riskDetections.where('[userId+time]').between(range[0], range[1], true, false).toArray(),
  ]);
  return [...alerts, ...detections];
}

/**
 * One page of the timeline: days are read newest first until the page holds `limit` items, and the
 * page then covers every item from the start of the last day read, so the next page starts there
 * and nothing is shown twice or skipped.
 */
export async function readTimelinePage(userId: string, query: TimelineQuery = {}): Promise<TimelinePage> {
  const from = query.from ?? -Infinity;
  const to = query.to ?? Infinity;
  const filter = query.filter ?? {};
  const limit = query.limit ?? 150;
  const disabled = getDisabledSources();
  const wantsAlerts = !filter.types?.length || filter.types.some(isAlertType);
  const wantsActivities = !filter.types?.length || filter.types.some((type) => !isAlertType(type));
  // Identities, chunk keys and alerts are read at once: only the targeted chunks wait for the identities.
  const identities = identityKeys(userId);
  const [keys, chunkKeys, alerts] = await Promise.all([
    identities,
    wantsActivities
      ? timelineChunkKeys(userId, identities, Number.isFinite(from) ? dayOf(from) : -Infinity, Number.isFinite(to) ? dayOf(to - 1) : Infinity, filter.types)
      : Promise.resolve([] as ChunkKey[]),
    wantsAlerts ? alertItems(userId, from, to) : Promise.resolve([] as TimelineItem[]),
  ]);
  const keySet = new Set(keys);
  const accept = (item: TimelineItem) => item.time >= from && item.time < to && isRecordSourceEnabled(item, disabled) && matchesTimelineFilter(item, filter);
  const alertMatches = alerts.filter(accept).sort(compareEvents);

  const byDay = new Map<number, ChunkKey[]>();
  for (const key of chunkKeys) byDay.set(key[1], [...(byDay.get(key[1]) ?? []), key]);
  const days = [...byDay.keys()].sort((a, b) => b - a);

  const events: TimelineItem[] = [];
  let coveredFrom = from;
  let more = false;
  const reads = dayReads(days, byDay);
  for (const day of days) {
    const dayStart = Math.max(from, day * DAY_MS);
    const alertsSoFar = alertMatches.filter((item) => item.time >= dayStart).length;
    if (events.length + alertsSoFar >= limit) {
      coveredFrom = Math.min(to, (day + 1) * DAY_MS);
      more = true;
      break;
    }
    const chunks = await reads.get(day)!();
    for (const chunk of chunks) {
      if (!chunk) continue;
      const own = chunk.userId === userId;
      for (const event of chunk.events) {
        if (!own && (event.userId === userId || !event.targetKeys?.some((key) => keySet.has(key)))) continue;
        if (accept(event)) events.push(event);
      }
    }
  }
  // Alerts older than the last day read wait for the next page, so the page is a complete span of time.
  const items = [...events, ...alertMatches.filter((item) => item.time >= coveredFrom)].sort(compareEvents);
  if (!more && alertMatches.some((item) => item.time < coveredFrom)) more = true;
  return { items, coveredFrom, more };
}

export interface UserHistory {
  /** Every record of the user and every activity done to them, oldest first. */
  points: TimelinePoint[];
  /** Times of the user's own sign-ins and activities, ascending: for "is there activity around this alert?". */
  activityTimes: Float64Array;
  seen: SeenRow[];
  first?: number;
  last?: number;
}

/**
 * The user's whole history in one streaming pass over their chunks (by key range) and rows: events
 * are folded into points and the seen table as they are read, never kept.
 */
export async function readUserHistory(userId: string): Promise<UserHistory> {
  const disabled = getDisabledSources();
  const points: TimelinePoint[] = [];
  const activityTimes: number[] = [];
  const seen = new SeenAccumulator();
  const take = (item: TimelineItem) => {
    if (!isRecordSourceEnabled(item, disabled)) return;
    points.push(pointOf(item));
    seen.add(item);
    if (item.kind === 'signIn' || item.kind === 'activity') activityTimes.push(item.time);
  };
  const keys = await identityKeys(userId);
  const keySet = new Set(keys);
  const targeted = keys.length ? await chunkKeysByFacets(keys.map((key) => `target:${key}`)) : [];
  await Promise.all([
    db.activityChunks
      .where('[userId+day+stream]')
      .between([userId, Dexie.minKey, Dexie.minKey], [userId, Dexie.maxKey, Dexie.maxKey])
      .each((chunk) => chunk.events.forEach(take)),
    db.alerts.where('[userId+time]').between([userId, Dexie.minKey], [userId, Dexie.maxKey]).each(take),
    db.riskDetections.where('[userId+time]').between([userId, Dexie.minKey], [userId, Dexie.maxKey]).each(take),
  ]);
  // Done to the user by another account: part of their story, not of where they sign in from.
  for (const chunk of (await db.activityChunks.bulkGet(targeted.filter((key) => key[0] !== userId))) as (ActivityChunk | undefined)[]) {
    for (const event of chunk?.events ?? []) {
      if (event.userId !== userId && event.targetKeys?.some((key) => keySet.has(key)) && isRecordSourceEnabled(event, disabled)) points.push(pointOf(event));
    }
  }
  points.sort((a, b) => a.time - b.time);
  activityTimes.sort((a, b) => a - b);
  return { points, activityTimes: Float64Array.from(activityTimes), seen: seen.result(), first: points[0]?.time, last: points.at(-1)?.time };
}

export function listUserNotes(userId: string): Promise<NoteRow[]> {
  return db.notes.where('userId').equals(userId).reverse().sortBy('at');
}

export async function addUserNote(userId: string, text: string, by = 'analyst'): Promise<void> {
  await db.notes.add({ userId, text: text.trim(), by, at: Date.now() });
}
