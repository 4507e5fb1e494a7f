/**
 * The dashboard's arithmetic, pure: alerts over time stacked by source or severity, totals in a
 * range, and the queue URLs every number links to. The store hands it one small point per alert.
 */
import { sourceLabels, type SourceProduct } from '../../shared/model/records.ts';

/** One alert (or risk detection, which the queue lists beside alerts) as the dashboard counts it. */
export interface AlertPoint {
  time: number;
  source: SourceProduct;
  severity: string;
  status: string;
  userId: string;
}

export type StackBy = 'source' | 'severity';

export const SEVERITY_ORDER = ['high', 'medium', 'low', 'informational'] as const;
/** Severities outside the scale (a source's own word, or none) are counted as one "other" series. */
export const OTHER_SEVERITY = 'other';

export function severityKey(severity: string): string {
  return (SEVERITY_ORDER as readonly string[]).includes(severity) ? severity : OTHER_SEVERITY;
}

export const SOURCE_ORDER = Object.keys(sourceLabels) as SourceProduct[];

export interface Range {
  from?: number;
  to?: number;
}

export const inRange = (time: number, range: Range) => (range.from === undefined || time >= range.from) && (range.to === undefined || time < range.to);

export interface HistogramBin {
  start: number;
  end: number;
  counts: Record<string, number>;
  total: number;
}

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** How long one bar of the alerts chart is: chosen so a chart holds tens to a few hundred bars, never thousands. */
export type BinUnit = 'hour' | 'day' | 'week' | 'month';

/** Hours when all of it fits in three days, days up to four months, ISO weeks up to two years, then months. */
export function histogramUnit(first: number, last: number): BinUnit {
  const span = last - first;
  if (span <= 3 * DAY) return 'hour';
  if (span <= 120 * DAY) return 'day';
  if (span <= 730 * DAY) return 'week';
  return 'month';
}

/** The start of the UTC bin holding `time`: weeks begin on Monday, months on the 1st. */
export function binStart(time: number, unit: BinUnit): number {
  switch (unit) {
    case 'hour':
      return Math.floor(time / HOUR) * HOUR;
    case 'day':
      return Math.floor(time / DAY) * DAY;
    case 'week': {
      // Day 0 (1970-01-01) was a Thursday: shift by three days so weeks start on Monday.
      const day = Math.floor(time / DAY);
      return (day - ((((day + 3) % 7) + 7) % 7)) * DAY;
    }
    case 'month': {
      const date = new Date(time);
      return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
    }
  }
}

function nextBinStart(start: number, unit: BinUnit): number {
  if (unit === 'month') {
    const date = new Date(start);
    return Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  }
  return start + (unit === 'hour' ? HOUR : unit === 'day' ? DAY : 7 * DAY);
}

/** What one bar holds, for the chart's caption. */
export const binUnitWords: Record<BinUnit, string> = { hour: 'hour', day: 'UTC day', week: 'week (Monday to Sunday, UTC)', month: 'month (UTC)' };

/**
 * A bar's axis label and tooltip title. Day, week and month bins are UTC spans and named by their UTC dates;
 * the year shows when the bins cross one. Hour bins are labelled by the caller in the analyst's time zone.
 */
export function binLabels(start: number, unit: Exclude<BinUnit, 'hour'>, spansYears: boolean): { label: string; title: string } {
  const date = new Date(start).toISOString().slice(0, 10);
  if (unit === 'month') return { label: date.slice(0, 7), title: new Date(start).toLocaleString('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' }) };
  const label = spansYears ? date : date.slice(5);
  return { label, title: unit === 'week' ? `week of ${date}` : date };
}

/**
 * Alerts per bin, split by source or severity, over every bin between the first and last point so
 * quiet days show as gaps rather than disappearing.
 */
