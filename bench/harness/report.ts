/**
 * Turns the runs into figures (median of the runs), prints the table and the comparisons with the
 * floors, and writes the results file.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { AppRun, ImportFigures, QuerySample, ScrollProbe } from './app.ts';
import type { BenchOptions } from './args.ts';
import type { Dataset } from './data.ts';
import type { FloorResults } from './floors.ts';
import type { GitInfo, Machine } from './machine.ts';
import { fmtBytes, fmtInt, fmtMiB, fmtMs, fmtNum, fmtSeconds, median, REPO, versus } from './util.ts';

export type Unit = 'ms' | 'bytes' | 'count' | 'per-second' | 'MB/s' | 'ratio';

export interface Figure {
  key: string;
  section: string;
  label: string;
  unit: Unit;
  /** Median of `runs` (undefined when no run produced the figure, or for n/a rows). */
  median?: number;
  runs: (number | undefined)[];
  /** Shown instead of a value ("n/a (not built yet)"), or beside it. */
  text?: string;
  note?: string;
}

function format(unit: Unit, value: number): string {
  switch (unit) {
    case 'ms':
      return fmtMs(value);
    case 'bytes':
      return fmtMiB(value);
    case 'count':
      return fmtInt(value);
    case 'per-second':
      return `${fmtInt(value)}/s`;
    case 'MB/s':
      return `${fmtNum(value)} MB/s`;
    case 'ratio':
      return `${fmtNum(value)}×`;
  }
}

function figure(section: string, key: string, label: string, unit: Unit, runs: (number | undefined)[], note?: string): Figure {
  return { key, section, label, unit, runs, median: median(runs.filter((value): value is number => value !== undefined)), note };
}

const sampleMedian = (samples: QuerySample[] | undefined) => median((samples ?? []).flatMap((sample) => (sample.ms === undefined ? [] : [sample.ms])));
const sampleNote = (runs: AppRun[], pick: (run: AppRun) => QuerySample[] | undefined) =>
  [...new Set(runs.flatMap((run) => (pick(run) ?? []).flatMap((sample) => (sample.note ? [sample.note] : []))))].join('; ') || undefined;

function importFigures(section: 'import' | 'reimport', title: string, runs: AppRun[], data: Dataset): Figure[] {
  const pick = (run: AppRun): ImportFigures | undefined => (section === 'import' ? run.import : run.reimport);
  const ok = runs.map((run) => {
    const figures = pick(run);
    return figures && figures.state === 'done' ? figures : undefined;
  });
  const records = (figures?: ImportFigures) => figures?.records ?? data.truth?.records;
  const list: Figure[] = [
    figure(
      title,
      `${section}.seconds`,
      'total (setFiles → job done)',
      'ms',
      ok.map((figures) => figures?.ms),
    ),
    figure(
      title,
      `${section}.eventsPerSecond`,
      'events/s',
      'per-second',
      ok.map((figures) => (figures && records(figures) ? records(figures)! / (figures.ms / 1000) : undefined)),
    ),
    figure(
      title,
      `${section}.mbPerSecond`,
      'MB/s (10⁶ bytes of files)',
      'MB/s',
      ok.map((figures) => (figures ? data.bytes / 1e6 / (figures.ms / 1000) : undefined)),
    ),
    figure(
      title,
      `${section}.records`,
      'records accepted (job summary)',
      'count',
      ok.map((figures) => figures?.records),
    ),
    figure(
      title,
      `${section}.rejected`,
      'records rejected',
      'count',
      ok.map((figures) => figures?.rejected),
    ),
  ];
  const outcome = ok.map((figures) => figures?.outcome);
  if (outcome.some(Boolean)) {
    list.push(
      figure(
        title,
        `${section}.new`,
        'new (import history)',
        'count',
        outcome.map((value) => value?.added),
      ),
      figure(
        title,
        `${section}.updated`,
        'updated',
        'count',
        outcome.map((value) => value?.updated),
      ),
      figure(
        title,
        `${section}.unchanged`,
        'unchanged',
        'count',
        outcome.map((value) => value?.unchanged),
      ),
    );
  }
  list.push(
    figure(
      title,
      `${section}.peakHeapPage`,
      'peak JS heap, page',
      'bytes',
      ok.map((figures) => figures?.peaks.pageHeapBytes),
    ),
    figure(
      title,
      `${section}.peakHeapWorker`,
      'peak JS heap, import worker',
      'bytes',
      ok.map((figures) => (figures?.peaks.workers ? figures.peaks.workerHeapBytes : undefined)),
    ),
    figure(
      title,
      `${section}.peakRss`,
      'peak RSS, browser process tree',
      'bytes',
      ok.map((figures) => figures?.peaks.rssBytes),
    ),
  );
  return list;
}

