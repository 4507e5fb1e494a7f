/**
 * Times the bench's filter changes on a workspace kept by `profile-import --keep DIR`, without importing
 * again: opens the app on that browser profile, changes the activity log's (or the alerts queue's) filter
 * as a bookmark would, a few times each, and prints the times; with --profile, also the page's CPU profile
 * of those changes (functions with the most self and total time). The store's own timing lines (set by
 * `sightline:debug-query`) are printed as they come. Build without minification first for readable names:
 *
 *   npx vite build --config vite.config.ts --minify false --outDir /tmp/sightline-prof
 *   npx tsx scripts/profile-import.ts --web /tmp/sightline-prof --dir /work/perf-data/1m --no-profile --keep /work/prof-1m
 *   npx tsx scripts/profile-query.ts --web /tmp/sightline-prof --keep /work/prof-1m [--profile]
 *
 * A development tool, not a benchmark: `npm run bench` is where figures come from.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { INPAGE_SCRIPT, type FilterWatch } from '../bench/harness/inpage.ts';
import { launchProfileBrowser, printCpuProfile, type CpuProfile } from './profile-common.ts';
// @ts-expect-error: plain ES module without types
import { startServer } from './serve.mjs';

const { values } = parseArgs({
  options: {
    web: { type: 'string', default: 'dist/web' },
    keep: { type: 'string' },
    port: { type: 'string', default: '4398' },
    reps: { type: 'string', default: '5' },
    profile: { type: 'boolean', default: false },
    top: { type: 'string', default: '30' },
    /** Only the filters whose name contains this (day, user, country, alerts). */
    only: { type: 'string' },
    /** Instead of filters: time the bench's clicks from the Imports view to the Alerts and Activities views' first row. */
    nav: { type: 'boolean', default: false },
  },
});
if (!values.keep) throw new Error('--keep <profile kept by profile-import --keep> is required');

const server = (await startServer({ dir: resolve(values.web), port: Number(values.port) })) as { close: () => void };
const context = await launchProfileBrowser(resolve(values.keep));
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => console.log(`[page] ${message.text()}`));
  await page.addInitScript({ content: INPAGE_SCRIPT });
  await page.goto(`http://127.0.0.1:${values.port}/#/activities`);
  await page.evaluate("localStorage.setItem('sightline:debug-query', '1')");
  const firstRow = page.locator('[data-testid="activities-table"] tbody tr:not(.vt-spacer) time').first();
  const newest = await firstRow.getAttribute('datetime', { timeout: 120_000 });
  const to = Date.parse(newest!) - 3 * 86_400_000;
  const day = { from: new Date(to - 86_400_000).toISOString(), to: new Date(to).toISOString() };
  const filters = (
    [
      ['alerts sev+source', '#/alerts?severity=high,medium&source=defender-for-identity', 'alerts-view'],
      ['activities country', '#/activities?country=RO', 'activities-view'],
      ['activities day', `#/activities?from=${encodeURIComponent(day.from)}&to=${encodeURIComponent(day.to)}`, 'activities-view'],
    ] as [string, string, string][]
  ).filter(([name]) => !values.only || name.includes(values.only!));

  const cdp = await context.newCDPSession(page);
  if (values.profile) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
  }
  const views: [string, string][] = values.nav
    ? [
        ['Alerts', 'alerts-table'],
        ['Activities', 'activities-table'],
      ]
    : [];
  for (const [link, table] of views) {
    const times: number[] = [];
    for (let rep = 0; rep < Number(values.reps); rep++) {
      await page.evaluate(`location.hash = '#/imports'`);
      await page.getByTestId('import-files').waitFor({ timeout: 60_000 });
      await page.waitForTimeout(300);
      const selector = `[data-testid="${table}"] tbody tr:not(.vt-spacer), [data-testid="empty-state"]`;
      await page.evaluate(`window.__sightlineBench.armClick(${JSON.stringify(selector)}, 60000)`);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: new RegExp(`^${link}\\b`) })
        .first()
        .click();
      const watch = (await page.evaluate('window.__sightlineBench.clickDone()')) as { ms: number };
      times.push(watch.ms);
      console.log(`${link}: ${watch.ms.toFixed(0)} ms`);
    }
    times.sort((a, b) => a - b);
    console.log(`${link}: median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms of ${times.length}`);
  }
  for (const [name, hash, view] of values.nav ? [] : filters) {
    const times: number[] = [];
    for (let rep = 0; rep < Number(values.reps); rep++) {
      const base = hash.split('?')[0]!;
      await page.evaluate(`location.hash = ${JSON.stringify(base)}`);
      await page.locator(`[data-testid="${view}"][data-loaded-filter=""]`).waitFor({ timeout: 120_000 });
      await page.waitForTimeout(300);
      const watch = (await page.evaluate(`window.__sightlineBench.changeFilter(${JSON.stringify(hash)}, ${JSON.stringify(view)}, 60000)`)) as FilterWatch;
      times.push(watch.ms);
      console.log(`${name}: ${watch.ms.toFixed(0)} ms, ${watch.rows} rows${watch.empty ? ' (empty)' : ''}`);
    }
    times.sort((a, b) => a - b);
    console.log(`${name}: median ${times[Math.floor(times.length / 2)]!.toFixed(0)} ms of ${times.length}`);
  }
  if (values.profile) {
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
    printCpuProfile(profile, Number(values.top));
  }
} finally {
  await context.close();
  server.close();
}
