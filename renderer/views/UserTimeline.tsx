import { useEffect, useMemo, useRef, useState } from 'react';
import { Bar, BarChart, Brush, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { sourceLabels, type SourceProduct } from '../../shared/model/records.ts';
import { ResultBadge, RiskLevelBadge, SourceLabel } from '../components/Badges.tsx';
import { summarize } from '../components/describe.ts';
import { formatNumber, formatTime, humanize, timeParts } from '../components/format.ts';
import { Time, useTimeZone } from '../components/Time.tsx';
import { readTimelinePage, type TimelinePage, type UserHistory } from '../db/userpage.ts';
import { useImportQueue } from '../import/queue.ts';
import { useDisabledSources } from '../settings/sources.ts';
import {
  chooseBinSize,
  densityBins,
  hasActivityNear,
  isFilterEmpty,
  pointMatches,
  timelineSeverity,
  timelineType,
  zoomRange,
  type TimelineFilter,
  type TimelineItem,
  type TimeRange,
} from './user-model.ts';

const typeLabels: Record<string, string> = {
  alert: 'Alerts',
  riskDetection: 'Risk detections',
  signIn: 'Sign-ins',
  onPremLogon: 'On-prem logons',
  directoryChange: 'Directory changes',
  directoryQuery: 'Directory queries',
  directoryAudit: 'Directory audit',
  cloudAppActivity: 'Cloud app activity',
  officeActivity: 'Office activity',
  workloadSignIn: 'Workload sign-ins',
};
const typeOrder = Object.keys(typeLabels);
const severities = ['high', 'medium', 'low', 'informational'];

/** How many items of a page are drawn at once: a day of a busy user can hold thousands. */
const RENDER_STEP = 100;
const FIRST_PAGE = 60;

let prefetched: { key: string; page: Promise<TimelinePage> } | undefined;

/**
 * Starts reading a user's first timeline page before the page around it has its header: the two
 * reads then overlap instead of queueing one behind the other. The timeline takes it when it mounts.
 */
export function prefetchTimeline(userId: string, dataVersion: number): void {
  const key = `${userId}\u0001${dataVersion}`;
  if (prefetched?.key === key) return;
  const page = readTimelinePage(userId, { limit: FIRST_PAGE });
  // Handled here too: a page that never mounts its timeline (no such user) must not report a rejection.
  page.catch(() => undefined);
  prefetched = { key, page };
}

function takePrefetched(userId: string, dataVersion: number): Promise<TimelinePage> | undefined {
  const found = prefetched?.key === `${userId}\u0001${dataVersion}` ? prefetched.page : undefined;
  prefetched = undefined;
  return found;
}

type PageState = { status: 'loading' } | { status: 'error'; error: string } | ({ status: 'ready' } & TimelinePage);

/**
 * The user's records from every source in one list, newest first, with a density strip above it to
 * zoom from the whole history down to minutes. The list reads one bounded page from the store; the
 * strip draws from the history pass when it arrives (it does not hold the first paint back).
 */
export function UserTimeline({
  userId,
  history,
  onOpen,
  selectedId,
  onFirstPage,
}: {
  userId: string;
  history?: UserHistory;
  onOpen: (item: TimelineItem) => void;
  selectedId?: string;
  onFirstPage?: () => void;
}) {
  const dataVersion = useImportQueue((state) => state.dataVersion);
  const disabledSources = useDisabledSources();
  const [range, setRange] = useState<TimeRange>();
  const [filter, setFilter] = useState<TimelineFilter>({});
  const [page, setPage] = useState<PageState>({ status: 'loading' });
  const [shown, setShown] = useState(RENDER_STEP);
  const [loadingMore, setLoadingMore] = useState(false);
  const firstPageSeen = useRef<string>(undefined);

  useEffect(() => {
    let live = true;
    const initial = !range && isFilterEmpty(filter) ? takePrefetched(userId, dataVersion) : undefined;
    (initial ?? readTimelinePage(userId, { from: range?.from, to: range?.to, filter, limit: FIRST_PAGE })).then(
      (result) => {
        if (!live) return;
        setShown(RENDER_STEP);
        setPage({ status: 'ready', ...result });
      },
      (error: unknown) => live && setPage({ status: 'error', error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, [userId, range, filter, dataVersion, disabledSources]);

  // Told once the first page is committed, not in the same update: the page around the timeline (score
  // charts, identities) re-renders when told, and that re-render held the first items back by up to 190 ms.
  useEffect(() => {
    if (page.status !== 'ready' || firstPageSeen.current === userId) return;
    firstPageSeen.current = userId;
    onFirstPage?.();
    // onFirstPage is a one-shot notification: a new callback identity must not notify again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [page, userId]);

  const loadOlder = async () => {
    if (page.status !== 'ready' || !page.more) return;
    setLoadingMore(true);
    try {
      const next = await readTimelinePage(userId, { from: range?.from, to: page.coveredFrom, filter, limit: FIRST_PAGE * 2 });
      setPage({ status: 'ready', items: [...page.items, ...next.items], coveredFrom: next.coveredFrom, more: next.more });
      setShown((count) => count + RENDER_STEP);
    } finally {
      setLoadingMore(false);
    }
  };

  const bounds = useMemo<TimeRange | undefined>(
    () => (history?.first !== undefined && history.last !== undefined ? { from: history.first, to: history.last + 1 } : undefined),
    [history],
  );
  const presentTypes = useMemo(() => {
    const types = new Set(history?.points.map((point) => point.type));
    if (page.status === 'ready') for (const item of page.items) types.add(timelineType(item));
    return typeOrder.filter((type) => types.has(type));
  }, [history, page]);
  const presentSources = useMemo(() => {
    const sources = new Set<SourceProduct>(history?.points.map((point) => point.source));
    if (page.status === 'ready') for (const item of page.items) sources.add(item.source);
    return (Object.keys(sourceLabels) as SourceProduct[]).filter((source) => sources.has(source));
  }, [history, page]);
  const matching = useMemo(() => {
    if (!history) return undefined;
    return history.points.filter((point) => (!range || (point.time >= range.from && point.time < range.to)) && pointMatches(point, filter)).length;
  }, [history, range, filter]);

  const toggle = (key: 'types' | 'severities', value: string) =>
    setFilter((current) => {
      const values = new Set(current[key] ?? []);
      if (values.has(value)) values.delete(value);
      else values.add(value);
      return { ...current, [key]: [...values] };
    });

  const items = page.status === 'ready' ? page.items : [];
  return (
    <section className="panel timeline-panel" aria-labelledby="user-timeline-heading">
      <header className="panel-header">
        <h2 id="user-timeline-heading">Timeline</h2>
        <span className="muted small" data-testid="timeline-range">
          {range ? (
            <>
              <Time value={range.from} /> – <Time value={range.to} />
            </>
          ) : (
            'Whole history'
          )}
          {matching !== undefined && ` · ${formatNumber(matching)} record${matching === 1 ? '' : 's'}`}
        </span>
      </header>

      <div className="timeline-filters" role="group" aria-label="Filter the timeline">
        <div className="chip-group" role="group" aria-label="Type">
          {presentTypes.map((type) => (
            <button
              key={type}
              type="button"
              className="chip"
              aria-pressed={filter.types?.includes(type) ?? false}
              onClick={() => toggle('types', type)}
              data-testid={`timeline-type-${type}`}
            >
              {typeLabels[type] ?? humanize(type)}
            </button>
          ))}
        </div>
        <div className="chip-group" role="group" aria-label="Severity">
          {severities.map((severity) => (
            <button
              key={severity}
              type="button"
              className={`chip chip-sev-${severity}`}
              aria-pressed={filter.severities?.includes(severity) ?? false}
              onClick={() => toggle('severities', severity)}
            >
              {humanize(severity)}
            </button>
          ))}
        </div>
        <label className="inline-field">
          <span>Source</span>
          <select
            value={filter.sources?.[0] ?? ''}
            onChange={(event) => setFilter((current) => ({ ...current, sources: event.target.value ? [event.target.value as SourceProduct] : [] }))}
            data-testid="timeline-source"
          >
            <option value="">Every source</option>
            {presentSources.map((source) => (
              <option key={source} value={source}>
                {sourceLabels[source]}
              </option>
            ))}
          </select>
        </label>
        {!isFilterEmpty(filter) && (
          <button type="button" className="button small" onClick={() => setFilter({})}>
            Clear filters
          </button>
        )}
      </div>

      {history && bounds ? (
        <DensityStrip history={history} bounds={bounds} range={range ?? bounds} filter={filter} onRange={setRange} zoomed={range !== undefined} />
      ) : history ? (
        // Read, and nothing dated to draw (a user known only from a risky-user record): say so, never "Reading…" forever.
        <p className="muted small density-placeholder" data-testid="density-empty">
          No alert, detection, sign-in or activity of this user to draw over time.
        </p>
      ) : (
        <p className="muted small density-placeholder">Reading the user’s history for the density strip…</p>
      )}

      {page.status === 'error' ? (
        <p className="error-text" role="alert">
          Could not read the timeline: {page.error}
        </p>
      ) : (
        <ol className="timeline" data-testid="user-timeline" data-ready={page.status === 'ready' ? 'true' : undefined} aria-busy={page.status === 'loading'}>
          {items.slice(0, shown).map((item) => (
            <TimelineEntry key={item.id} item={item} selected={selectedId === item.id} onOpen={onOpen} history={history} />
          ))}
        </ol>
      )}
      {page.status === 'ready' && items.length === 0 && (
        <p className="muted" data-testid="timeline-empty">
          {isFilterEmpty(filter) && !range ? 'No records for this user yet.' : 'Nothing matches these filters in this range.'}
        </p>
      )}
      {page.status === 'ready' && (items.length > shown || page.more) && (
        <div className="table-footer">
          <button
            type="button"
            className="button"
            disabled={loadingMore}
            onClick={() => (items.length > shown ? setShown((count) => count + RENDER_STEP) : void loadOlder())}
            data-testid="timeline-more"
          >
            {loadingMore ? 'Reading…' : 'Show older'}
          </button>
          <span className="muted small">
            Showing {formatNumber(Math.min(shown, items.length))} back to <Time value={items[Math.min(shown, items.length) - 1]?.time} />
          </span>
        </div>
      )}
    </section>
  );
}

function TimelineEntry({
  item,
  selected,
  onOpen,
  history,
}: {
  item: TimelineItem;
  selected: boolean;
  onOpen: (item: TimelineItem) => void;
  history?: UserHistory;
}) {
  const { title, detail, success } = summarize(item);
  const severity = timelineSeverity(item);
  const type = timelineType(item);
  // Only an alert of this user can lack "its" activity; an alert about someone else's account is not checked.
  const lonely = item.kind === 'alert' && history && !hasActivityNear(item, history.activityTimes);
  return (
    <li className={`timeline-item kind-${item.kind} sev-${severity ?? 'none'}`} data-type={type} data-source={item.source}>
      <button type="button" className="timeline-button" onClick={() => onOpen(item)} aria-pressed={selected}>
        <span className="timeline-time">
          <Time value={item.time} />
        </span>
        <span className="timeline-title">{title}</span>
        <span className="timeline-badges">
          {item.kind === 'riskDetection' || item.kind === 'alert' ? (
            <RiskLevelBadge level={severity} />
          ) : (
            success !== undefined && <ResultBadge success={success} />
          )}
          <span className="muted small">{typeLabels[type] ?? humanize(type)}</span>
          <SourceLabel source={item.source} />
        </span>
        <span className="timeline-detail muted small">{detail}</span>
        {lonely && (
          <span className="timeline-note small" data-testid="no-related-activity">
            No sign-in or activity of this user within an hour of it in the imported exports
            {item.source === 'defender-for-cloud-apps'
              ? ': Cloud Apps consumes only interactive sign-ins, and a non-interactive one is not exported there.'
              : '.'}
          </span>
        )}
      </button>
    </li>
  );
}

function binLabel(binMs: number): string {
  if (binMs >= 7 * 86_400_000) return 'week';
  if (binMs >= 86_400_000) return 'day';
  if (binMs >= 3_600_000) return binMs === 3_600_000 ? 'hour' : `${binMs / 3_600_000} hours`;
  return binMs === 60_000 ? 'minute' : `${binMs / 60_000} minutes`;
}

const laneColours = { alerts: 'var(--chart-alerts)', signIns: 'var(--chart-signins)', activities: 'var(--chart-activities)' } as const;

/** Bars of records per bin over the range; a brush or a click zooms, buttons step in and out. */
function DensityStrip({
  history,
  bounds,
  range,
  filter,
  onRange,
  zoomed,
}: {
  history: UserHistory;
  bounds: TimeRange;
  range: TimeRange;
  filter: TimelineFilter;
  onRange: (range: TimeRange | undefined) => void;
  zoomed: boolean;
}) {
  const zone = useTimeZone();
  const binMs = chooseBinSize(range.to - range.from);
  const bins = useMemo(() => densityBins(history.points, range.from, range.to, binMs, filter), [history, range, binMs, filter]);
  const pending = useRef<number>(undefined);
  useEffect(() => () => window.clearTimeout(pending.current), []);
  const label = (ms: number) => {
    const { date, time } = timeParts(ms, zone);
    return binMs >= 86_400_000 ? date : binMs >= 3_600_000 ? `${date.slice(5)} ${time.slice(0, 5)}` : time.slice(0, 5);
  };
  const data = bins.map((bin) => ({ ...bin, label: label(bin.start) }));
  const zoomTo = (from: number, to: number) => onRange(from <= bounds.from && to >= bounds.to ? undefined : { from, to });

  return (
    <figure className="density" aria-label="Records over time" data-testid="timeline-density">
      <div className="density-tools">
        <span className="muted small">One bar per {binLabel(binMs)} · drag the handles below the bars or click a bar to zoom</span>
        <div className="segmented" role="group" aria-label="Zoom">
          <button type="button" onClick={() => onRange(zoomRange(range, 0.25, bounds))} data-testid="zoom-in">
            Zoom in
          </button>
          <button type="button" onClick={() => zoomTo(zoomRange(range, 4, bounds).from, zoomRange(range, 4, bounds).to)} disabled={!zoomed}>
            Zoom out
          </button>
          <button type="button" onClick={() => onRange(undefined)} disabled={!zoomed} data-testid="zoom-reset">
            Whole history
          </button>
        </div>
      </div>
      <div className="density-chart">
        <ResponsiveContainer width="100%" height={120}>
          <BarChart
            key={`${range.from}-${range.to}`}
            data={data}
            margin={{ top: 4, right: 8, bottom: 0, left: -24 }}
            barCategoryGap={1}
            onClick={(state) => {
              const bin = typeof state?.activeTooltipIndex === 'number' ? bins[state.activeTooltipIndex] : undefined;
              if (bin && binMs > 60_000) zoomTo(bin.start, bin.end);
            }}
          >
            <XAxis dataKey="label" tick={{ fontSize: 11, fill: 'var(--text-muted)' }} minTickGap={32} />
            <YAxis allowDecimals={false} tick={{ fontSize: 11, fill: 'var(--text-muted)' }} width={48} />
            <Tooltip
              cursor={{ fill: 'var(--hover)' }}
              content={({ active, payload }) => {
                const bin = active ? (payload?.[0]?.payload as (typeof data)[number] | undefined) : undefined;
                if (!bin) return null;
                return (
                  <div className="chart-tooltip">
                    <strong>
                      {formatTime(bin.start, zone)} – {label(bin.end)}
                    </strong>
                    <p>
                      {formatNumber(bin.alerts)} alerts and detections · {formatNumber(bin.signIns)} sign-ins · {formatNumber(bin.activities)} activities
                    </p>
                  </div>
                );
              }}
            />
            <Bar dataKey="activities" stackId="n" fill={laneColours.activities} isAnimationActive={false} name="Activities" />
            <Bar dataKey="signIns" stackId="n" fill={laneColours.signIns} isAnimationActive={false} name="Sign-ins" />
            <Bar dataKey="alerts" stackId="n" fill={laneColours.alerts} isAnimationActive={false} name="Alerts and detections" />
            {bins.length > 2 && (
              <Brush
                dataKey="label"
                height={18}
                stroke="var(--accent)"
                fill="var(--surface-2)"
                travellerWidth={8}
                onChange={(next) => {
                  const start = bins[next.startIndex ?? 0];
                  const end = bins[next.endIndex ?? bins.length - 1];
                  if (!start || !end || (next.startIndex === 0 && next.endIndex === bins.length - 1)) return;
                  // Dragging reports every step: apply the range once the hand rests.
                  window.clearTimeout(pending.current);
                  pending.current = window.setTimeout(() => zoomTo(Math.max(start.start, range.from), Math.min(end.end, range.to)), 350);
                }}
              />
            )}
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="density-legend small">
        <span className="legend-swatch lane-alerts" /> Alerts and detections <span className="legend-swatch lane-signins" /> Sign-ins{' '}
        <span className="legend-swatch lane-activities" /> Activities
      </figcaption>
    </figure>
  );
}
