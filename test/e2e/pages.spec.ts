import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

/**
 * The dashboard, the user page and the incidents views on the demo workspace: what they say about the
 * planted stories, that their filters and links work, and that they pass axe in light and dark.
 * Demo facts (resources/demo/ground-truth.json): Ben Sato is confirmed compromised upstream and ranks
 * first; Rafael Zeller's leaked credentials are used from a hosting provider in Romania, a new country.
 */

const screens = 'test-results/screens';
const rafael = 'objectId:4bdd8cf9-af93-4684-bfe8-55a0fe3e490f';

async function loadDemo(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.goto('/#/imports');
  await expect(page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
}

async function axeAndShoot(page: Page, name: string): Promise<void> {
  await expect(page.getByTestId('loading')).toHaveCount(0);
  for (const theme of ['light', 'dark'] as const) {
    await page.evaluate((value) => document.documentElement.setAttribute('data-theme', value), theme);
    const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
    const serious = results.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
    expect(serious, `axe on ${name} (${theme})`).toEqual([]);
    mkdirSync(screens, { recursive: true });
    await page.screenshot({ path: `${screens}/pages-${name}-${theme}.png`, fullPage: true });
  }
  await page.evaluate(() => document.documentElement.removeAttribute('data-theme'));
}

test.describe.configure({ mode: 'serial' });

test('the dashboard ranks Ben Sato first, its brush filters the page, and its numbers open the filtered queue', async ({ watched: page }) => {
  test.setTimeout(240_000);
  await loadDemo(page);
  await page.goto('/#/');
  // Scores arrive once the worker has rescored, just after the import reports done.
  await expect(page.getByTestId('top-users').locator('tbody tr').first()).toContainText('Ben Sato', { timeout: 30_000 });
  await expect(page.getByTestId('top-users').locator('.sparkline').first()).toBeVisible();
  await expect(page.getByTestId('risk-distribution')).toContainText('High');
  await expect(page.getByTestId('last-import')).toContainText('files');
  await expect(page.getByTestId('alerts-chart').locator('.recharts-bar-rectangle').first()).toBeVisible();
  // A month of alerts: one bar per UTC day, and a bar's tooltip names its day.
  await expect(page.getByTestId('alerts-chart-unit')).toContainText('per UTC day.');
  const bar = await page.getByTestId('alerts-chart').locator('.recharts-bar-rectangle').first().boundingBox();
  await page.mouse.move(bar!.x + bar!.width / 2, bar!.y + bar!.height / 2);
  await expect(page.locator('.chart-tooltip strong')).toHaveText(/^2026-\d\d-\d\d$/);
  const allAlerts = Number((await page.getByTestId('stat-alerts').textContent())!.replace(/\D/g, ''));
  expect(allAlerts).toBeGreaterThan(30);

  // The severity stack lists the severities; each total links to the queue filtered to it.
  await page.getByTestId('stack-severity').click();
  await expect(page.getByTestId('total-high')).toBeVisible();
  await page.getByTestId('stack-source').click();

  await axeAndShoot(page, 'dashboard');

  // Drag the brush's left handle to the middle: the page narrows to a range and says so in the URL.
  const traveller = page.locator('.alerts-chart .recharts-brush-traveller').first();
  const chart = await page.getByTestId('alerts-chart').boundingBox();
  const handle = await traveller.boundingBox();
  await page.mouse.move(handle!.x + handle!.width / 2, handle!.y + handle!.height / 2);
  await page.mouse.down();
  await page.mouse.move(chart!.x + chart!.width * 0.6, handle!.y + handle!.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page).toHaveURL(/from=.*to=/);
  await expect(page.getByTestId('dashboard-range')).toBeVisible();
  const rangedAlerts = Number((await page.getByTestId('stat-alerts').textContent())!.replace(/\D/g, ''));
  expect(rangedAlerts).toBeLessThan(allAlerts);
  const url = new URL(page.url().replace('#/', ''));
  const from = url.searchParams.get('from')!;
  const to = url.searchParams.get('to')!;

  // A user's alert count in the range links to the queue filtered to that user and range.
  const userLink = page.getByTestId('user-alerts-link').first();
  const href = await userLink.getAttribute('href');
  expect(href).toContain('#/alerts?');
  const query = new URLSearchParams(href!.split('?')[1]);
  expect(query.get('user')).toBeTruthy();
  expect(query.get('from')).toBe(from);
  expect(query.get('to')).toBe(to);

  // The alerts stat opens the queue with the same range.
  await page.getByTestId('stat-alerts-link').click();
  await expect(page).toHaveURL(new RegExp(`#/alerts\\?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}$`));

  await page.goto(`/#/?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
  await expect(page.getByTestId('dashboard-range')).toBeVisible();
  await page.getByTestId('clear-range').click();
  await expect(page.getByTestId('stat-alerts')).toHaveText(new Intl.NumberFormat().format(allAlerts));
});

test('the user page of a compromised user tells the attack story and its filters narrow it', async ({ watched: page }) => {
  test.setTimeout(240_000);
  await loadDemo(page);
  await page.goto(`/#/users/${encodeURIComponent(rafael)}`);
  await expect(page.getByTestId('user-title')).toHaveText('Rafael Zeller');
  const timeline = page.getByTestId('user-timeline');
  await expect(timeline).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('user-identities')).toContainText('rafael.zeller@northwindtraders.example');
  await expect(page.getByTestId('user-identities')).toContainText('S-1-5-21-1037621622-3745433789-2571025324-1186');

  // The attack: from 2026-10-26 06:12 to 2026-10-29 03:37 UTC. Zoom the timeline to it with the brush
  // and read its story: records of several sources, newest first.
  await page.goto(`/#/users/${encodeURIComponent(rafael)}`);
  await expect(timeline).toHaveAttribute('data-ready', 'true');
  await expect(page.getByTestId('timeline-density').locator('.recharts-bar-rectangle').first()).toBeVisible({ timeout: 30_000 });
  const items = timeline.locator('li');
  await expect(items.first()).toBeVisible();
  const sources = await items.evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('data-source')))]);
  expect(sources.length).toBeGreaterThanOrEqual(3);
  const times = await timeline.locator('time').evaluateAll((nodes) => nodes.map((node) => Date.parse(node.getAttribute('datetime')!)));
  expect(times).toEqual([...times].sort((a, b) => b - a));
  // The attacker's address appears in the story, from more than one product.
  const attackSources = await items.filter({ hasText: '192.0.2.130' }).evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('data-source')))]);
  expect(attackSources.length).toBeGreaterThanOrEqual(2);
  await expect(items.filter({ hasText: /alert|Mass download|mailbox|Exchange/i }).first()).toBeVisible();

  // Filters: only alerts, then only Cloud Apps records.
  const before = await items.count();
  await page.getByTestId('timeline-type-alert').click();
  await expect.poll(() => items.count()).toBeLessThan(before);
  for (const type of await items.evaluateAll((rows) => rows.map((row) => row.getAttribute('data-type')))) expect(type).toBe('alert');
  await page.getByTestId('timeline-type-alert').click();
  await page.getByTestId('timeline-source').selectOption('defender-for-cloud-apps');
  await expect.poll(() => items.evaluateAll((rows) => [...new Set(rows.map((row) => row.getAttribute('data-source')))])).toEqual(['defender-for-cloud-apps']);
  await page.getByTestId('timeline-source').selectOption('');

  // Zoom in: the range narrows and the list follows it.
  await page.getByTestId('zoom-in').click();
  await expect(page.getByTestId('timeline-range')).not.toContainText('Whole history');
  await page.getByTestId('zoom-reset').click();
  await expect(page.getByTestId('timeline-range')).toContainText('Whole history');

  // Seen from: the attack's new country is listed, newest first seen at the top.
  await expect(page.getByTestId('seen-table')).toBeVisible();
  await expect(page.getByTestId('seen-table').locator('tbody tr').first()).toContainText(/^(RO|Romania)/);
  await page.getByTestId('seen-ip').click();
  await expect(page.getByTestId('seen-table')).toContainText('192.0.2.130');
  await page.getByTestId('seen-country').click();

  await expect(page.getByTestId('user-incidents')).toContainText(/Multi-stage|collection|exfiltration|Leaked/i);

  // Notes persist with who and when.
  await page.getByLabel('Kept in this workspace only; imports never change them.').fill('Password reset requested; attacker address 192.0.2.130 blocked.');
  await page.getByTestId('add-note').click();
  await expect(page.getByTestId('user-notes')).toContainText('attacker address 192.0.2.130 blocked');
  await page.reload();
  await expect(page.getByTestId('user-notes')).toContainText('analyst');
  await expect(page.getByTestId('user-notes')).toContainText('attacker address 192.0.2.130 blocked');

  // A record opens in the drawer.
  await items.first().getByRole('button').click();
  await expect(page.locator('.drawer')).toBeVisible();
  await page.keyboard.press('Escape');

  await axeAndShoot(page, 'user');
});

