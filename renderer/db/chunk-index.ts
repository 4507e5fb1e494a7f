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
import type { ChunkKey } from './schema.ts';

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