/** The page's frames while a table scrolls during the import, beside the same scrolling with nothing importing. */
function scrollFigures(runs: AppRun[]): Figure[] {
  const section = 'responsiveness (60 wheel turns per table, 100 ms apart; a frame over 50 ms is a visible stutter)';
  const list: Figure[] = [];
  const phases = [
    { key: 'importing', label: 'during the import', pick: (run: AppRun) => run.import?.scrolling },
    { key: 'idle', label: 'nothing importing', pick: (run: AppRun) => run.idleScrolling },
  ];
  for (const phase of phases) {
    for (const view of ['activities', 'alerts']) {
      const probes = runs.map((run) => phase.pick(run)?.find((probe) => probe.view === `#/${view}`));
      const name = view === 'activities' ? 'activity log' : 'alerts queue';
      const notes = [
        ...new Set(
          probes.flatMap((probe: ScrollProbe | undefined) =>
            probe?.note ? [probe.note] : probe?.frames !== undefined ? [`${fmtInt(probe.frames)} frames in ${fmtSeconds(probe.ms ?? 0)}`] : [],
          ),
        ),
      ].join('; ');
      list.push(
        figure(
          section,
          `responsiveness.${phase.key}.${view}.slowFrames`,
          `${name}, ${phase.label}: frames over 50 ms`,
          'count',
          probes.map((probe) => probe?.slowFrames),
          notes || (phase.key === 'importing' ? 'not measured (the import ended before the probe, or --scroll-after 0)' : undefined),
        ),
        figure(
          section,
          `responsiveness.${phase.key}.${view}.p95Frame`,
          `${name}, ${phase.label}: 95th percentile frame`,
          'ms',
          probes.map((probe) => probe?.p95FrameMs),
        ),
        figure(
          section,
          `responsiveness.${phase.key}.${view}.longTasks`,
          `${name}, ${phase.label}: long tasks (sum)`,
          'ms',
          probes.map((probe) => probe?.longTaskMs),
        ),
      );
    }
  }
  return list;
}

