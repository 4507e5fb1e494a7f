/**
 * One run of the app: a fresh profile, the tenant imported through the Imports view's file chooser,
 * the same files imported again, then the query figures, all through the UI and its data-testid hooks
 * (the same ones test/e2e uses), never through the store's internals, so it keeps working when the
 * store is reshaped.
 */
import type { Page } from 'playwright-core';
import { launchBrowser, type BenchBrowser, type Peaks } from './browser.ts';
import type { DataFile } from './data.ts';
import { INPAGE_SCRIPT, type ClickWatch, type FilterWatch, type FrameWatch, type ImportWatch, type ScoringWatch } from './inpage.ts';
import { errorText, fmtInt, fmtSeconds, log, median, sleep } from './util.ts';

export interface ImportOutcome {
  accepted: number;
  added: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface ImportFigures {
  /** Node wall time from setFiles() to the job's final badge (seen by a MutationObserver in the page). */
  ms: number;
  /** performance.now() in the page from the job appearing to its final badge. */
  inPageMs: number;
  state: string;
  message?: string;
  /** "N records" of the finished job's summary line. */
  records?: number;
  rejected?: number;
  /** Summed over the files of the new import-history row. */
  outcome?: ImportOutcome;
  peaks: Peaks;
  /** The activity log and the alerts queue scrolled while the import ran (absent when it ended first). */
  scrolling?: ScrollProbe[];
}

/** One table scrolled: `SCROLL_TURNS` wheel turns, what the page drew meanwhile. */
export interface ScrollProbe extends Partial<FrameWatch> {
  view: string;
  note?: string;
}

export interface QuerySample {
  /** Click event → first matching element in the DOM, performance.now() in the page. */
  ms?: number;
  note?: string;
}

export interface QueryFigures {
  alerts: QuerySample[];
  activities: QuerySample[];
  users: QuerySample[];
  userPage: QuerySample[];
  /** Filter changes through the URL (hash) while the view is open: hash set → first page on screen. */
  filterSeveritySource: QuerySample[];
  filterUser: QuerySample[];
  filterCountry: QuerySample[];
  filterTimeRange: QuerySample[];
}

export interface ScoringFigures {
  /** The worker's own measure of the rescoring (scoreState lastRun.ms, shown by the Imports view). */
  ms?: number;
  users?: number;
  /** Node wall time from the import's final badge to the scoring line saying done. */
  waitMs: number;
  note?: string;
}

export interface AppRun {
  run: number;
  chromium: string;
  import?: ImportFigures;
  reimport?: ImportFigures;
  scoring?: ScoringFigures;
  queries?: QueryFigures;
  /**
   * The browser closed and started again on the same profile, the app opened on the alerts queue: navigation
   * start → first queue row in the DOM (performance.now() in the page, so the browser's own start is not in it).
   */
  reopen?: QuerySample;
  /** The same scrolling as during the import (ImportFigures.scrolling), after the queries, with nothing importing. */
  idleScrolling?: ScrollProbe[];
  /** navigator.storage.estimate().usage after the imports. */
  storageBytes?: number;
  /** Size of the profile's IndexedDB folder after the imports and queries. */
  indexedDbBytes?: number;
  pageErrors: string[];
  error?: string;
}

const bench = (page: Page, call: string) => page.evaluate(`window.__sightlineBench.${call}`);

function count(text: string, label: string): number | undefined {
  const match = new RegExp(`([\\d,]+)\\s+${label}`).exec(text);
  return match ? Number(match[1]!.replaceAll(',', '')) : undefined;
}

function parseOutcome(text: string): ImportOutcome | undefined {
  const outcome: ImportOutcome = { accepted: 0, added: 0, updated: 0, unchanged: 0, rejected: 0 };
  let found = false;
  for (const match of text.matchAll(/([\d,]+) accepted\s*\(([\d,]+) new,\s*([\d,]+) updated,\s*([\d,]+) unchanged\)(?:\s*·\s*([\d,]+) rejected)?/g)) {
    const n = (i: number) => Number((match[i] ?? '0').replaceAll(',', ''));
    outcome.accepted += n(1);
    outcome.added += n(2);
    outcome.updated += n(3);
    outcome.unchanged += n(4);
    outcome.rejected += n(5);
    found = true;
  }
  return found ? outcome : undefined;
}

async function importFiles(browser: BenchBrowser, files: DataFile[], timeoutMs: number, label: string, probeAfterMs?: number): Promise<ImportFigures> {
  const { page } = browser;
  const historyBefore = ((await bench(page, 'historyText(0)')) as { rows: number }).rows;
  await bench(page, `armImport(${timeoutMs})`);
  const chooser = page.waitForEvent('filechooser', { timeout: 30_000 });
  await page.getByTestId('import-files').click();
  const picker = await chooser;
  const sampler = browser.sampler();
  sampler.start();
  const started = performance.now();
  const progress = setInterval(() => {
    void (bench(page, 'jobText()') as Promise<string>)
      .then((text) => {
        const records = [...text.matchAll(/([\d,]+) records/g)].reduce((sum, match) => sum + Number(match[1]!.replaceAll(',', '')), 0);
        log(`    ${label}: ${fmtSeconds(performance.now() - started)}, ${fmtInt(records)} records so far`);
      })
      .catch(() => undefined);
  }, 30_000);
  let watch: ImportWatch;
  let scrolling: ScrollProbe[] | undefined;
  try {
    await picker.setFiles(files.map((file) => file.path));
    if (probeAfterMs !== undefined) scrolling = await scrollWhileImporting(page, probeAfterMs);
    watch = (await bench(page, 'importDone()')) as ImportWatch;
  } finally {
    clearInterval(progress);
  }
  const ms = performance.now() - started;
  const peaks = await sampler.stop();
  if (watch.timeout) throw new Error(`${label} did not finish within ${fmtSeconds(timeoutMs)} (--timeout-min)`);
  const figures: ImportFigures = {
    ms,
    inPageMs: watch.doneAt - watch.appearedAt,
    state: watch.state ?? 'unknown',
    message: watch.message,
    records: count(watch.text, 'records'),
    rejected: count(watch.text, 'rejected'),
    peaks,
    scrolling,
  };
  // The history row is written by the worker and re-queried by the view: give it a moment to show, and
  // to hold every file (the ledger is rewritten file by file, so the row can show before its last file).
  for (let waited = 0; waited < 30_000; waited += 100) {
    const history = (await bench(page, 'historyText(0)')) as { rows: number; text: string };
    if (history.rows > historyBefore) {
      figures.outcome = parseOutcome(history.text) ?? figures.outcome;
      if (figures.outcome && (figures.records === undefined || figures.outcome.accepted >= figures.records)) break;
    }
    await sleep(100);
  }
  return figures;
}

/** Wheel turns per scrolled table (of 900 px, 100 ms apart; every fourth group of five goes back up). */
const SCROLL_TURNS = 60;
const SCROLLED_VIEWS = [
  { route: '#/activities', table: 'activities-table' },
  { route: '#/alerts', table: 'alerts-table' },
];

/**
 * Scrolls the activity log and then the alerts queue as an analyst would while waiting for an import, and
 * reads what the page drew meanwhile: the issue asks that scrolling a table during a big import not stutter.
 */
async function scrollTables(page: Page): Promise<ScrollProbe[]> {
  const probes: ScrollProbe[] = [];
  for (const { route, table } of SCROLLED_VIEWS) {
    await page.evaluate(`location.hash = ${JSON.stringify(route)}`);
    const shown = await page
      .locator(`[data-testid="${table}"] tbody tr:not(.vt-spacer), [data-testid="empty-state"]`)
      .first()
      .waitFor({ timeout: 30_000 })
      .then(() => true)
      .catch(() => false);
    if (!shown) {
      probes.push({ view: route, note: 'no rows within 30 s' });
      continue;
    }
    await page.mouse.move(700, 500);
    await bench(page, 'startFrames()');
    for (let turn = 0; turn < SCROLL_TURNS; turn++) {
      await page.mouse.wheel(0, turn % 20 < 15 ? 900 : -900);
      await sleep(100);
    }
    probes.push({ view: route, ...((await bench(page, 'stopFrames()')) as FrameWatch) });
  }
  return probes;
}

/** The scrolling probe once the import has run `afterMs` (so the tables have rows), unless it ended first. */
async function scrollWhileImporting(page: Page, afterMs: number): Promise<ScrollProbe[] | undefined> {
  for (let waited = 0; waited < afterMs; waited += 500) {
    await sleep(500);
    if (!(await bench(page, 'importsRunning()'))) return undefined;
  }
  const probes = await scrollTables(page);
  await page.evaluate(`location.hash = '#/imports'`);
  await page.getByTestId('import-files').waitFor({ timeout: 60_000 });
  return probes;
}

const navLink = (page: Page, name: string) =>
  page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: new RegExp(`^${name}\\b`) })
    .first();

