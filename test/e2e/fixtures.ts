import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';

/** What went wrong in a watched page so far: CSP violations, uncaught errors, console errors. */
export interface PageWatch {
  /** Everything recorded since the last call, and forgets it (so a page shared by several tests is checked per test). */
  take: () => Promise<{ violations: string[]; problems: string[] }>;
}

/** Starts recording a page's CSP violations and uncaught errors (before its first navigation). */
export async function watchPage(page: Page): Promise<PageWatch> {
  let problems: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      (window as unknown as { __cspViolations?: string[] }).__cspViolations ??= [];
      (window as unknown as { __cspViolations: string[] }).__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  return {
    take: async () => {
      const violations = await page
        .evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations?.splice(0) ?? [])
        .catch(() => [] as string[]);
      const taken = problems;
      problems = [];
      return { violations, problems: taken };
    },
  };
}

/** Fails the test if the watched page had a CSP violation or an error. */
export async function expectNothingWrong(watch: PageWatch): Promise<void> {
  const { violations, problems } = await watch.take();
  expect(violations, 'Content-Security-Policy violations').toEqual([]);
  expect(problems, 'errors in the page').toEqual([]);
}

/** Every page records CSP violations and uncaught errors; a test fails if any happened. */
export const test = base.extend<{ watched: Page }>({
  watched: async ({ page }, use) => {
    const watch = await watchPage(page);
    await use(page);
    await expectNothingWrong(watch);
  },
});

export { expect };

/** Axe's serious and critical findings (WCAG 2.1 A/AA and best practices), one readable line each, so a failure says what and where. */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
}

/** Waits for a list view to say the first page of exactly this filter (its URL query string) is on screen. */
export async function loadedFilter(page: Page, view: 'alerts' | 'activities', query: string, timeout = 15_000): Promise<void> {
  await expect(page.getByTestId(`${view}-view`)).toHaveAttribute('data-loaded-filter', query, { timeout });
}

/** Loads every page of a list view ("Show more" until there is none) and returns how many rows it holds. */
export async function loadAllCount(page: Page, view: 'alerts' | 'activities', maxPages = 200): Promise<number> {
  const empty = page.getByTestId('empty-state');
  if (await empty.isVisible()) return 0;
  const count = page.getByTestId(`${view}-table-count`);
  const more = page.getByRole('button', { name: 'Show more' });
  // Scrolling may already be fetching the next page (the button then reads "Loading…"): wait, then ask again.
  // The guard counts pages asked for, not waits: on a big workspace one page can take seconds.
  for (let pages = 0; /more load/.test((await count.textContent()) ?? '');) {
    if ((await more.count()) > 0 && (await more.isEnabled({ timeout: 1000 }).catch(() => false))) {
      await more.click({ timeout: 2000 }).catch(() => undefined);
      expect(++pages, 'pages to load').toBeLessThan(maxPages);
    } else await page.waitForTimeout(50);
  }
  const text = (await count.textContent()) ?? '';
  return Number(text.split(' ')[0]!.replace(/,/g, ''));
}

/**
 * Whether the virtual table has drawn a row under every point of the viewport that its body covers: a band of
 * spacer (rows not drawn) in view would be a blank stretch of table. Checked at 8-pixel steps.
 */
export async function tableFillsViewport(page: Page, testId: string): Promise<boolean> {
  return page.evaluate((id) => {
    const body = document.querySelector(`[data-testid="${id}"] tbody`);
    if (!body) return false;
    const bounds = body.getBoundingClientRect();
    const rows = [...body.querySelectorAll('tr[data-index]')].map((row) => row.getBoundingClientRect());
    for (let y = Math.max(bounds.top, 0); y < Math.min(bounds.bottom, window.innerHeight); y += 8)
      if (!rows.some((row) => row.top <= y && y < row.bottom)) return false;
    return true;
  }, testId);
}

const screenshotDir = 'test-results/screenshots';

/** Saves a full-page screenshot under test-results/screenshots for a person to look at. */
export async function snap(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: `${screenshotDir}/${name}.png`, fullPage: true });
}

/** Reads whole object stores with the page's own IndexedDB (no app code involved), to check what the store holds. */
export async function readStores(page: Page, stores: string[]): Promise<Record<string, unknown[]>> {
  return page.evaluate(async (names) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('sightline');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const all = (store: string) =>
      new Promise<unknown[]>((resolve, reject) => {
        const request = db.transaction(store).objectStore(store).getAll();
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    const out: Record<string, unknown[]> = {};
    for (const name of names) out[name] = await all(name);
    db.close();
    return out;
  }, stores);
}

/** The hash paths of the first user's page and the first incident's detail, opened from their lists. */
export async function firstUserAndIncidentPaths(page: Page): Promise<{ userPath: string; incidentPath: string }> {
  await page.goto('/#/users');
  await page.getByTestId('users-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('user-title')).toBeVisible();
  const userPath = new URL(page.url()).hash;
  await page.goto('/#/incidents');
  await page.getByTestId('incidents-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('incident-title')).toBeVisible();
  return { userPath, incidentPath: new URL(page.url()).hash };
}
