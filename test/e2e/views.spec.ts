import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, firstUserAndIncidentPaths, test } from './fixtures.ts';

/**
 * Every view, opened on the demo workspace in the light and the dark theme: axe-core must find no
 * serious or critical violation, and a full-page screenshot of each is saved in test-results/screens/
 * for a person to look at.
 */

const screens = 'test-results/screens';

async function loadDemo(page: Page): Promise<void> {
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.goto('/#/imports');
  await expect(page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
}

/** Axe's serious and critical findings, one readable line each, so a failure says what and where. */
async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

async function settled(page: Page): Promise<void> {
  await expect(page.getByTestId('loading')).toHaveCount(0);
  await expect(page.locator('main')).toBeVisible();
}

async function check(page: Page, name: string): Promise<void> {
  await settled(page);
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
  mkdirSync(screens, { recursive: true });
  await page.screenshot({ path: `${screens}/${name}.png`, fullPage: true });
}

test('every view opens in light and dark with no serious accessibility violation', async ({ watched: page }) => {
  // 20 axe passes at a few seconds each, after a demo import.
  test.setTimeout(480_000);
  await loadDemo(page);

  const { userPath, incidentPath } = await firstUserAndIncidentPaths(page);

  const views: [string, string, (page: Page) => Promise<void>][] = [
    ['dashboard', '#/', (p) => expect(p.getByRole('heading', { name: 'Riskiest users' })).toBeVisible()],
    ['alerts', '#/alerts', (p) => expect(p.getByTestId('alerts-table').locator('tbody tr[data-index]').first()).toBeVisible()],
    ['activities', '#/activities', (p) => expect(p.getByTestId('activities-table').locator('tbody tr[data-index]').first()).toBeVisible()],
    ['users', '#/users', (p) => expect(p.getByTestId('users-table').locator('tbody tr').first()).toBeVisible()],
    ['user', userPath, (p) => expect(p.getByTestId('user-timeline').locator('li').first()).toBeVisible()],
    ['incidents', '#/incidents', (p) => expect(p.getByTestId('incidents-table').locator('tbody tr').first()).toBeVisible()],
    ['incident', incidentPath, (p) => expect(p.getByTestId('incident-timeline').locator('li').first()).toBeVisible()],
    ['imports', '#/imports', (p) => expect(p.getByTestId('import-history')).toBeVisible()],
    ['settings', '#/settings', (p) => expect(p.getByTestId('storage-usage')).toBeVisible()],
  ];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, path, ready] of views) {
      await page.goto(`/${path}`);
      await ready(page);
      await check(page, `${name}-${scheme}`);
    }
  }

  // A record's details drawer and the command palette are views too.
  await page.goto('/#/alerts');
  await page.getByTestId('alerts-table').locator('tbody tr[data-index]').first().click();
  await expect(page.getByTestId('record-details')).toBeVisible();
  await check(page, 'alert-details-dark');
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('combobox', { name: 'Search commands and users' })).toBeFocused();
  await check(page, 'palette-dark');
});

test('empty views say what to do next, in both themes, with no serious accessibility violation', async ({ watched: page }) => {
  test.setTimeout(180_000);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const [name, path, heading] of [
      ['dashboard', '#/', 'Start an investigation'],
      ['alerts', '#/alerts', 'No alerts yet'],
      ['incidents', '#/incidents', 'No incidents yet'],
      ['incident', '#/incidents/incident%3Anope', 'No such incident in this workspace'],
      ['user', '#/users/upn%3Anobody%40example.com', 'No such user in this workspace'],
      ['unknown', '#/no-such-view', 'Nothing here'],
    ] as const) {
      await page.goto(`/${path}`);
      await expect(page.getByRole('heading', { name: heading })).toBeVisible();
      await check(page, `empty-${name}-${scheme}`);
    }
  }
});

