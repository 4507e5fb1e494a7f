/**
 * The activity log serves its next pages from what the previous page's scan read (renderer/db/repo.ts,
 * activity-carry.ts), so it must hear every commit that changes the chunks, including the import worker's,
 * which reach the page only through Dexie's announcement across the origin. Checked here in Chromium.
 */
import { join } from 'node:path';
import { samplesDir } from '../samples.ts';
import { expect, loadAllCount, readStores, test } from './fixtures.ts';

test('the activity log drops what it kept when the import worker commits, and pages the whole log once', async ({ watched: page }) => {
  const heard: string[] = [];
  page.on('console', (message) => {
    if (message.text().startsWith('[store]')) heard.push(message.text());
  });
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('sightline:debug-query', '1'));
  await page.getByTestId('load-demo').click();
  await page.goto('/#/imports');
  await expect(page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });

  // Every page of the log, then the same two pages again: the second time, the next page comes from the first's scan.
  await page.goto('/#/activities');
  const counters = (await readStores(page, ['counters'])).counters as { key: string; value: number }[];
  const total = counters.find((row) => row.key === 'activities')!.value;
  expect(total).toBeGreaterThan(300);
  expect(await loadAllCount(page, 'activities')).toBe(total);
  // From the top: a reload restores the window's scroll, and at the foot of the list scrolling itself asks for pages.
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.reload();
  await expect(page.getByTestId('activities-table-count')).toHaveText(/^100 shown, more/);
  await page.getByRole('button', { name: 'Show more' }).click();
  // The click scrolls the button into view, near the list's end, where scrolling may ask for a page of its own.
  await expect
    .poll(async () => Number(/^(\d+) shown, more/.exec((await page.getByTestId('activities-table-count').textContent()) ?? '')?.[1] ?? 0))
    .toBeGreaterThanOrEqual(200);
  expect(heard).toEqual([]);

  // A commit from the import worker (a real unified audit log export the demo does not hold): the page hears it.
  await page.goto('/#/imports');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import files…' }).click();
  await (await chooser).setFiles(join(samplesDir, 'o365-ual/AuditLog.csv'));
  await expect(page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
  await expect.poll(() => heard.length, { timeout: 10_000 }).toBeGreaterThan(0);
});
