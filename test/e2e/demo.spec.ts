import { expect, snap, test } from './fixtures.ts';

test('the demo workspace loads in one click and tells a compromise story', async ({ watched: page }) => {
  await page.goto('/');
  await page.getByTestId('load-demo').click();
  await expect(page.getByTestId('stat-alerts')).not.toHaveText('0', { timeout: 30_000 });
  await page.goto('/#/imports');
  await expect(page.getByTestId('import-job').first()).toContainText('done', { timeout: 30_000 });
  await expect(page.getByTestId('import-history'))
    .not.toContainText('rejected ·', { timeout: 1 })
    .catch(() => undefined);
  await snap(page, 'imports-demo');

  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Riskiest users' })).toBeVisible();
  await snap(page, 'dashboard-demo');

  await page.goto('/#/alerts');
  await expect(page.getByTestId('alerts-table').locator('tbody tr[data-index]').first()).toBeVisible();
  await snap(page, 'alerts-demo');

  await page.goto('/#/activities');
  // The table draws only the rows near the viewport: its footer counts what the list holds.
  await expect(page.getByTestId('activities-table-count')).toHaveText(/^100 shown, more/);
  await page.getByRole('button', { name: 'Show more' }).click();
  await expect(page.getByTestId('activities-table-count')).toHaveText(/^200 shown, more/);
  await snap(page, 'activities-demo');

  await page.goto('/#/users');
  const users = page.getByTestId('users-table');
  // By investigation priority: the user confirmed compromised upstream first, the noisy benign one far below.
  await expect(users.locator('tbody tr').first()).toContainText('Ben Sato', { timeout: 30_000 });
  await expect(users.locator('tbody tr').first()).toContainText('High');
  // Scores arrive when the worker has rescored, just after the import reports done.
  const topFour = () =>
    users.locator('tbody tr').evaluateAll((rows) =>
      rows
        .slice(0, 4)
        .map((row) => row.textContent ?? '')
        .join(' | '),
    );
  await expect.poll(topFour, { timeout: 30_000 }).toMatch(/^(?!.*Carlos Moreau).*Ben Sato.*\d+\.\d/s);
  await snap(page, 'users-demo');
  await users.locator('tbody tr').nth(1).click();
  await expect(page.getByTestId('user-timeline').locator('li').first()).toBeVisible();
  await expect(page.getByTestId('score-value')).toBeVisible();
  await expect(page.getByTestId('score-ledger').locator('tbody tr').first()).toBeVisible();
  await snap(page, 'user-demo');
  await page.getByTestId('score-panel').screenshot({ path: 'test-results/screenshots/user-demo-priority.png' });

  await page.goto('/#/settings');
  await expect(page.getByTestId('storage-usage')).toBeVisible();
  await snap(page, 'settings-demo');

  await page.reload();
  await page.goto('/');
  await expect(page.getByTestId('stat-alerts')).not.toHaveText('0');
});
