import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packChunk, unpackChunk } from './chunks.ts';
import type { ActivityChunk, ChunkEvent } from './schema.ts';

const summary = { userId: 'u', day: 0, stream: 'signIn', firstTime: 0, lastTime: 0, facets: [], imports: ['i'] };

function chunkOf(events: Record<string, unknown>[]): ActivityChunk {
  return { ...summary, count: events.length, events: events as unknown as ChunkEvent[] };
}

/** What an event reads back as: JSON's view of it (undefined fields gone). */
function asJson(events: Record<string, unknown>[]): unknown {
  return JSON.parse(JSON.stringify(events));
}

describe('packChunk and unpackChunk', () => {
  it('read back every event as written, whatever its fields hold', () => {
    // Few values per field, so that fields repeat, are shared by all, or mix kinds of values.
    const value = fc.oneof(
      fc.constantFrom('a', 'b', 'Mozilla/5.0 (X11; Linux x86_64)', '0', ''),
      fc.constantFrom(0, 1, 2.5, -1),
      fc.boolean(),
      fc.constant(null),
      fc.constant(undefined),
      fc.constantFrom({ country: 'US' }, { country: 'RO', city: 'Iași' }, [], ['x', 'y'], { nested: { deep: [1, { k: 'v' }] } }),
    );
    const event = fc.record(
      {
        kind: fc.constantFrom('signIn', 'activity'),
        time: fc.integer({ min: 0, max: 1e13 }),
        f1: value,
        f2: value,
        f3: value,
        location: value,
      },
      { requiredKeys: ['kind', 'time'] },
    );
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 12 }), (drawn) => {
        const events = drawn.map((fields, n) => ({ id: `${fields.kind}:${n}`, ...fields }) as Record<string, unknown>);
        const stored = packChunk(chunkOf(events));
        expect(stored.events).toBeUndefined();
        const read = unpackChunk(JSON.parse(JSON.stringify(stored)))!;
        expect(read.events).toEqual(asJson(events));
        expect(read.count).toBe(events.length);
      }),
      { numRuns: 500 },
    );
  });

  it('read chunks written before the events were JSON text, as they are', () => {
    const events = [{ id: 'a:1', kind: 'a', t: 1 }];
    const row = { ...summary, count: 1, events };
    expect(unpackChunk(row as never)!.events).toBe(events);
    expect(unpackChunk(undefined)).toBeUndefined();
  });
});
