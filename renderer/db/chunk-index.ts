/**
 * Reads of the activity chunks' indexes shared by the activity log (repo.ts) and the user page (userpage.ts).
 *
 * Why not `where('facets').anyOf(values)`: Dexie answers anyOf with a cursor that jumps from value to value,
 * and a cursor costs one IndexedDB round trip per entry it visits (about 1–2 ms each in Chromium here), so
 * the 126 chunk keys of one user's targets took 300 ms. `equals(value).primaryKeys()` is a single
 * `getAllKeys` request per value, and the values are asked for at once.
 */
import { chunkId } from './chunks.ts';
import { db } from './index.ts';
import type { ActivityChunk, ChunkKey } from './schema.ts';

/** The keys of the chunks whose `facets` hold any of these values, each once, in no particular order. */
export async function chunkKeysByFacets(values: readonly string[]): Promise<ChunkKey[]> {
  const distinct = [...new Set(values)];
  const lists = await Promise.all(distinct.map((value) => db.activityChunks.where('facets').equals(value).primaryKeys() as Promise<ChunkKey[]>));
  if (lists.length === 1) return lists[0]!;
  const seen = new Set<string>();
  return lists.flat().filter((key) => {
    const id = chunkId(key);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/** Fewest chunks read per request when a page reads day after day: a user's day is often a handful of chunks. */
export const MIN_CHUNKS_PER_READ = 12;

/**
 * Reads for chunks grouped by day, newest day first. The newest day is read alone (in a big workspace it
 * often fills the page, and every chunk read costs); after it, a day's read takes the days after it along
 * until the group holds MIN_CHUNKS_PER_READ chunks, so a page that needs several small days waits for a
 * few requests instead of one per day (each waits for the main thread, busy rendering the page meanwhile).
 * A day is only read once asked for; the rest of its group is then read with it.
 */
export function dayReads(days: number[], byDay: Map<number, ChunkKey[]>): Map<number, () => Promise<ActivityChunk[]>> {
  const reads = new Map<number, () => Promise<ActivityChunk[]>>();
  for (let start = 0; start < days.length;) {
    const newest = start === 0;
    const group: number[] = [];
    let size = 0;
    while (start < days.length && (!group.length || (!newest && size < MIN_CHUNKS_PER_READ))) {
      group.push(days[start]!);
      size += byDay.get(days[start]!)!.length;
      start++;
    }
    let read: Promise<Map<number, ActivityChunk[]>> | undefined;
    const load = () =>
      (read ??= db.activityChunks.bulkGet(group.flatMap((day) => byDay.get(day)!)).then((rows) => {
        const found = new Map<number, ActivityChunk[]>(group.map((day) => [day, []]));
        for (const chunk of rows as (ActivityChunk | undefined)[]) if (chunk) found.get(chunk.day)!.push(chunk);
        return found;
      }));
    for (const day of group) reads.set(day, () => load().then((found) => found.get(day)!));
  }
  return reads;
}
