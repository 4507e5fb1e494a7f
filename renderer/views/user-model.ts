/**
 * What the user page computes from a user's records, kept pure (no Dexie, no DOM) so it is tested
 * on real exports without a browser: the timeline's filter, the density strip's bins, the table of
 * places, addresses, devices and apps seen, and which alerts have no activity of the user around them.
 */
import type { SourceProduct } from '../../shared/model/records.ts';
import type { ChunkEvent, StoredAlert, StoredRiskDetection } from '../db/schema.ts';

export type TimelineItem = StoredAlert | StoredRiskDetection | ChunkEvent;

/** The timeline's type of an item: `alert`, `riskDetection`, `signIn`, or an activity's type such as `officeActivity`. */
export function timelineType(item: TimelineItem): string {
  return item.kind === 'activity' ? item.activityType : item.kind;
}

/** The lane an item is drawn in on the density strip. */
export type TimelineLane = 'alerts' | 'signIns' | 'activities';

export function laneOf(type: string): TimelineLane {
  return type === 'alert' || type === 'riskDetection' ? 'alerts' : type === 'signIn' ? 'signIns' : 'activities';
}

/**
 * An item's severity on the alert scale: an alert's own, a detection's risk level, a sign-in's risk
 * while it was at risk. Activities have none; a severity filter leaves them out.
 */
export function timelineSeverity(item: TimelineItem): string | undefined {
  if (item.kind === 'alert') return item.severity;
  if (item.kind === 'riskDetection') return item.riskLevel;
  if (item.kind === 'signIn') {
    const level = item.riskLevelDuringSignIn ?? item.riskLevelAggregated;
    return level && level !== 'none' && level !== 'hidden' ? level : undefined;
  }
  return undefined;
}

export interface TimelineFilter {
  types?: string[];
  sources?: SourceProduct[];
  severities?: string[];
}

export function isFilterEmpty(filter: TimelineFilter): boolean {
  return !filter.types?.length && !filter.sources?.length && !filter.severities?.length;
}

export function matchesTimelineFilter(item: TimelineItem, filter: TimelineFilter): boolean {
  if (filter.types?.length && !filter.types.includes(timelineType(item))) return false;
  if (filter.sources?.length && !filter.sources.includes(item.source)) return false;
  if (filter.severities?.length) {
    const severity = timelineSeverity(item);
    if (!severity || !filter.severities.includes(severity)) return false;
  }
  return true;
}

/**
 * One point per record of the user, small enough to keep every one in memory for a busy user: the
 * density strip bins them at any zoom, and the filter applies to them as to the list.
 */
export interface TimelinePoint {
  time: number;
  type: string;
  source: SourceProduct;
  severity?: string;
  /** An alert's activity span, for "is there activity around it?". */
  firstActivity?: number;
  lastActivity?: number;
}

export function pointOf(item: TimelineItem): TimelinePoint {
  const point: TimelinePoint = { time: item.time, type: timelineType(item), source: item.source, severity: timelineSeverity(item) };
  if (item.kind === 'alert') {
    point.firstActivity = item.firstActivity;
    point.lastActivity = item.lastActivity;
  }
  return point;
}

