/**
 * The URL contract of the alerts queue and the activity log: `#/alerts?…` and `#/activities?…` carry every
 * filter, so a view can be bookmarked, shared and walked with the back button, and the benchmark and other
 * views can open one. Pure: a query string in, a query out, and back; the views turn a query into the
 * store's filter. Values are kept as the URL wrote them (a time stays the string it was), so a valid URL
 * round-trips unchanged and only an invalid or unknown part is dropped from the canonical form.
 */
import { isActivityPreset, type ActivityFilter, type ActivityPreset, type AlertFilter } from '../db/filters.ts';
import type { QueueSort } from '../db/repo.ts';

export interface AlertQuery {
  source: string[];
  app: string[];
  user?: string;
  severity: string[];
  status: string[];
  type: string[];
  policy: string[];
  /** Items policies hide: absent leaves them out, `show` lists them too (marked), `only` lists just them. */
  hidden?: 'show' | 'only';
  from?: string;
  to?: string;
  q?: string;
  /** Absent is the default, newest first. */
  sort?: QueueSort;
}

export interface ActivityQuery {
  user?: string;
  type: string[];
  app?: string;
  ip?: string;
  country?: string;
  isp?: string;
  result?: 'success' | 'failure';
  from?: string;
  to?: string;
  q?: string;
  preset?: ActivityPreset;
}

const sorts: readonly QueueSort[] = ['time', '-time', 'severity', '-severity'];

/** Vocabulary words (sources, severities, statuses, activity types) never hold commas: one key, a comma list. */
const commaList = (params: URLSearchParams, key: string) => [
  ...new Set(
    params
      .getAll(key)
      .flatMap((value) => value.split(','))
      .map((value) => value.trim())
      .filter(Boolean),
  ),
];
/** Apps, alert types and policies are free text that may hold commas: one key per value. */
const repeated = (params: URLSearchParams, key: string) => [...new Set(params.getAll(key).filter((value) => value.trim() !== ''))];
const single = (params: URLSearchParams, key: string) => {
  const value = params.get(key)?.trim();
  return value ? value : undefined;
};
/** An ISO 8601 instant; anything Date cannot read is dropped rather than guessed. */
const instant = (params: URLSearchParams, key: string) => {
  const value = single(params, key);
  return value !== undefined && Number.isFinite(Date.parse(value)) ? value : undefined;
};

export function parseAlertQuery(search: string): AlertQuery {
  const params = new URLSearchParams(search);
  const sort = params.get('sort') as QueueSort | null;
  const hidden = params.get('hidden');
  return {
    source: commaList(params, 'source'),
    app: repeated(params, 'app'),
    user: single(params, 'user'),
    severity: commaList(params, 'severity'),
    status: commaList(params, 'status'),
    type: repeated(params, 'type'),
    policy: repeated(params, 'policy'),
    hidden: hidden === 'show' || hidden === 'only' ? hidden : undefined,
    from: instant(params, 'from'),
    to: instant(params, 'to'),
    q: single(params, 'q'),
    sort: sort && sorts.includes(sort) ? sort : undefined,
  };
}

/** The canonical query string (no leading `?`), keys in the contract's order; '' when nothing filters. */
export function alertQueryString(query: AlertQuery): string {
  const params = new URLSearchParams();
  if (query.source.length) params.set('source', query.source.join(','));
  for (const app of query.app) params.append('app', app);
  if (query.user) params.set('user', query.user);
  if (query.severity.length) params.set('severity', query.severity.join(','));
  if (query.status.length) params.set('status', query.status.join(','));
  for (const type of query.type) params.append('type', type);
  for (const policy of query.policy) params.append('policy', policy);
  if (query.hidden) params.set('hidden', query.hidden);
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.q) params.set('q', query.q);
  if (query.sort) params.set('sort', query.sort);
  return params.toString();
}

const time = (value: string | undefined) => (value === undefined ? undefined : Date.parse(value));

