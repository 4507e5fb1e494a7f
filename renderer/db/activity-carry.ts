/**
 * What an activity-log scan read beyond its page, kept to serve the next pages without reading again.
 *
 * A chunk holds a user's whole day, so every page inside one day reads most of that day's chunks again:
 * scrolling a million-event log cost 150–250 ms a page. The scan has already matched every event of the
 * chunks it read; those past the page are the next pages, as far as the scan can vouch for them: every
 * match newer than its bound (what it did not read is older) is among them.
 *
 * Pure: the repository decides when a carry is still true to the store (nothing written since).
 */
import { compareEvents } from './chunks.ts';

export interface Cursor {
  time: number;
  id: string;
}

export interface ActivityCarry<T extends Cursor> {
  /** The filter (and anything else that decides a match) the scan ran with. */
  key: string;
  /** The last row of the page the scan returned: the carry continues after it. */
  after: Cursor;
  /** Matches after `after`, newest first. */
  events: T[];
  /** How far `events` holds every match: see `Bound`. */
  complete: Bound;
}

/**
 * Every match newer than `time` (and at `time` too when `inclusive`) is known; -Infinity: every match is.
 * A scan by last event time stops at a chunk it did not read, whose events may end at that very time
 * (exclusive); a scan by days stops at a day boundary, before which nothing was left (inclusive).
 */
export interface Bound {
  time: number;
  inclusive: boolean;
}

function vouches(bound: Bound, time: number): boolean {
  return time > bound.time || (bound.inclusive && time === bound.time);
}

/** The most matches a carry keeps: enough for tens of pages, little memory (events are already parsed). */
export const CARRY_MAX_EVENTS = 5_000;

/**
 * A carry from the matches of a scan, sorted newest first, of which the first `limit` were the page.
 * `complete` is the scan's own bound; keeping only the newest `CARRY_MAX_EVENTS` may raise it.
 */
export function carryFrom<T extends Cursor>(key: string, sorted: readonly T[], limit: number, complete: Bound): ActivityCarry<T> | undefined {
  if (sorted.length <= limit || limit <= 0) return undefined;
  const events = sorted.slice(limit, limit + CARRY_MAX_EVENTS);
  const trimmed = sorted.length > limit + CARRY_MAX_EVENTS;
  const last = sorted[limit - 1]!;
  return {
    key,
    after: { time: last.time, id: last.id },
    events,
    // Matches left out sort after the last one kept, so they may share its time: that time is no longer vouched for.
    complete: trimmed && events.at(-1)!.time >= complete.time ? { time: events.at(-1)!.time, inclusive: false } : complete,
  };
}

/**
 * The page after `after` from the carry, or undefined when the carry cannot vouch for all of it (another
 * filter, a cursor before the carry's start, or a page that reaches past what the scan read).
 */
export function pageFromCarry<T extends Cursor>(
  carry: ActivityCarry<T> | undefined,
  key: string,
  after: Cursor,
  limit: number,
): { rows: T[]; next: Cursor | undefined } | undefined {
  if (!carry || carry.key !== key || limit <= 0) return undefined;
  // Events between the carry's start and a newer cursor are not in the carry.
  if (compareEvents(carry.after, after) > 0) return undefined;
  const { events, complete } = carry;
  let at = 0;
  while (at < events.length && compareEvents(after, events[at]!) >= 0) at++;
  const rows: T[] = [];
  for (; at < events.length && rows.length < limit; at++) {
    const event = events[at]!;
    if (!vouches(complete, event.time)) return undefined;
    rows.push(event);
  }
  // One more match (vouched for or not: it exists) means a next page.
  if (rows.length === limit && at < events.length) {
    const last = rows[limit - 1]!;
    return { rows, next: { time: last.time, id: last.id } };
  }
  // The carry ran out: that is the log's end only if the scan read everything it could match.
  return complete.time === -Infinity ? { rows, next: undefined } : undefined;
}