export function pointMatches(point: TimelinePoint, filter: TimelineFilter): boolean {
  if (filter.types?.length && !filter.types.includes(point.type)) return false;
  if (filter.sources?.length && !filter.sources.includes(point.source)) return false;
  if (filter.severities?.length && (!point.severity || !filter.severities.includes(point.severity))) return false;
  return true;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
/** Bin widths the strip may use, finest first: a range of minutes is drawn by the minute, months by the day or week. */
export const BIN_SIZES = [MINUTE, 5 * MINUTE, 15 * MINUTE, HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 7 * DAY] as const;

/** The finest bin that keeps the strip at no more than `maxBins` bars. */
export function chooseBinSize(spanMs: number, maxBins = 120): number {
  return BIN_SIZES.find((size) => spanMs / size <= maxBins) ?? BIN_SIZES.at(-1)!;
}

export interface DensityBin {
  start: number;
  end: number;
  alerts: number;
  signIns: number;
  activities: number;
}

/**
 * Counts per bin and lane over [from, to), bins aligned to multiples of the bin size (UTC), so a
 * bin's edges do not move as the analyst pans.
 */
export function densityBins(points: readonly TimelinePoint[], from: number, to: number, binMs: number, filter: TimelineFilter = {}): DensityBin[] {
  const first = Math.floor(from / binMs) * binMs;
  const count = Math.max(1, Math.ceil((to - first) / binMs));
  const bins: DensityBin[] = Array.from({ length: count }, (_, i) => ({
    start: first + i * binMs,
    end: first + (i + 1) * binMs,
    alerts: 0,
    signIns: 0,
    activities: 0,
  }));
  for (const point of points) {
    if (point.time < from || point.time >= to || !pointMatches(point, filter)) continue;
    const bin = bins[Math.floor((point.time - first) / binMs)];
    if (bin) bin[laneOf(point.type)]++;
  }
  return bins;
}

export type SeenKind = 'country' | 'ip' | 'device' | 'app';

export interface SeenRow {
  kind: SeenKind;
  value: string;
  first: number;
  last: number;
  count: number;
  /** Whether a failed sign-in or activity used it. */
  failures: number;
}

/** What an item says about where, from what and into what the user came. */
export function seenValues(item: TimelineItem): [SeenKind, string][] {
  const out: [SeenKind, string][] = [];
  const add = (kind: SeenKind, value: string | undefined) => {
    if (value) out.push([kind, value]);
  };
  if (item.kind === 'alert') {
    for (const ip of item.ipAddresses) add('ip', ip);
    for (const device of item.devices) add('device', device);
    return out;
  }
  add('country', item.location?.country);
  add('ip', item.ipAddress);
  if (item.kind === 'signIn') {
    add('app', item.appDisplayName);
    add('device', item.deviceId ? item.deviceId : [item.deviceOs, item.deviceBrowser].filter(Boolean).join(' · ') || undefined);
  } else if (item.kind === 'activity') {
    add('app', item.app);
    add('device', item.deviceName);
  }
  return out;
}

/** Folds a user's records one at a time into the seen table, so the records need not be held. */
export class SeenAccumulator {
  private rows = new Map<string, SeenRow>();

  add(item: TimelineItem): void {
    const failed = (item.kind === 'signIn' || item.kind === 'activity') && item.success === false;
    for (const [kind, value] of seenValues(item)) {
      const key = `${kind}\u0001${value}`;
      const row = this.rows.get(key);
      if (!row) {
        this.rows.set(key, { kind, value, first: item.time, last: item.time, count: 1, failures: failed ? 1 : 0 });
        continue;
      }
      row.first = Math.min(row.first, item.time);
      row.last = Math.max(row.last, item.time);
      row.count++;
      if (failed) row.failures++;
    }
  }

  /** Newest first seen first: what appeared last is what an investigation looks at first. */
  result(kind?: SeenKind): SeenRow[] {
    return [...this.rows.values()].filter((row) => !kind || row.kind === kind).sort((a, b) => b.first - a.first || (a.value < b.value ? -1 : 1));
  }
}

/** The window around an alert in which a sign-in or activity of the user counts as related. */
export const RELATED_ACTIVITY_SLACK_MS = HOUR;

/** Index of the first element of the ascending `sorted` that is ≥ `value`. */
function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (sorted[mid]! < value) low = mid + 1;
    else high = mid;
  }
  return low;
}

/**
 * Whether the user has any sign-in or activity within the alert's span (first to last activity,
 * widened by the slack). `activityTimes` is ascending.
 */
export function hasActivityNear(alert: Pick<StoredAlert, 'time' | 'firstActivity' | 'lastActivity'>, activityTimes: ArrayLike<number>): boolean {
  const from = (alert.firstActivity ?? alert.time) - RELATED_ACTIVITY_SLACK_MS;
  const to = (alert.lastActivity ?? alert.firstActivity ?? alert.time) + RELATED_ACTIVITY_SLACK_MS;
  const at = lowerBound(activityTimes, from);
  return at < activityTimes.length && activityTimes[at]! <= to;
}

/** A range to show: the whole history, or what the analyst zoomed to. */
export interface TimeRange {
  from: number;
  to: number;
}

/** Zooms around a centre by a factor (<1 in, >1 out), kept inside the user's history. */
export function zoomRange(range: TimeRange, factor: number, bounds: TimeRange, minSpan = 10 * MINUTE): TimeRange {
  const span = Math.min(bounds.to - bounds.from, Math.max(minSpan, (range.to - range.from) * factor));
  const centre = (range.from + range.to) / 2;
  let from = centre - span / 2;
  let to = centre + span / 2;
  if (from < bounds.from) [from, to] = [bounds.from, bounds.from + span];
  if (to > bounds.to) [from, to] = [bounds.to - span, bounds.to];
  return { from: Math.round(from), to: Math.round(to) };
}