export function alertFilterOf(query: AlertQuery): { filter: AlertFilter; sort: QueueSort } {
  return {
    filter: {
      sources: query.source,
      apps: query.app,
      userId: query.user,
      severities: query.severity,
      statuses: query.status,
      types: query.type,
      policies: query.policy,
      policyHidden: query.hidden,
      from: time(query.from),
      to: time(query.to),
      text: query.q,
    },
    sort: query.sort ?? '-time',
  };
}

export function parseActivityQuery(search: string): ActivityQuery {
  const params = new URLSearchParams(search);
  const result = params.get('result');
  const preset = params.get('preset');
  return {
    user: single(params, 'user'),
    type: commaList(params, 'type'),
    app: single(params, 'app'),
    ip: single(params, 'ip'),
    country: single(params, 'country'),
    isp: single(params, 'isp'),
    result: result === 'success' || result === 'failure' ? result : undefined,
    from: instant(params, 'from'),
    to: instant(params, 'to'),
    q: single(params, 'q'),
    preset: isActivityPreset(preset) ? preset : undefined,
  };
}

export function activityQueryString(query: ActivityQuery): string {
  const params = new URLSearchParams();
  if (query.user) params.set('user', query.user);
  if (query.type.length) params.set('type', query.type.join(','));
  for (const key of ['app', 'ip', 'country', 'isp', 'result', 'from', 'to', 'q', 'preset'] as const) {
    const value = query[key];
    if (value) params.set(key, value);
  }
  return params.toString();
}

export function activityFilterOf(query: ActivityQuery): ActivityFilter {
  return {
    userId: query.user,
    types: query.type,
    app: query.app,
    ip: query.ip,
    country: query.country,
    isp: query.isp,
    result: query.result,
    from: time(query.from),
    to: time(query.to),
    text: query.q,
    preset: query.preset,
  };
}

export const emptyAlertQuery: AlertQuery = { source: [], app: [], severity: [], status: [], type: [], policy: [] };
export const emptyActivityQuery: ActivityQuery = { type: [] };

const HOUR_MS = 3_600_000;

/** "±48 hours around this": the window an analyst opens around one event, as URL instants. */
export function aroundInstant(time: number, hours = 48): { from: string; to: string } {
  return { from: new Date(time - hours * HOUR_MS).toISOString(), to: new Date(time + hours * HOUR_MS).toISOString() };
}

/**
 * The time filter's text: ISO 8601 in UTC with a 24-hour clock, `2026-10-29 02:51` (seconds only when the
 * instant has them), whatever the OS's locale (a `datetime-local` input follows it: `mm/dd/yyyy, --:-- --`
 * on an American system, a 12-hour clock in a tool whose every other time is UTC and 24-hour).
 */
export function instantToTimeText(value: string | undefined): string {
  if (!value) return '';
  const time = Date.parse(value);
  if (!Number.isFinite(time)) return '';
  const iso = new Date(time).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, iso.slice(17, 23) === '00.000' ? 16 : iso.endsWith('.000Z') ? 19 : 23)}`;
}

const TIME_TEXT = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?)?\s*(?:Z|UTC)?$/i;

/**
 * What the analyst typed in the time filter, read as UTC: a date (`2026-10-29`, its midnight), a date and
 * time (`2026-10-29 02:51`, `T` also accepted, seconds optional), an optional `Z` or `UTC`. Empty clears.
 */
export function parseTimeText(text: string): { instant?: string; error?: string } {
  const trimmed = text.trim();
  if (!trimmed) return {};
  const match = TIME_TEXT.exec(trimmed);
  if (!match) return { error: `"${trimmed}" is not a time: write it as 2026-10-29 or 2026-10-29 14:30 (UTC)` };
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = ''] = match;
  const instant = `${year}-${month}-${day}T${hour}:${minute}:${second}${(fraction || '.0').padEnd(4, '0')}Z`;
  const time = Date.parse(instant);
  // Date.parse rolls 2026-02-30 over to March; a date that does not round-trip does not exist.
  if (!Number.isFinite(time) || new Date(time).toISOString() !== instant)
    return { error: `"${trimmed}" does not exist as a date and time` };
  return { instant };
}