export function buildFigures(runs: AppRun[], floors: FloorResults | undefined, data: Dataset): Figure[] {
  const figures: Figure[] = [...importFigures('import', 'import', runs, data), ...importFigures('reimport', 're-import (same files)', runs, data)];
  figures.push(
    figure(
      'store',
      'store.indexedDb',
      'IndexedDB folder after both imports',
      'bytes',
      runs.map((run) => run.indexedDbBytes),
    ),
    figure(
      'store',
      'store.usage',
      'storage estimate (navigator.storage)',
      'bytes',
      runs.map((run) => run.storageBytes),
      'Chromium updates it lazily',
    ),
  );
  const q = 'queries (click → first row in the DOM; median of the visits, first visit in the note)';
  const query = (key: string, label: string, pick: (run: AppRun) => QuerySample[] | undefined) => {
    const first = median(runs.flatMap((run) => (pick(run)?.[0]?.ms === undefined ? [] : [pick(run)![0]!.ms!])));
    const note = [first === undefined ? '' : `first visit ${fmtMs(first)}`, sampleNote(runs, pick) ?? ''].filter(Boolean).join('; ');
    return figure(
      q,
      key,
      label,
      'ms',
      runs.map((run) => sampleMedian(pick(run))),
      note || undefined,
    );
  };
  figures.push(
    query('queries.alertsFirstPage', 'alerts queue, first page', (run) => run.queries?.alerts),
    query('queries.activitiesFirstPage', 'activities list, first page', (run) => run.queries?.activities),
    query('queries.usersList', 'users list', (run) => run.queries?.users),
    query('queries.userPage', 'user page of the first user (timeline item)', (run) => run.queries?.userPage),
    query('queries.filterSeveritySource', 'alerts filtered by severity + source (URL change → first page)', (run) => run.queries?.filterSeveritySource),
    query('queries.filterUser', 'activities filtered by the top user', (run) => run.queries?.filterUser),
    query('queries.filterCountry', 'activities filtered by a rare country', (run) => run.queries?.filterCountry),
    query('queries.filterTimeRange', 'activities filtered to one day', (run) => run.queries?.filterTimeRange),
    query('queries.reopen', 'reopen: browser restarted on the workspace, navigation → first alerts row', (run) => (run.reopen ? [run.reopen] : undefined)),
  );
  figures.push(...scrollFigures(runs));
  figures.push(
    figure(
      'scoring (worker, after the import; the UI stays live meanwhile)',
      'scoring.all',
      "compute and store every user's score, ledger and daily trend",
      'ms',
      runs.map((run) => run.scoring?.ms),
      [
        ...new Set(runs.flatMap((run) => (run.scoring?.users === undefined ? [] : [`${fmtInt(run.scoring.users)} users`]))),
        ...runs.flatMap((run) => (run.scoring?.note ? [run.scoring.note] : [])),
      ].join('; ') || undefined,
    ),
  );
  if (floors) {
    const f = 'floors (same run, bench/floor page, no app code)';
    const csvFiles = floors.parse[0]?.files.filter((file) => file.kind === 'csv').length ?? 0;
    const skipped = floors.parse[0]?.files.filter((file) => file.kind === 'skipped') ?? [];
    figures.push(
      figure(
        f,
        'floors.parse',
        'parse: decode + V8 JSON.parse',
        'ms',
        floors.parse.map((parse) => parse.decodeMs + parse.parseMs),
        [
          `fetch ${fmtSeconds(median(floors.parse.map((parse) => parse.fetchMs)) ?? 0)} beside it`,
          csvFiles ? `${csvFiles} CSV file(s) split on newlines and counted, not parsed` : '',
          skipped.length ? `${skipped.length} file(s) skipped: ${skipped.map((file) => `${file.rel} (${file.note})`).join(', ')}` : '',
        ]
          .filter(Boolean)
          .join('; '),
      ),
    );
    const naiveWritten = median(floors.naive.map((naive) => naive.records));
    const extrapolated = floors.naive.some((naive) => naive.records !== floors.records);
    const why = floors.naiveTimeLimitMs !== undefined ? 'stopped at the time budget' : '--floor-events';
    figures.push(
      figure(
        f,
        'floors.naive',
        `naive rows: 1 row/record, 5 indexes${extrapolated ? ' (EXTRAPOLATED)' : ''}`,
        'ms',
        floors.naive.map((naive) => (naive.putMs * floors.records) / naive.records),
        extrapolated
          ? `extrapolated linearly from ${fmtInt(naiveWritten ?? 0)} records (${why}) to ${fmtInt(floors.records)}; measured ${floors.naive.map((naive) => fmtSeconds(naive.putMs)).join(' / ')}; the real rate falls as the store grows, so the real floor is slower`
          : undefined,
      ),
      figure(
        f,
        'floors.naiveRate',
        'naive rows, records/s (measured)',
        'per-second',
        floors.naive.map((naive) => naive.records / (naive.putMs / 1000)),
      ),
      figure(
        f,
        'floors.chunk',
        'chunk rows: ≤1,000 events/user-day, no index',
        'ms',
        floors.chunk.map((chunk) => chunk.putMs),
        `${fmtInt(floors.chunk[0]?.rows ?? 0)} rows`,
      ),
      figure(
        f,
        'floors.naiveDisk',
        'naive rows on disk (as written)',
        'bytes',
        floors.naive.map((naive) => naive.indexedDbBytes),
        `IndexedDB folder after ${fmtInt(median(floors.naive.map((naive) => naive.records)) ?? 0)} records, not extrapolated`,
      ),
      figure(
        f,
        'floors.chunkDisk',
        'chunk rows on disk',
        'bytes',
        floors.chunk.map((chunk) => chunk.indexedDbBytes),
      ),
      figure(
        f,
        'floors.recordBytes',
        'floor record size (JSON bytes)',
        'count',
        floors.chunk.map((chunk) => chunk.recordBytes),
      ),
    );
  }
  return figures;
}