async function timeClick(page: Page, selector: string, click: () => Promise<void>, timeoutMs = 120_000): Promise<QuerySample> {
  await bench(page, `armClick(${JSON.stringify(selector)}, ${timeoutMs})`);
  await click();
  const watch = (await bench(page, 'clickDone()')) as ClickWatch;
  if (watch.timeout) return { note: `nothing matched ${selector} within ${timeoutMs / 1000} s` };
  if (watch.testId === 'empty-state') return { ms: watch.ms, note: 'empty state shown (no rows)' };
  return { ms: watch.ms };
}

async function backToImports(page: Page): Promise<void> {
  await navLink(page, 'Imports').click();
  await page.getByTestId('import-files').waitFor({ timeout: 60_000 });
}

async function waitForScoring(page: Page, timeoutMs: number): Promise<ScoringFigures> {
  const started = performance.now();
  const watch = (await bench(page, `scoringDone(${timeoutMs})`)) as ScoringWatch;
  const waitMs = performance.now() - started;
  if (watch.timeout) return { waitMs, note: `no finished scoring within ${fmtSeconds(timeoutMs)}` };
  if (watch.failed) return { waitMs, note: watch.failed };
  return { ms: watch.ms, users: watch.users, waitMs };
}

async function timeFilter(page: Page, hash: string, viewTestId: string, timeoutMs = 60_000): Promise<QuerySample> {
  const watch = (await bench(page, `changeFilter(${JSON.stringify(hash)}, ${JSON.stringify(viewTestId)}, ${timeoutMs})`)) as FilterWatch;
  if (watch.timeout) return { note: `${viewTestId} never reported data-loaded-filter for ${hash} within ${timeoutMs / 1000} s` };
  return { ms: watch.ms, note: watch.empty ? `no rows for ${watch.filter}` : undefined };
}