test.describe('keyboard, theme and time zone', () => {
  test.use({ timezoneId: 'Asia/Kolkata' });

  test('j/k move, Enter opens, Escape closes, / searches, and the palette switches view, theme and zone', async ({ watched: page }) => {
    test.setTimeout(120_000);
    await loadDemo(page);
    await page.goto('/#/alerts');
    const rows = page.getByTestId('alerts-table').locator('tbody tr[data-index]');
    await expect(rows.first()).toBeVisible();

    // Focus order: on a freshly loaded page the first Tab reaches "Skip to content", which lands in the view.
    await page.reload();
    await expect(rows.first()).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(page.getByRole('button', { name: 'Skip to content' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.locator('main')).toBeFocused();

    await page.keyboard.press('j');
    await expect(rows.nth(0)).toBeFocused();
    await page.keyboard.press('j');
    await expect(rows.nth(1)).toBeFocused();
    await page.keyboard.press('Enter');
    const details = page.getByTestId('record-details');
    await expect(details.getByRole('heading', { level: 2 })).toHaveText((await rows.nth(1).locator('td[data-col=title]').textContent())!);
    mkdirSync(screens, { recursive: true });
    await page.screenshot({ path: `${screens}/alerts-keyboard-drawer-light.png` });
    await page.keyboard.press('k');
    await expect(rows.nth(0)).toBeFocused();
    // With the drawer open, it follows the selection.
    await expect(details.getByRole('heading', { level: 2 })).toHaveText((await rows.nth(0).locator('td[data-col=title]').textContent())!);
    await page.keyboard.press('Escape');
    await expect(details).toHaveCount(0);

    await page.keyboard.press('/');
    const search = page.getByRole('searchbox', { name: 'Search' });
    await expect(search).toBeFocused();
    await page.keyboard.type('leaked');
    await expect(rows).not.toHaveCount(0);
    await expect(async () => {
      for (const title of await rows.locator('td[data-col=title]').allTextContents()) expect(title).toBe('Leaked credentials');
    }).toPass();
    await page.keyboard.press('Escape');
    await expect(search).toHaveValue('');

    // The palette: to a view, then the theme (it persists), then the time zone.
    await page.keyboard.press('Control+k');
    const palette = page.getByRole('combobox', { name: 'Search commands and users' });
    await expect(palette).toBeFocused();
    await page.keyboard.type('incidents');
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/#\/incidents$/);
    await expect(palette).toBeHidden();

    await page.emulateMedia({ colorScheme: 'light' });
    // Enter only once the palette shows the typed query's best match: the dialog opens and loads users asynchronously.
    await page.keyboard.press('Control+k');
    await page.keyboard.type('theme');
    await expect(page.getByRole('listbox', { name: 'Commands' }).getByRole('option').first()).toContainText('Switch theme to Light');
    await page.keyboard.press('Enter'); // System → Light
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
    await expect(palette).toBeHidden();
    // The top bar's theme button takes the next step (Light → Dark).
    await page.getByTestId('theme-toggle').click();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(await background()).toBe('rgb(17, 20, 24)');
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await page.goto('/#/settings');
    await expect(page.getByTestId('theme-dark')).toBeChecked();
    await page.getByTestId('theme-system').check();
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
    expect(await background()).toBe('rgb(246, 247, 249)');

    // Times: the same instant in UTC and in the machine's zone (Asia/Kolkata, UTC+5:30).
    await page.goto('/#/alerts');
    const firstTime = rows.first().locator('td[data-col=time]');
    const utc = await firstTime.textContent();
    await expect(page.getByRole('columnheader', { name: 'Time (UTC)' })).toBeVisible();
    await page.getByTestId('zone-local').click();
    await expect(page.getByRole('columnheader', { name: 'Time (local)' })).toBeVisible();
    const local = await firstTime.textContent();
    expect(Date.parse(`${local!.replace(' ', 'T')}+05:30`)).toBe(Date.parse(`${utc!.replace(' ', 'T')}Z`));
    await page.reload();
    await expect(page.getByRole('columnheader', { name: 'Time (local)' })).toBeVisible();
  });
});