export function comparisons(figures: Figure[], floors: FloorResults | undefined): string[] {
  const get = (key: string) => figures.find((entry) => entry.key === key)?.median;
  const lines: string[] = [];
  const importMs = get('import.seconds');
  const records = get('import.records') ?? floors?.records;
  if (!floors) return lines;
  const naive = get('floors.naive');
  const chunk = get('floors.chunk');
  const parse = get('floors.parse');
  const naiveWritten = median(floors.naive.map((entry) => entry.records));
  const extrapolated = naiveWritten !== undefined && naiveWritten !== floors.records ? `, extrapolated from ${fmtInt(naiveWritten)}` : '';
  const against = (ours: number) =>
    [
      naive !== undefined ? versus(ours, naive, `the naive floor (${fmtSeconds(naive)}${extrapolated})`) : undefined,
      chunk !== undefined ? versus(ours, chunk, `the chunk floor (${fmtSeconds(chunk)})`) : undefined,
      parse !== undefined ? versus(ours, parse, `the parse floor (${fmtSeconds(parse)})`) : undefined,
    ]
      .filter(Boolean)
      .join(', ');
  if (importMs !== undefined) lines.push(`import ${fmtInt(records ?? 0)} events: ${fmtSeconds(importMs)} = ${against(importMs)}`);
  const reimportMs = get('reimport.seconds');
  if (reimportMs !== undefined) lines.push(`re-import of the same files: ${fmtSeconds(reimportMs)} = ${against(reimportMs)}`);
  return lines;
}

export interface Report {
  schema: 'sightline-bench/1';
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  command: string;
  options: BenchOptions;
  git: GitInfo;
  machine: Machine;
  build: { built: boolean; reason?: string; skipped?: boolean };
  /** --budget-min, and the app runs it skipped (floor runs skipped: floors.skipped). */
  budget: { minutes: number; skippedAppRuns: number };
  data: Omit<Dataset, 'files'> & { files: { rel: string; bytes: number }[] };
  figures: Figure[];
  comparisons: string[];
  runs: AppRun[];
  floors?: FloorResults;
  errors: string[];
}

