/**
 * Where an import's time goes: wall-clock milliseconds summed per stage (reading, hashing, parsing,
 * each step of a batch's transaction). A few `performance.now()` calls per batch, so it is always on;
 * the worker logs the totals when the page asks for them (`localStorage['sightline:debug-import']`).
 */
export class StageClock {
  private readonly totals = new Map<string, number>();
  private readonly counts = new Map<string, number>();

  /**
   * A lap timer: each call adds the time since the previous call (or since `split`) to a stage. Each piece of
   * work takes its own, because timed work interleaves (a batch commits while the next one is prepared).
   */
  split(): (stage: string) => void {
    let last = performance.now();
    return (stage) => {
      const now = performance.now();
      this.add(stage, now - last);
      last = now;
    };
  }

  add(stage: string, ms: number): void {
    this.totals.set(stage, (this.totals.get(stage) ?? 0) + ms);
  }

  /** Counts things beside the times (rows written, batches). */
  count(name: string, n: number): void {
    this.counts.set(name, (this.counts.get(name) ?? 0) + n);
  }

  /** Stages, largest first, in whole milliseconds, and the counts. */
  report(): { ms: Record<string, number>; counts: Record<string, number> } {
    return {
      ms: Object.fromEntries([...this.totals].sort((a, b) => b[1] - a[1]).map(([stage, ms]) => [stage, Math.round(ms)])),
      counts: Object.fromEntries(this.counts),
    };
  }
}