export function alertHistogram(points: readonly AlertPoint[], by: StackBy, unit?: BinUnit): { bins: HistogramBin[]; keys: string[]; unit: BinUnit } {
  if (!points.length) return { bins: [], keys: [], unit: unit ?? 'day' };
  let first = Infinity;
  let last = -Infinity;
  for (const point of points) {
    if (point.time < first) first = point.time;
    if (point.time > last) last = point.time;
  }
  const size = unit ?? histogramUnit(first, last);
  const bins: HistogramBin[] = [];
  for (let start = binStart(first, size); start <= last; start = nextBinStart(start, size))
    bins.push({ start, end: nextBinStart(start, size), counts: {}, total: 0 });
  const index = new Map(bins.map((bin, i) => [bin.start, i]));
  const seen = new Set<string>();
  for (const point of points) {
    const key = by === 'source' ? point.source : severityKey(point.severity);
    const bin = bins[index.get(binStart(point.time, size))!]!;
    bin.counts[key] = (bin.counts[key] ?? 0) + 1;
    bin.total++;
    seen.add(key);
  }
  const order: readonly string[] = by === 'source' ? SOURCE_ORDER : [...SEVERITY_ORDER, OTHER_SEVERITY];
  return { bins, keys: order.filter((key) => seen.has(key)), unit: size };
}

export interface AlertTotals {
  total: number;
  open: number;
  bySource: Map<SourceProduct, number>;
  bySeverity: Map<string, number>;
  byUser: Map<string, number>;
}

/** Statuses that mean nobody needs to look any more (the queue's "closed"). */
export const CLOSED_STATUSES = new Set(['resolved', 'dismissed', 'closed', 'remediated', 'confirmedSafe']);

export function alertTotals(points: readonly AlertPoint[], range: Range = {}): AlertTotals {
  const totals: AlertTotals = { total: 0, open: 0, bySource: new Map(), bySeverity: new Map(), byUser: new Map() };
  for (const point of points) {
    if (!inRange(point.time, range)) continue;
    totals.total++;
    if (!CLOSED_STATUSES.has(point.status)) totals.open++;
    totals.bySource.set(point.source, (totals.bySource.get(point.source) ?? 0) + 1);
    const severity = severityKey(point.severity);
    totals.bySeverity.set(severity, (totals.bySeverity.get(severity) ?? 0) + 1);
    if (point.userId) totals.byUser.set(point.userId, (totals.byUser.get(point.userId) ?? 0) + 1);
  }
  return totals;
}

export interface AlertQuery extends Range {
  sources?: string[];
  severities?: string[];
  statuses?: string[];
  user?: string;
}

/** The alerts queue's URL for a filter (the contract the queue reads): `#/alerts?source=…&severity=…&status=…&user=…&from=…&to=…`. */
export function alertsHref(query: AlertQuery): string {
  const params = new URLSearchParams();
  if (query.sources?.length) params.set('source', query.sources.join(','));
  if (query.severities?.length) params.set('severity', query.severities.join(','));
  if (query.statuses?.length) params.set('status', query.statuses.join(','));
  if (query.user) params.set('user', query.user);
  if (query.from !== undefined) params.set('from', new Date(query.from).toISOString());
  if (query.to !== undefined) params.set('to', new Date(query.to).toISOString());
  const text = params.toString();
  return text ? `/alerts?${text}` : '/alerts';
}

export interface ActivityQuery extends Range {
  user?: string;
  type?: string;
  country?: string;
  result?: 'failure' | 'success';
}

/** The activity log's URL for a filter: `#/activities?user=…&type=…&country=…&result=failure&from=…&to=…`. */
export function activitiesHref(query: ActivityQuery): string {
  const params = new URLSearchParams();
  if (query.user) params.set('user', query.user);
  if (query.type) params.set('type', query.type);
  if (query.country) params.set('country', query.country);
  if (query.result) params.set('result', query.result);
  if (query.from !== undefined) params.set('from', new Date(query.from).toISOString());
  if (query.to !== undefined) params.set('to', new Date(query.to).toISOString());
  const text = params.toString();
  return text ? `/activities?${text}` : '/activities';
}

/** Reads an ISO instant from a URL parameter; anything unparsable is no bound. */
export function parseInstant(value: string | null): number | undefined {
  if (!value) return undefined;
  const time = Date.parse(value);
  return Number.isFinite(time) ? time : undefined;
}
