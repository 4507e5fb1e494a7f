import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

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
  test.setTimeout(240_000);
  await loadDemo(page);

  await page.goto('/#/users');
  await page.getByTestId('users-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('user-title')).toBeVisible();
  const userPath = new URL(page.url()).hash;

  await page.goto('/#/incidents');
  await page.getByTestId('incidents-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('incident-title')).toBeVisible();
  const incidentPath = new URL(page.url()).hash;

  const views: [string, string, (page: Page) => Promise<void>][] = [
    ['dashboard', '#/', (p) => expect(p.getByRole('heading', { name: 'Riskiest users' })).toBeVisible()],
    ['alerts', '#/alerts', (p) => expect(p.getByTestId('alerts-table').locator('tbody tr').first()).toBeVisible()],
    ['activities', '#/activities', (p) => expect(p.getByTestId('activities-table').locator('tbody tr').first()).toBeVisible()],
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
  await page.getByTestId('alerts-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('record-details')).toBeVisible();
  await check(page, 'alert-details-dark');
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('combobox', { name: 'Search commands and users' })).toBeFocused();
  await check(page, 'palette-dark');
});

test('empty views say what to do next, in both themes, with no serious accessibility violation', async ({ watched: page }) => {
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