export function printReport(report: Report): string {
  const out: string[] = [];
  const { machine, git, data } = report;
  out.push(`Sightline bench · ${report.startedAt.replace('T', ' ').slice(0, 16)} UTC · git ${git.short}${git.dirty ? ' + uncommitted changes' : ''}`);
  out.push(
    `machine: ${machine.cpu} · ${machine.cores} cores · ${fmtBytes(machine.ramBytes)} RAM · ${machine.os} · ${machine.chromium ?? 'Chromium ?'} (${machine.chromiumPath}) · Node ${machine.node}`,
  );
  const dataLabel =
    data.source === 'simulator'
      ? `${relative(REPO, data.dir)} (simulator seed ${data.simulator?.seed}, --events ${fmtInt(data.simulator?.events ?? 0)}${data.truth?.users ? `, ${data.truth.users} users` : ''}${data.truth?.days ? `, ${data.truth.days} days` : ''}${data.generated ? ', generated now' : ', reused'})`
      : data.dir;
  out.push(
    `data: ${dataLabel}: ${data.files.length} files, ${fmtBytes(data.bytes)}${data.truth ? `, ${fmtInt(data.truth.records)} records (ground truth)` : ''}`,
  );
  if (data.note) out.push(`      note: ${data.note}`);
  const o = report.options;
  const floors = report.floors;
  const floorRuns = floors ? `, parse/chunk floors ×${floors.parse.length}, naive floor ×${floors.naive.length}` : ', floors skipped';
  out.push(`runs: app ×${report.runs.length} (query visits ×${o.queryReps} each)${floorRuns}; every value is the median of its runs`);
  const skipped = [
    report.budget.skippedAppRuns ? `${report.budget.skippedAppRuns} app run(s)` : '',
    floors?.skipped.parse ? `${floors.skipped.parse} parse/chunk floor run(s)` : '',
    floors?.skipped.naive ? `${floors.skipped.naive} naive floor run(s)` : '',
    floors?.naiveTimeLimitMs !== undefined && floors.naive.some((naive) => naive.records < floors.records) ? 'the rest of the naive floor (extrapolated)' : '',
  ].filter(Boolean);
  if (skipped.length) out.push(`      budget: ${o.budgetMin} min (--budget-min; 0 = none) skipped ${skipped.join(', ')}`);
  out.push('');
  const labelWidth = Math.max(44, ...report.figures.map((entry) => entry.label.length + 4));
  const valueWidth = 16;
  out.push(`${'figure'.padEnd(labelWidth)}${'median'.padStart(valueWidth)}   runs`);
  let section = '';
  for (const entry of report.figures) {
    if (entry.section !== section) {
      section = entry.section;
      if (entry.key === 'scoring') {
        out.push(`${'scoring'.padEnd(labelWidth)}${''.padStart(valueWidth)}   ${entry.text}`);
        continue;
      }
      out.push(section);
    }
    if (entry.text) {
      out.push(`${`  ${entry.label}`.padEnd(labelWidth)}${'n/a'.padStart(valueWidth)}   ${entry.text}`);
      continue;
    }
    const value = entry.median === undefined ? '—' : format(entry.unit, entry.median);
    const runs = entry.runs.length > 1 ? entry.runs.map((run) => (run === undefined ? '—' : format(entry.unit, run))).join(' / ') : '';
    out.push(`${`  ${entry.label}`.padEnd(labelWidth)}${value.padStart(valueWidth)}   ${[runs, entry.note].filter(Boolean).join('   ')}`);
  }
  if (report.comparisons.length) {
    out.push('');
    for (const line of report.comparisons) out.push(line);
  }
  if (report.errors.length) {
    out.push('');
    out.push('errors:');
    for (const error of report.errors) out.push(`  ${error}`);
  }
  const text = out.join('\n');
  process.stdout.write(`${text}\n`);
  return text;
}

/** Writes the results file, formatted as the repo's Prettier config would (so `npm run format:check` passes). */
export async function writeResults(report: Report): Promise<string> {
  const dir = join(REPO, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const base = `${report.startedAt.slice(0, 10)}-${report.git.short}`;
  let path = join(dir, `${base}.json`);
  for (let n = 2; existsSync(path); n++) path = join(dir, `${base}-${n}.json`);
  let text = `${JSON.stringify(report, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    text = await prettier.format(text, { ...(await prettier.resolveConfig(path)), parser: 'json' });
  } catch {
    // Prettier missing or failing: plain JSON is still a valid results file.
  }
  writeFileSync(path, text);
  return path;
}