test('incidents list sorts and filters by status; the detail names users, sources and alerts', async ({ watched: page }) => {
  test.setTimeout(240_000);
  await loadDemo(page);
  await page.goto('/#/incidents');
  const table = page.getByTestId('incidents-table');
  await expect(table.locator('tbody tr').first()).toBeVisible();
  const all = await table.locator('tbody tr').count();
  expect(all).toBe(13);
  await page.getByTestId('incidents-open').click();
  await expect(page).toHaveURL(/status=open/);
  const open = await table.locator('tbody tr').count();
  expect(open).toBeLessThan(all);
  for (const status of await table.locator('tbody tr td:nth-child(3)').allTextContents()) expect(status).not.toMatch(/Resolved|Dismissed|Closed/);
  await page.getByTestId('incidents-all').click();
  await expect(table.locator('tbody tr')).toHaveCount(all);

  // Sort by alerts, most first, then fewest first.
  await table.getByRole('button', { name: 'Alerts', exact: true }).click();
  const counts = (await table.locator('tbody tr td:nth-child(7)').allTextContents()).map(Number);
  expect(counts).toEqual([...counts].sort((a, b) => b - a));
  await table.getByRole('button', { name: 'Alerts', exact: true }).click();
  const ascending = (await table.locator('tbody tr td:nth-child(7)').allTextContents()).map(Number);
  expect(ascending).toEqual([...counts].sort((a, b) => a - b));
  await axeAndShoot(page, 'incidents');

  // The search reads the users an incident names: Rafael Zeller's incident is the one left.
  await page.getByLabel('Search incidents').fill('rafael.zeller');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  // Under the title (which many incidents share), its id and the user it affects, by name; the name finds it too.
  await expect(table.locator('tbody tr td:nth-child(1)')).toContainText('2476 · Rafael Zeller');
  await page.getByLabel('Search incidents').fill('Rafael Z');
  await expect(table.locator('tbody tr')).toHaveCount(1);
  await table.locator('tbody tr').first().click();
  await expect(page.getByTestId('incident-title')).toBeVisible();
  await expect(page.getByTestId('incident-users')).toContainText('Rafael Zeller · 3 alerts');
  await expect(page.getByTestId('incident-sources').locator('li').first()).toBeVisible();
  await expect(page.getByTestId('incident-timeline').locator('li').first()).toBeVisible();
  // The incident as the source wrote it (the store keeps it as JSON text), pretty-printed.
  await page.getByText('View raw data').click();
  const raw = page.getByTestId('incident-raw');
  await expect(raw).toBeVisible();
  const source = JSON.parse((await raw.textContent())!) as Record<string, unknown>;
  expect(Object.keys(source).length).toBeGreaterThan(3);
  expect(JSON.stringify(source).toLowerCase()).toContain('rafael.zeller');
  await axeAndShoot(page, 'incident');
});
