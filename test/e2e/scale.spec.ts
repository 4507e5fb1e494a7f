/**
 * The analyst's workbench at scale: a 200,000-event tenant written by the simulator, imported once through
 * the web build's file picker, then worked as an analyst would. Every view opens (light and dark, axe, a
 * screenshot each); the alerts queue and the activity log narrow to the counts worked out here; the URL
 * carries a filter through a reload and the back button; a bulk status change survives a reload; the user
 * page of a planted compromised user shows the story in its timeline.
 *
 * The expected counts come from the generated files themselves, parsed here under Node with the app's own
 * format adapters (deduplicated by record id) and judged by the filter predicates that define the store's
 * answers, with the default policies applied as the queue applies them: never from the app's store, and
 * never written down. The parse runs while the browser imports, so it costs no extra time.
 */
import { spawn } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from '@playwright/test';
import { summarize } from '../../renderer/components/describe.ts';
import { activityType, matchesActivityFilter, matchesAlertFilter, type ActivityFilter, type AlertFilter } from '../../renderer/db/filters.ts';
import { parseInput } from '../../shared/formats/parse.ts';
import type { NormalizedRecord } from '../../shared/model/records.ts';
import { DEFAULT_POLICIES, policyVerdict } from '../../shared/score/policies.ts';
import { GROUND_TRUTH_FILE, type WorkspaceTruth } from '../../shared/simulate/workspace.ts';
import {
  expect,
  expectNothingWrong,
  firstUserAndIncidentPaths,
  loadAllCount,
  loadedFilter,
  seriousViolations,
  tableFillsViewport,
  test,
  watchPage,
  type PageWatch,
} from './fixtures.ts';

/** The tenant: 300 people over 30 days, 200,000 routine events, the six planted stories. */
const TENANT = { seed: 7, users: 300, days: 30, events: 200_000 };
const screens = 'test-results/screens';

type QueueRecord = Extract<NormalizedRecord, { kind: 'alert' | 'riskDetection' }>;
type ActivityRecord = Extract<NormalizedRecord, { kind: 'signIn' | 'activity' }>;

/** What the generated files hold, read independently of the browser. */
interface Oracle {
  /** Alerts and risk detections, whole. */
  queue: QueueRecord[];
  /** Sign-ins and activities without their raw source record (the predicates never read it; it would double the memory). */
  activities: ActivityRecord[];
}

async function simulate(out: string): Promise<void> {
  const args = ['run', '--silent', 'simulate', '--', '--quiet', '--out', out];
  for (const [key, value] of Object.entries(TENANT)) args.push(`--${key}`, String(value));
  const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`npm run simulate failed (${code}): ${stderr}`);
}

/** Streams every generated file through the app's parser; the last copy of a record id wins, as the store keeps one. */
async function readOracle(root: string, files: string[]): Promise<Oracle> {
  const queue = new Map<string, QueueRecord>();
  const activities = new Map<string, ActivityRecord>();
  for (const file of files) {
    const chunks = createReadStream(join(root, file), { highWaterMark: 1024 * 1024 }) as AsyncIterable<Uint8Array>;
    for await (const event of parseInput(file, chunks)) {
      if (event.type !== 'batch') continue;
      for (const record of event.records) {
        if (record.kind === 'alert' || record.kind === 'riskDetection') queue.set(record.id, record);
        else if (record.kind === 'signIn' || record.kind === 'activity') activities.set(record.id, { ...record, raw: undefined } as ActivityRecord);
      }
    }
  }
  return { queue: [...queue.values()], activities: [...activities.values()] };
}

/** What the queue lists for a filter: the default policies hide items first (filters here never name a user). */
function expectedAlerts(oracle: Oracle, filter: AlertFilter, hidden: 'hide' | 'show' | 'only' = 'hide'): number {
  return oracle.queue.filter((record) => {
    const isHidden = policyVerdict({ userId: '', record }, DEFAULT_POLICIES).hidden;
    if (hidden === 'hide' ? isHidden : hidden === 'only' ? !isHidden : false) return false;
    return matchesAlertFilter({ ...record, userId: '' }, filter);
  }).length;
}

