/**
 * Pure rules of the activity chunks (no Dexie): which chunk a record belongs to, which filter values a
 * chunk advertises, and how a batch of events merges into a chunk. Kept apart from the ingestor so the
 * schema upgrade, the ingestor and the tests share one definition.
 */
import type { ActivityChunk, ChunkEvent, ChunkKey } from './schema.ts';

export const DAY_MS = 86_400_000;

export function dayOf(time: number): number {
  return Math.floor(time / DAY_MS);
}

/** The activity log's type of an event: `signIn`, or an activity's type such as `onPremLogon`. */
export function eventType(event: Pick<ChunkEvent, 'kind'> & { activityType?: string }): string {
  return event.kind === 'activity' ? (event.activityType ?? 'activity') : event.kind;
}

/** How many chunks a day of unattributed events is spread over, so no single chunk grows without bound. */
const UNATTRIBUTED_SPREAD = 64;

/**
 * Who a chunk belongs to: the user; for events of no user, the workload identity (service principal or
 * managed identity) that acted, else one of a few buckets by record id. Without that, a day's workload
 * sign-ins (tens of thousands) would all fall into one ever-rewritten chunk.
 */
export function chunkOwner(event: ChunkEvent): string {
  if (event.userId) return event.userId;
  if (event.kind === 'activity' && event.workload) return `\u0001workload:${event.workload.id.toLowerCase()}`;
  let hash = 0;
  for (let i = 0; i < event.id.length; i++) hash = (hash * 31 + event.id.charCodeAt(i)) | 0;
  return `\u0001unattributed:${(hash >>> 0) % UNATTRIBUTED_SPREAD}`;
}

/** Chunks are split by stream so that one export file (one stream) rewrites only its own chunks. */
export function chunkKeyOf(event: ChunkEvent): ChunkKey {
  return [chunkOwner(event), dayOf(event.time), eventType(event)];
}

export function chunkId(key: ChunkKey): string {
  return `${key[0]}\u0001${key[1]}\u0001${key[2]}`;
}

export function emptyChunk([userId, day, stream]: ChunkKey): ActivityChunk {
  return { userId, day, stream, firstTime: Infinity, lastTime: -Infinity, count: 0, facets: [], imports: [], events: [] };
}

/** The filterable fields of an event, as the activity log's filter reads them. */
export function eventFields(event: ChunkEvent) {
  if (event.kind === 'signIn')
    return { app: event.appDisplayName, ip: event.ipAddress, country: event.location?.country, isp: undefined, success: event.success };
  return { app: event.app, ip: event.ipAddress, country: event.location?.country, isp: event.isp, success: event.success };
}

/** Facet values, prefixed by field: the multi-entry index entries of a chunk. */
export function eventFacets(event: ChunkEvent): string[] {
  const fields = eventFields(event);
  const facets = [`type:${eventType(event)}`];
  if (fields.app) facets.push(`app:${fields.app}`);
  if (fields.ip) facets.push(`ip:${fields.ip}`);
  if (fields.country) facets.push(`country:${fields.country}`);
  if (fields.isp) facets.push(`isp:${fields.isp}`);
  if (fields.success !== undefined) facets.push(`result:${fields.success ? 'success' : 'failure'}`);
  for (const target of event.targetKeys ?? []) facets.push(`target:${target}`);
  return facets;
}

/** Sorts the events newest first (ties by id, descending: the keyset order) and recomputes the summary. */
export function sealChunk(chunk: ActivityChunk): ActivityChunk {
  chunk.events.sort(compareEvents);
  const facets = new Set<string>();
  for (const event of chunk.events) for (const facet of eventFacets(event)) facets.add(facet);
  chunk.count = chunk.events.length;
  chunk.firstTime = chunk.events.at(-1)?.time ?? Infinity;
  chunk.lastTime = chunk.events[0]?.time ?? -Infinity;
  chunk.facets = [...facets];
  chunk.imports = [...new Set(chunk.events.map((event) => event.importId))];
  return chunk;
}

