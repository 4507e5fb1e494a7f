import { expect, snap, test } from './fixtures.ts';

test('retention previews what would go, purges it on request, and records the purge', async ({ watched: page }) => {
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await page.goto('/#/imports');
  await expect(page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 60_000 });

  await page.goto('/#/settings');
  const panel = page.getByTestId('retention-panel');
  await panel.getByTestId('retention-days').fill('7');
  await panel.getByTestId('retention-preview').click();
  const result = panel.getByTestId('retention-result');
  await expect(result).toContainText(/would be removed/);
  const text = (await result.textContent()) ?? '';
  const activities = Number(/([\d,]+) activities and sign-ins/.exec(text)?.[1]?.replaceAll(',', ''));
  expect(activities).toBeGreaterThan(0);
  await snap(page, 'settings-retention-preview');

  await panel.getByTestId('retention-purge').click();
  await expect(panel.getByTestId('retention-log').locator('li')).toHaveCount(1);
  await expect(panel.getByTestId('retention-log')).toContainText(`removed ${activities.toLocaleString('en-US')} activities and sign-ins`);

  // A second preview finds nothing older left.
  await panel.getByTestId('retention-preview').click();
  await expect(panel.getByTestId('retention-result')).toContainText('nothing would be removed');
  await snap(page, 'settings-retention-done');
});