/** A filter's bounds as ISO instants: one day ending three days before the newest activity shown. */
async function dayBeforeNewest(page: Page): Promise<{ from: string; to: string } | undefined> {
  const newest = await page
    .locator('[data-testid="activities-table"] tbody tr:not(.vt-spacer) time')
    .first()
    .getAttribute('datetime', { timeout: 10_000 })
    .catch(() => null);
  if (!newest) return undefined;
  const to = Date.parse(newest) - 3 * 86_400_000;
  return { from: new Date(to - 86_400_000).toISOString(), to: new Date(to).toISOString() };
}

/**
 * Filter changes, the way a bookmark, a pivot or a dashboard link makes them: the view is open on its
 * unfiltered first page, then the hash gets the filter. The values are ones every simulated tenant has
 * (Defender for Identity high/medium alerts, the top-ranked user, a country only attackers sign in
 * from, one day of data), so the figures compare across runs and sizes.
 */
async function measureFilters(page: Page, figures: QueryFigures, topUserId: string | undefined): Promise<void> {
  await page.evaluate(() => (location.hash = '#/alerts'));
  await page.locator('[data-testid="alerts-table"] tbody tr:not(.vt-spacer), [data-testid="empty-state"]').first().waitFor({ timeout: 120_000 });
  figures.filterSeveritySource.push(await timeFilter(page, '#/alerts?severity=high,medium&source=defender-for-identity', 'alerts-view'));

  await page.evaluate(() => (location.hash = '#/activities'));
  await page.locator('[data-testid="activities-table"] tbody tr:not(.vt-spacer), [data-testid="empty-state"]').first().waitFor({ timeout: 120_000 });
  const day = await dayBeforeNewest(page);
  figures.filterUser.push(
    topUserId ? await timeFilter(page, `#/activities?user=${encodeURIComponent(topUserId)}`, 'activities-view') : { note: 'no user to filter by' },
  );
  figures.filterCountry.push(await timeFilter(page, '#/activities?country=RO', 'activities-view'));
  figures.filterTimeRange.push(
    day
      ? await timeFilter(page, `#/activities?from=${encodeURIComponent(day.from)}&to=${encodeURIComponent(day.to)}`, 'activities-view')
      : { note: 'no activity to take a day from' },
  );
}