/** Newest first; equal times by id descending, so (time, id) is a total order for keyset paging. */
export function compareEvents(a: { time: number; id: string }, b: { time: number; id: string }): number {
  return b.time - a.time || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

export interface MergeOutcome {
  added: ChunkEvent[];
  updated: { before: ChunkEvent; after: ChunkEvent }[];
  unchanged: number;
}

/**
 * Merges incoming events into a chunk by id: new ones are added, changed ones (another content hash)
 * replace the stored one but keep the import that first brought them, identical ones change nothing.
 * Returns what happened; the chunk is modified in place and needs sealing when anything changed.
 */
export function mergeEvents(chunk: ActivityChunk, incoming: ChunkEvent[]): MergeOutcome {
  const outcome: MergeOutcome = { added: [], updated: [], unchanged: 0 };
  const index = new Map<string, number>();
  chunk.events.forEach((event, i) => index.set(event.id, i));
  for (const event of incoming) {
    const at = index.get(event.id);
    if (at === undefined) {
      index.set(event.id, chunk.events.length);
      chunk.events.push(event);
      outcome.added.push(event);
      continue;
    }
    const before = chunk.events[at]!;
    if (!supersedes(before, event)) {
      outcome.unchanged++;
      continue;
    }
    const after = { ...event, importId: before.importId };
    chunk.events[at] = after;
    outcome.updated.push({ before, after });
  }
  return outcome;
}

interface Versioned {
  time: number;
  contentHash?: string;
  lastUpdateTime?: number;
  lastUpdatedTime?: number;
}

/** When the source says when it last changed a record: the newest version is the one to keep. */
export function versionStamp(record: Versioned): number {
  return record.lastUpdateTime ?? record.lastUpdatedTime ?? record.time;
}

/**
 * Whether an incoming copy of a stored record replaces it. A newer version (by the source's own
 * last-update time) does. Two different copies with the same stamp (the same alert inside an incident
 * export and in an alerts export) are settled by content hash, so the outcome does not depend on which
 * file was imported first, and importing both again changes nothing.
 */
export function supersedes(stored: Versioned, incoming: Versioned): boolean {
  if (stored.contentHash === incoming.contentHash) return false;
  const before = versionStamp(stored);
  const after = versionStamp(incoming);
  if (after !== before) return after > before;
  return (incoming.contentHash ?? '') > (stored.contentHash ?? '');
}

/** Counter keys an event adds one to. */
export function eventCounterKeys(event: ChunkEvent): string[] {
  return ['activities', `activities:type:${eventType(event)}`, `activities:source:${event.source}`, ...facetCounterKeys(event)];
}

/** The activity filter's option fields that are counted (IPs are too many to list as options). */
export const COUNTED_FACETS = ['app', 'country', 'isp'] as const;

/**
 * Per-value counts of the filter bar's option lists, kept at import. Reading the distinct keys of the
 * chunks' multi-entry facet index instead took Chromium 6 s at 100k events (a `nextunique` cursor steps
 * through every duplicate entry), and held up the activity log's first page behind it.
 */
export function facetCounterKeys(event: ChunkEvent): string[] {
  const fields = eventFields(event);
  const keys: string[] = [];
  for (const facet of COUNTED_FACETS) {
    const value = fields[facet];
    if (value) keys.push(`activities:${facet}:${value}`);
  }
  return keys;
}

/**
 * A chunk as IndexedDB holds it: its events as one JSON text (`eventsJson`) instead of an array of
 * objects. Chromium structured-clones each object property by property on the writing thread (9.5 s of
 * the import worker's time at 100k events, more than all parsing); one string is copied whole, and
 * `JSON.stringify`/`JSON.parse` of the same events cost a fraction of that.
 *
 * The fields every event of the chunk holds with the same value (kind, source, format, the user's
 * identifiers, user, import, often the raw batch, app, device…) are written once, in `eventsCommon`, and
 * left out of each event: one user's day of one stream repeats most of them. Measured on a million
 * simulated events: 45–55% fewer bytes to write and to read back, and parsing plus putting the shared
 * fields back takes 30–45% less time than parsing the full text.
 *
 * Chunks written before hold `events`, or `eventsJson` alone, and are read as they are. Only schema.ts
 * converts, at the store's edge, so every other module sees `ActivityChunk` with its events.
 */
export type StoredChunk = Omit<ActivityChunk, 'events'> & { events?: ChunkEvent[]; eventsJson?: string; eventsCommon?: string };

export function packChunk(chunk: ActivityChunk | StoredChunk): StoredChunk {
  if (chunk.events === undefined) return chunk;
  const { events, ...summary } = chunk;
  const common = commonFields(events);
  if (!common) return { ...summary, eventsJson: JSON.stringify(events) };
  const rest = events.map((event) => {
    const own: Record<string, unknown> = {};
    for (const key in event) if (!Object.hasOwn(common, key)) own[key] = event[key as keyof ChunkEvent];
    return own;
  });
  return { ...summary, eventsJson: JSON.stringify(rest), eventsCommon: JSON.stringify(common) };
}

/**
 * The fields (other than undefined ones) that every event holds with an equal value; undefined when
 * there are none, or a single event (nothing to share). Objects compare by their JSON text.
 */
export function commonFields(events: readonly ChunkEvent[]): Record<string, unknown> | undefined {
  if (events.length < 2) return undefined;
  const all = events as unknown as Record<string, unknown>[];
  const first = all[0]!;
  const common: Record<string, unknown> = {};
  let found = false;
  for (const key of Object.keys(first)) {
    const value = first[key];
    if (value === undefined) continue;
    if (value !== null && typeof value === 'object') {
      const text = JSON.stringify(value);
      if (!all.every((event) => event[key] === value || (typeof event[key] === 'object' && JSON.stringify(event[key]) === text))) continue;
    } else if (!all.every((event) => event[key] === value)) continue;
    common[key] = value;
    found = true;
  }
  return found ? common : undefined;
}

/** Also given what a read did not find (`bulkGet` of a missing key): that stays undefined. */
export function unpackChunk(row: StoredChunk | undefined): ActivityChunk | undefined {
  if (row?.eventsJson === undefined) return row as ActivityChunk | undefined;
  const { eventsJson, eventsCommon, ...summary } = row;
  const events = JSON.parse(eventsJson) as ChunkEvent[];
  if (eventsCommon !== undefined) {
    // Shared, not copied: frozen, so that code changing one event's identifiers in place fails loudly
    // instead of changing every event of the chunk.
    const common = deepFreeze(JSON.parse(eventsCommon) as Partial<ChunkEvent>);
    for (const event of events) Object.assign(event, common);
  }
  return { ...summary, events };
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
