/**
 * Where an import's time goes: wall-clock milliseconds summed per stage (reading, hashing, parsing,
 * each step of a batch's transaction). A few `performance.now()` calls per batch, so it is always on;
 * the worker logs the totals when the page asks for them (`localStorage['sightline:debug-import']`).
 */
export class StageClock {
  private readonly totals = new Map<string, number>();
  private last = performance.now();

  /** Adds the time since the previous `lap` (or `restart`) to `stage`. */
  lap(stage: string): void {
    const now = performance.now();
    this.add(stage, now - this.last);
    this.last = now;
  }

  /** Starts timing afresh: what passed since the previous lap belongs to no stage. */
  restart(): void {
    this.last = performance.now();
  }

  add(stage: string, ms: number): void {
    this.totals.set(stage, (this.totals.get(stage) ?? 0) + ms);
  }

  /** Stages, largest first, in whole milliseconds. */
  report(): Record<string, number> {
    return Object.fromEntries([...this.totals].sort((a, b) => b[1] - a[1]).map(([stage, ms]) => [stage, Math.round(ms)]));
  }
}
