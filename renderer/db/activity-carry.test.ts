import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CARRY_MAX_EVENTS, carryFrom, pageFromCarry, type Bound, type Cursor } from './activity-carry.ts';
import { compareEvents } from './chunks.ts';

/** The pages of `truth` after `after`, `limit` at a time, as keyset paging defines them. */
function truePage(truth: Cursor[], after: Cursor, limit: number) {
  const rest = truth.filter((event) => compareEvents(after, event) < 0);
  const rows = rest.slice(0, limit);
  return { rows, next: rest.length > limit ? { time: rows.at(-1)!.time, id: rows.at(-1)!.id } : undefined };
}

describe('the activity carry', () => {
  it('serves only pages equal to keyset pages of the whole log, as far as the scan vouched', () => {
    fc.assert(
      fc.property(
        // Few distinct times, so that ties cross page and bound edges.
        fc.array(fc.integer({ min: 0, max: 12 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: -1, max: 13 }),
        fc.boolean(),
        fc.array(fc.boolean(), { minLength: 80, maxLength: 80 }),
        (times, limit, boundTime, inclusive, readOlder) => {
          const truth = times.map((time, i) => ({ time, id: `e${String(i).padStart(3, '0')}` })).sort(compareEvents);
          const bound: Bound = boundTime < 0 ? { time: -Infinity, inclusive: false } : { time: boundTime, inclusive };
          const vouched = (time: number) => time > bound.time || (bound.inclusive && time === bound.time);
          // What a scan matched: everything it vouches for, and some older events of the chunks it read.
          const found = truth.filter((event, i) => vouched(event.time) || readOlder[i]);
          const carry = carryFrom('k', found, limit, bound);
          // The scan's own page is right only when the newest `limit` events are vouched for (the scan guarantees that).
          if (!carry || !found.slice(0, limit + 1).every((event) => vouched(event.time))) return;
          let after: Cursor = carry.after;
          let served = 0;
          for (;;) {
            const page = pageFromCarry(carry, 'k', after, limit);
            if (!page) break;
            expect(page).toEqual(truePage(truth, after, limit));
            served++;
            if (!page.next) break;
            after = page.next;
          }
          // With everything read, the carry serves every page to the end.
          if (bound.time === -Infinity) expect(served).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('stops at the time its scan stopped at, since unread chunks may hold events of that very time', () => {
    const truth = [
      { time: 9, id: 'a' },
      { time: 8, id: 'b' },
      { time: 5, id: 'e4' },
      { time: 5, id: 'e3' },
      { time: 5, id: 'e2' },
      { time: 5, id: 'e1' },
    ];
    // e3 sits in a chunk the scan did not read (that chunk's last event is at 5).
    const found = truth.filter((event) => event.id !== 'e3');
    const carry = carryFrom('k', found, 1, { time: 5, inclusive: false })!;
    expect(pageFromCarry(carry, 'k', carry.after, 1)).toEqual(truePage(truth, carry.after, 1));
    expect(pageFromCarry(carry, 'k', { time: 8, id: 'b' }, 1)).toBeUndefined();
    // A scan that stopped at a day boundary vouches for that time itself.
    const byDay = carryFrom('k', truth, 1, { time: 5, inclusive: true })!;
    expect(pageFromCarry(byDay, 'k', { time: 5, id: 'e4' }, 1)).toEqual(truePage(truth, { time: 5, id: 'e4' }, 1));
  });

  it('serves nothing for another filter, or for a cursor newer than where it starts', () => {
    const events = Array.from({ length: 30 }, (_, i) => ({ time: 100 - i, id: `e${i}` }));
    const carry = carryFrom('a', events, 10, { time: -Infinity, inclusive: false })!;
    expect(pageFromCarry(carry, 'a', carry.after, 10)?.rows).toEqual(events.slice(10, 20));
    expect(pageFromCarry(carry, 'b', carry.after, 10)).toBeUndefined();
    expect(pageFromCarry(carry, 'a', { time: events[3]!.time, id: events[3]!.id }, 10)).toBeUndefined();
    expect(pageFromCarry(undefined, 'a', carry.after, 10)).toBeUndefined();
    expect(carryFrom('a', events.slice(0, 10), 10, { time: -Infinity, inclusive: false })).toBeUndefined();
  });

  it('keeps at most its cap, and then vouches only for times newer than the last kept', () => {
    const events = Array.from({ length: CARRY_MAX_EVENTS + 500 }, (_, i) => ({ time: 1e6 - Math.floor(i / 3), id: `e${String(i).padStart(6, '0')}` })).sort(
      compareEvents,
    );
    const carry = carryFrom('a', events, 100, { time: -Infinity, inclusive: false })!;
    expect(carry.events.length).toBe(CARRY_MAX_EVENTS);
    expect(carry.complete).toEqual({ time: carry.events.at(-1)!.time, inclusive: false });
    let after: Cursor = carry.after;
    let page = pageFromCarry(carry, 'a', after, 100);
    let pages = 0;
    while (page) {
      expect(page).toEqual(truePage(events, after, 100));
      pages++;
      after = page.next!;
      page = pageFromCarry(carry, 'a', after, 100);
    }
    expect(pages).toBe(49);
  });
});
