/**
 * A full disk: Chromium is told the origin may store only a little (CDP Storage.overrideQuotaForOrigin),
 * then a workspace larger than that is imported. The import stops with a message that says how far it
 * got and what to do; what was committed before stays whole and readable.
 */
import { expect, test } from '@playwright/test';
import { readStores, snap } from './fixtures.ts';

test('a full disk stops the import with a clear message and keeps the committed batches whole', async ({ page, baseURL }) => {
  await page.goto('/#/imports');
  const cdp = await page.context().newCDPSession(page);
  const origin = new URL(baseURL!).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1_500_000 });

  await page.getByTestId('load-demo').click();
  const job = page.getByTestId('import-job').first();
  await expect(job).toHaveAttribute('data-state', 'failed', { timeout: 60_000 });
  await expect(job.getByRole('alert')).toContainText(/Storage full after [\d,]+ records: nothing from the failed batch was saved\. Free space and resume\./);
  await snap(page, 'imports-storage-full');

  // Whole batches only: every event in the chunks was written by a journaled batch.
  const stores = await readStores(page, ['activityRaw', 'journal']);
  const journaled = new Set((stores.journal as { file: string; batch: number }[]).map((entry) => `${entry.file}\u0001${entry.batch}`));
  const rawKeys = (stores.activityRaw as { key: string }[]).map((row) => row.key);
  const state = { orphanRaw: rawKeys.filter((key) => !journaled.has(key.split('\u0001').slice(1).join('\u0001'))).length };
  expect(state.orphanRaw).toBe(0);

  // Space comes back: the same import now completes.
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });
});