/** The user page's id from the URL (#/users/<id>): opened from the Users list's first row, the top-ranked user. */
function userIdFromUrl(url: string): string | undefined {
  const match = /#\/users\/([^?#/]+)/.exec(url);
  return match ? decodeURIComponent(match[1]!) : undefined;
}

async function measureQueries(page: Page, reps: number): Promise<QueryFigures> {
  const figures: QueryFigures = {
    alerts: [],
    activities: [],
    users: [],
    userPage: [],
    filterSeveritySource: [],
    filterUser: [],
    filterCountry: [],
    filterTimeRange: [],
  };
  for (let rep = 0; rep < reps; rep++) {
    await backToImports(page);
    figures.alerts.push(
      await timeClick(page, '[data-testid="alerts-table"] tbody tr:not(.vt-spacer), [data-testid="empty-state"]', () => navLink(page, 'Alerts').click()),
    );
    await backToImports(page);
    figures.activities.push(
      await timeClick(page, '[data-testid="activities-table"] tbody tr:not(.vt-spacer), [data-testid="empty-state"]', () =>
        navLink(page, 'Activities').click(),
      ),
    );
    await backToImports(page);
    const users = await timeClick(page, '[data-testid="users-table"] tbody tr, [data-testid="empty-state"]', () => navLink(page, 'Users').click());
    figures.users.push(users);
    if (users.note) {
      figures.userPage.push({ note: 'no user to open' });
      continue;
    }
    const firstUser = page.locator('[data-testid="users-table"] tbody tr').first();
    figures.userPage.push(await timeClick(page, '[data-testid="user-timeline"][data-ready="true"], [data-testid="user-timeline"] li', () => firstUser.click()));
    await measureFilters(page, figures, userIdFromUrl(page.url()));
  }
  return figures;
}