function expectedActivities(oracle: Oracle, filter: ActivityFilter): number {
  let count = 0;
  for (const record of oracle.activities) if (matchesActivityFilter({ ...record, userId: '' }, filter)) count++;
  return count;
}

/** The candidate with the most matches within [min, max]: narrow enough to page through, wide enough to mean something. */
function pick<T>(candidates: Iterable<T>, count: (candidate: T) => number, min: number, max: number): { value: T; count: number } {
  let best: { value: T; count: number } | undefined;
  for (const value of candidates) {
    const n = count(value);
    if (n >= min && n <= max && (!best || n > best.count)) best = { value, count: n };
  }
  if (!best) throw new Error(`no candidate with between ${min} and ${max} matches`);
  return best;
}

/**
 * Axe once per view (views.spec runs it in both themes on the demo; here what changes is the volume, and
 * one pass over a 300-row list takes half a minute on the shared machine), a screenshot in each theme.
 */
async function checkView(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('loading')).toHaveCount(0);
  mkdirSync(screens, { recursive: true });
  await page.emulateMedia({ colorScheme: 'light' });
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  for (const theme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: theme });
    await page.screenshot({ path: `${screens}/scale-${name}-${theme}.png`, fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

test.describe.configure({ mode: 'serial' });

let work: string;
let truth: WorkspaceTruth;
let oracle: Oracle;
let context: BrowserContext;
let page: Page;
let watch: PageWatch;

test.beforeAll(async ({ browser }, testInfo) => {
  // Simulating takes ~15 s; the import of ~370 MB a few minutes on a shared 2-core machine.
  testInfo.setTimeout(30 * 60_000);
  work = mkdtempSync(join(tmpdir(), 'sightline-scale-'));
  let started = Date.now();
  await simulate(work);
  truth = JSON.parse(readFileSync(join(work, GROUND_TRUTH_FILE), 'utf8')) as WorkspaceTruth;
  expect(truth.totals.routineActivities).toBeGreaterThanOrEqual(TENANT.events * 0.99);
  console.log(
    `simulated ${truth.totals.records.toLocaleString('en-US')} records in ${truth.files.length} files in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );

  const { baseURL, viewport } = testInfo.project.use;
  context = await browser.newContext({ baseURL, viewport });
  page = await context.newPage();
  watch = await watchPage(page);
  const files = truth.files.map((file) => file.path);
  const parsing = readOracle(work, files);
  // Should the import fail first, the parse's own failure must not go unhandled.
  parsing.catch(() => undefined);

  await page.goto('/#/imports');
  started = Date.now();
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('import-files').click();
  await (await chooser).setFiles(files.map((file) => join(work, file)));
  await expect(page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 25 * 60_000 });
  const importSeconds = (Date.now() - started) / 1000;
  oracle = await parsing;
  console.log(
    `imported in ${importSeconds.toFixed(1)} s; the oracle holds ${oracle.queue.length} alerts and detections, ${oracle.activities.length} activities`,
  );
  testInfo.annotations.push({ type: 'import', description: `${importSeconds.toFixed(1)} s for ${truth.totals.records} records` });
  expect(oracle.activities.length).toBeGreaterThanOrEqual(TENANT.events * 0.99);
  await expect(page.getByTestId('import-job').first()).toContainText(' 0 rejected');
  await expectNothingWrong(watch);
});

test.afterEach(async () => {
  await expectNothingWrong(watch);
});

test.afterAll(async () => {
  await context?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

test('the alerts queue narrows to the expected counts, keeps its filter in the URL and lists what policies hide on demand', async () => {
  test.setTimeout(180_000);
  await page.goto('/#/alerts');
  await loadedFilter(page, 'alerts', '', 30_000);
  const all = expectedAlerts(oracle, {});
  expect(all).toBeGreaterThan(0);
  expect(await loadAllCount(page, 'alerts')).toBe(all);

  // A source from the URL, then a severity from the bar: both land in the URL.
  const source = pick(new Set(oracle.queue.map((record) => record.source)), (value) => expectedAlerts(oracle, { sources: [value] }), 1, Infinity);
  expect(source.count, 'a source with fewer alerts than the whole queue').toBeLessThan(all);
  await page.goto(`/#/alerts?source=${source.value}`);
  await loadedFilter(page, 'alerts', `source=${source.value}`);
  expect(await loadAllCount(page, 'alerts')).toBe(source.count);
  await page.getByTestId('filter-severity').getByRole('button', { name: /^High/ }).click();
  await loadedFilter(page, 'alerts', `source=${source.value}&severity=high`);
  const sourceHigh = expectedAlerts(oracle, { sources: [source.value], severities: ['high'] });
  expect(await loadAllCount(page, 'alerts')).toBe(sourceHigh);

  // The URL round-trips: a reload keeps the filter, back walks to the one before.
  await page.reload();
  await loadedFilter(page, 'alerts', `source=${source.value}&severity=high`, 30_000);
  expect(await loadAllCount(page, 'alerts')).toBe(sourceHigh);
  await page.goBack();
  await loadedFilter(page, 'alerts', `source=${source.value}`);
  expect(await loadAllCount(page, 'alerts')).toBe(source.count);

  // The middle half of the period: from inclusive, to exclusive.
  const times = oracle.queue.map((record) => record.time).sort((a, b) => a - b);
  const range = new URLSearchParams({
    from: new Date(times[Math.floor(times.length / 4)]!).toISOString(),
    to: new Date(times[Math.floor((times.length * 3) / 4)]!).toISOString(),
  }).toString();
  await page.goto(`/#/alerts?${range}`);
  await loadedFilter(page, 'alerts', range);
  const inRange = expectedAlerts(oracle, { from: Date.parse(new URLSearchParams(range).get('from')!), to: Date.parse(new URLSearchParams(range).get('to')!) });
  expect(inRange).toBeGreaterThan(0);
  expect(await loadAllCount(page, 'alerts')).toBe(inRange);

  // What the default policies hide: listed on demand, each row marked with the policy that hides it.
  const hidden = expectedAlerts(oracle, {}, 'only');
  expect(hidden).toBeGreaterThan(0);
  await page.goto('/#/alerts');
  await loadedFilter(page, 'alerts', '');
  await page.getByTestId('policy-hidden-show').click();
  await loadedFilter(page, 'alerts', 'hidden=show');
  expect(await loadAllCount(page, 'alerts')).toBe(all + hidden);
  await page.goto('/#/alerts?hidden=only');
  await loadedFilter(page, 'alerts', 'hidden=only');
  expect(await loadAllCount(page, 'alerts')).toBe(hidden);
  const badges = page.getByTestId('alerts-table').locator('tbody tr[data-index] td[data-col=policyHidden]');
  await expect(badges.first()).toContainText('Hidden by policy: ');
  for (const text of await badges.allTextContents()) expect(text).toMatch(/^Hidden by policy: \S/);
});

test('bulk status change persists across a reload', async () => {
  test.setTimeout(120_000);
  const newBefore = expectedAlerts(oracle, { statuses: ['new'] });
  const resolvedBefore = expectedAlerts(oracle, { statuses: ['resolved'] });
  expect(newBefore).toBeGreaterThanOrEqual(3);
  await page.goto('/#/alerts?status=new');
  await loadedFilter(page, 'alerts', 'status=new');
  expect(await loadAllCount(page, 'alerts')).toBe(newBefore);
  const table = page.getByTestId('alerts-table');
  const titles = await table.locator('tbody tr[data-index] td[data-col=title]').evaluateAll((cells) => cells.slice(0, 3).map((cell) => cell.textContent));
  await table.locator('tbody tr[data-index="0"] input[type=checkbox]').click();
  await table.locator('tbody tr[data-index="2"] input[type=checkbox]').click({ modifiers: ['Shift'] });
  await expect(page.getByTestId('bulk-bar')).toContainText('3 selected');
  await page.getByTestId('bulk-status').selectOption('resolved');
  await expect(page.getByTestId('alerts-table-count')).toHaveText(new RegExp(`^${newBefore - 3} shown`));

  await page.reload();
  await loadedFilter(page, 'alerts', 'status=new', 30_000);
  expect(await loadAllCount(page, 'alerts')).toBe(newBefore - 3);
  await page.goto('/#/alerts?status=resolved');
  await loadedFilter(page, 'alerts', 'status=resolved');
  expect(await loadAllCount(page, 'alerts')).toBe(resolvedBefore + 3);
  const marked = table.locator('tbody tr[data-index]', { has: page.locator('.local-mark') });
  await expect(marked).toHaveCount(3);
  expect((await marked.locator('td[data-col=title]').allTextContents()).sort()).toEqual(titles.sort());
});

test('the activity log narrows to the expected counts and keeps its filter in the URL', async () => {
  test.setTimeout(240_000);
  await page.goto('/#/activities');
  await loadedFilter(page, 'activities', '', 60_000);
  // The log holds far more than a page: more load as the analyst scrolls.
  await expect(page.getByTestId('activities-table-count')).toHaveText(/^\d+ shown, more load as you scroll/);
  // The virtual table draws the rows in view, at the top and after a long scroll (pages loading on the way).
  await expect.poll(() => tableFillsViewport(page, 'activities-table')).toBe(true);
  await page.mouse.move(600, 500);
  for (let step = 0; step < 8; step++) await page.mouse.wheel(0, 2000);
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollTop)).toBeGreaterThan(3000);
  await expect.poll(() => tableFillsViewport(page, 'activities-table')).toBe(true);
  await page.evaluate(() => document.documentElement.scrollTo(0, 0));

  // The planted leak's attacker address: the few events of one story.
  const story = truth.stories.find((s) => s.scenario === 'leakedCredentials')!;
  const attacker = story.attackerIps[0]!;
  const fromAttacker = expectedActivities(oracle, { ip: attacker });
  expect(fromAttacker).toBeGreaterThan(0);
  await page.goto(`/#/activities?ip=${attacker}`);
  await loadedFilter(page, 'activities', `ip=${attacker}`, 60_000);
  expect(await loadAllCount(page, 'activities')).toBe(fromAttacker);

  // A type's failures, hundreds of them: the list pages through them all. (Successes are most of the log:
  // as a facet they narrow nothing, and paging them is the store's slow path, not what this checks.)
  const types = new Set(oracle.activities.map((record) => activityType({ ...record, userId: '' })));
  const typed = pick(
    [...types].map((type) => ({ types: [type], result: 'failure' as const })),
    (filter) => expectedActivities(oracle, filter),
    100,
    1000,
  );
  const typedQuery = `type=${typed.value.types[0]}&result=${typed.value.result}`;
  console.log(`activity filters: ip ${fromAttacker}, ${typedQuery} ${typed.count}`);
  await page.goto(`/#/activities?${typedQuery}`);
  await loadedFilter(page, 'activities', typedQuery, 60_000);
  expect(await loadAllCount(page, 'activities')).toBe(typed.count);

  // A country and a time window: the URL survives a reload.
  const countries = new Set(oracle.activities.flatMap((record) => (record.location?.country ? [record.location.country] : [])));
  const country = pick(countries, (value) => expectedActivities(oracle, { country: value }), 50, 2000);
  const times = oracle.activities
    .filter((record) => record.location?.country === country.value)
    .map((record) => record.time)
    .sort((a, b) => a - b);
  const window = {
    from: new Date(times[Math.floor(times.length / 3)]!).toISOString(),
    to: new Date(times[Math.floor((times.length * 2) / 3)]!).toISOString(),
  };
  const countryQuery = new URLSearchParams({ country: country.value, ...window }).toString();
  const inWindow = expectedActivities(oracle, { country: country.value, from: Date.parse(window.from), to: Date.parse(window.to) });
  expect(inWindow).toBeGreaterThan(0);
  expect(inWindow).toBeLessThan(country.count);
  await page.goto(`/#/activities?${countryQuery}`);
  await loadedFilter(page, 'activities', countryQuery, 60_000);
  expect(await loadAllCount(page, 'activities')).toBe(inWindow);
  await page.reload();
  await loadedFilter(page, 'activities', countryQuery, 60_000);
  expect(await loadAllCount(page, 'activities')).toBe(inWindow);
  await page.goBack();
  await loadedFilter(page, 'activities', typedQuery, 60_000);
});

test('the user page of a planted compromised user tells the story in its timeline', async () => {
  test.setTimeout(180_000);
  // The ranking needs the rescoring that follows the import.
  await page.goto('/#/imports');
  await expect(page.getByTestId('scoring-status')).toHaveAttribute('data-state', 'done', { timeout: 120_000 });

  // A compromised story's user heads the dashboard's ranking (confirmed compromised ranks first whatever the score).
  const compromised = truth.stories.filter((story) => story.verdict === 'compromised');
  await page.goto('/#/');
  const top = page.getByTestId('top-users').locator('tbody tr').first();
  await expect(top).toBeVisible({ timeout: 30_000 });
  const topName = (await top.locator('td').first().locator('strong').textContent())!;
  expect(compromised.map((story) => story.user.displayName)).toContain(topName);

  // The leaked-credentials story: its alerts and detections are on the user's timeline, at their times.
  const story = compromised.find((s) => s.scenario === 'leakedCredentials')!;
  const storyIds = new Set(story.records.filter((ref) => ref.table === 'alerts' || ref.table === 'riskDetections').map((ref) => ref.id));
  const expected = oracle.queue
    .filter((record) => storyIds.has(record.id.slice(record.id.indexOf(':') + 1)))
    .map((record) => `${new Date(record.time).toISOString()} ${summarize(record).title}`)
    .sort();
  expect(expected.length).toBeGreaterThanOrEqual(3);
  await page.goto(`/#/users/${encodeURIComponent(`objectId:${story.user.userId}`)}`);
  await expect(page.getByTestId('user-title')).toHaveText(story.user.displayName);
  const timeline = page.getByTestId('user-timeline');
  await expect(timeline).toHaveAttribute('data-ready', 'true', { timeout: 30_000 });
  await page.getByTestId('timeline-type-alert').click();
  await page.getByTestId('timeline-type-riskDetection').click();
  await expect(timeline.locator('li').first()).toBeVisible();
  await expect(async () => {
    const shown = await timeline
      .locator('li')
      .evaluateAll((items) =>
        items.map((item) => `${item.querySelector('time')?.getAttribute('datetime')} ${item.querySelector('.timeline-title')?.textContent}`),
      );
    for (const entry of expected) expect(shown).toContain(entry);
  }).toPass({ timeout: 30_000 });
  // The attacker's address is among the places the user was seen from.
  await page.getByTestId('seen-ip').click();
  await expect(page.getByTestId('seen-table')).toContainText(story.attackerIps[0]!);
  await page.getByTestId('score-panel').screenshot({ path: `${screens}/scale-user-priority.png` });
});

test('every view opens on the big workspace, with no serious accessibility violation, and is shot in light and dark', async () => {
  test.setTimeout(300_000);
  const { userPath, incidentPath } = await firstUserAndIncidentPaths(page);

  const views: [string, string, () => Promise<void>][] = [
    ['dashboard', '#/', () => expect(page.getByTestId('top-users').locator('tbody tr').first()).toBeVisible()],
    ['alerts-hidden', '#/alerts?hidden=show', () => loadedFilter(page, 'alerts', 'hidden=show')],
    [
      'alerts-drawer',
      '#/alerts',
      async () => {
        await page.getByTestId('alerts-table').locator('tbody tr[data-index]').first().click();
        await expect(page.getByTestId('record-details')).toBeVisible();
      },
    ],
    ['activities', '#/activities', () => loadedFilter(page, 'activities', '', 60_000)],
    ['users', '#/users', () => expect(page.getByTestId('users-table').locator('tbody tr').first()).toBeVisible()],
    ['user', userPath, () => expect(page.getByTestId('user-timeline')).toHaveAttribute('data-ready', 'true', { timeout: 30_000 })],
    ['incidents', '#/incidents', () => expect(page.getByTestId('incidents-table').locator('tbody tr').first()).toBeVisible()],
    ['incident', incidentPath, () => expect(page.getByTestId('incident-timeline').locator('li').first()).toBeVisible()],
    ['imports', '#/imports', () => expect(page.getByTestId('import-history')).toBeVisible()],
    ['settings', '#/settings', () => expect(page.getByTestId('storage-usage')).toBeVisible()],
  ];
  for (const [name, path, ready] of views) {
    await page.goto(`/${path}`);
    await ready();
    await checkView(page, name);
  }
});
