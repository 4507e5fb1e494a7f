/**
 * How often the views re-query while an import commits. Every open list re-reads the rows it shows when told
 * the data changed (so the analyst keeps their place), and reading activity chunks parses them on the page's
 * thread: told after every parsed batch, a list scrolled during a 200k-event import dropped one frame in eight
 * to long tasks. Commits are coalesced instead: the first is told at once, later ones at most once an interval,
 * and the last one always (trailing), so a view is never left showing data older than the interval.
 */
export const DATA_REFRESH_MS = 3000;

export interface DataChangeNotifier {
  /** Some data committed: tell the views now, or once the interval since the last telling has passed. */
  changed(): void;
  /** Tell the views now (an import ended), dropping any telling still waiting. */
  flush(): void;
}

export function dataChangeNotifier(tell: () => void, intervalMs = DATA_REFRESH_MS, now: () => number = () => performance.now()): DataChangeNotifier {
  let lastTold = -Infinity;
  let waiting: ReturnType<typeof setTimeout> | undefined;
  const tellNow = () => {
    if (waiting !== undefined) clearTimeout(waiting);
    waiting = undefined;
    lastTold = now();
    tell();
  };
  return {
    changed() {
      if (waiting !== undefined) return;
      const due = lastTold + intervalMs - now();
      if (due <= 0) tellNow();
      else waiting = setTimeout(tellNow, due);
    },
    flush: tellNow,
  };
}