export async function runApp(options: {
  appUrl: string;
  files: DataFile[];
  run: number;
  timeoutMs: number;
  queryReps: number;
  scrollAfterS: number;
}): Promise<AppRun> {
  const browser = await launchBrowser(`app${options.run}`);
  const result: AppRun = { run: options.run, chromium: browser.version, pageErrors: [] };
  const { page } = browser;
  page.on('pageerror', (error) => result.pageErrors.length < 20 && result.pageErrors.push(errorText(error)));
  page.on('console', (message) => message.type() === 'error' && result.pageErrors.length < 20 && result.pageErrors.push(message.text().slice(0, 300)));
  try {
    await page.addInitScript({ content: INPAGE_SCRIPT });
    await page.goto(`${options.appUrl}#/imports`);
    await page.getByTestId('import-files').waitFor({ timeout: 60_000 });

    log(`  run ${options.run}: import of ${options.files.length} files…`);
    result.import = await importFiles(browser, options.files, options.timeoutMs, 'import', options.scrollAfterS ? options.scrollAfterS * 1000 : undefined);
    log(`  run ${options.run}: import ${result.import.state} in ${fmtSeconds(result.import.ms)} (${fmtInt(result.import.records ?? 0)} records)`);
    if (result.import.state !== 'done') throw new Error(`import ended ${result.import.state}${result.import.message ? `: ${result.import.message}` : ''}`);

    log(`  run ${options.run}: waiting for the scores…`);
    result.scoring = await waitForScoring(page, options.timeoutMs);
    log(
      `  run ${options.run}: scoring ${result.scoring.ms === undefined ? (result.scoring.note ?? 'n/a') : `${fmtSeconds(result.scoring.ms)} for ${fmtInt(result.scoring.users ?? 0)} users`}`,
    );

    log(`  run ${options.run}: re-import of the same files…`);
    result.reimport = await importFiles(browser, options.files, options.timeoutMs, 're-import');
    log(`  run ${options.run}: re-import ${result.reimport.state} in ${fmtSeconds(result.reimport.ms)}`);

    log(`  run ${options.run}: queries (${options.queryReps} visits each)…`);
    result.queries = await measureQueries(page, options.queryReps);
    const summary = (samples: QuerySample[]) => median(samples.flatMap((sample) => (sample.ms === undefined ? [] : [sample.ms])));
    log(
      `  run ${options.run}: alerts ${summary(result.queries.alerts)?.toFixed(0)} ms, activities ${summary(result.queries.activities)?.toFixed(0)} ms, user page ${summary(result.queries.userPage)?.toFixed(0)} ms`,
    );
    if (options.scrollAfterS) {
      log(`  run ${options.run}: scrolling the tables with no import running…`);
      result.idleScrolling = await scrollTables(page);
    }
    result.storageBytes = (await page.evaluate('navigator.storage.estimate().then((estimate) => estimate.usage)')) as number;
    result.indexedDbBytes = browser.indexedDbBytes();

    log(`  run ${options.run}: reopening the app on this workspace…`);
    await browser.keepProfile();
    result.reopen = await reopenOnAlerts(options.appUrl, browser.profile, options.run);
    log(`  run ${options.run}: reopened to the alerts queue in ${result.reopen.ms === undefined ? result.reopen.note : `${result.reopen.ms.toFixed(0)} ms`}`);
  } catch (error) {
    result.error = errorText(error);
    log(`  run ${options.run} failed: ${result.error}`);
  } finally {
    await browser.close();
  }
  return result;
}

/** Where the first queue row appeared, in the page's own clock (0 = navigation start). */
const FIRST_ROW_WATCH = `
  new MutationObserver((_, observer) => {
    if (document.querySelector('[data-testid="alerts-table"] tbody tr:not(.vt-spacer), [data-testid="empty-state"]')) {
      window.__sightlineFirstRow = performance.now();
      observer.disconnect();
    }
  }).observe(document, { childList: true, subtree: true });
`;

async function reopenOnAlerts(appUrl: string, profile: string, run: number): Promise<QuerySample> {
  const browser = await launchBrowser(`app${run}-reopen`, profile);
  try {
    await browser.page.addInitScript({ content: FIRST_ROW_WATCH });
    await browser.page.goto(`${appUrl}#/alerts`);
    await browser.page.locator('[data-testid="alerts-table"] tbody tr:not(.vt-spacer), [data-testid="empty-state"]').first().waitFor({ timeout: 120_000 });
    const ms = (await browser.page.evaluate('window.__sightlineFirstRow')) as number | undefined;
    return ms === undefined ? { note: 'no row seen by the observer' } : { ms };
  } catch (error) {
    return { note: errorText(error) };
  } finally {
    await browser.close();
  }
}
