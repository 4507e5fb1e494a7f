import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, snap, test } from './fixtures.ts';

const samples = fileURLToPath(new URL('../../../shared/samples/', import.meta.url));

test.describe('Sightline web build', () => {
  test('an empty workspace says what to do next on every view', async ({ watched: page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Start an investigation' })).toBeVisible();
    await expect(page.getByTestId('load-demo')).toBeVisible();
    await snap(page, 'dashboard-empty');
    for (const [link, heading] of [
      ['Alerts', 'No alerts yet'],
      ['Activities', 'No activities yet'],
      ['Users', 'No users yet'],
      ['Incidents', 'No incidents yet'],
    ] as const) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: link }).click();
      await expect(page.getByRole('heading', { name: heading })).toBeVisible();
    }
  });

  test('imports a real export through the file picker, shows it, and keeps it after a reload', async ({ watched: page }) => {
    await page.goto('/#/imports');
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-files').click();
    await (await chooser).setFiles([`${samples}identity-protection/list_risk_detections.json`, `${samples}identity-protection/list_risky_users.json`]);
    await expect(page.getByTestId('import-history')).toContainText('Entra ID Protection risky users');
    await expect(page.getByTestId('import-history')).toContainText('3 accepted (3 new');
    // The ledger's SHA-256 (computed in the hash worker beside the import worker) is the file's own.
    const digests = await page.getByTestId('file-sha256').evaluateAll((items) => items.map((item) => item.getAttribute('data-sha256')));
    expect(digests.sort()).toEqual(
      ['list_risk_detections.json', 'list_risky_users.json']
        .map((name) =>
          createHash('sha256')
            .update(readFileSync(`${samples}identity-protection/${name}`))
            .digest('hex'),
        )
        .sort(),
    );
    await snap(page, 'imports-samples');

    // The sample's one detection is a medium "unfamiliar features" sign-in risk: the default Risky sign-in
    // policy (High only) keeps it out of the queue, and the queue says so.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    await expect(page.getByTestId('policy-hidden-note')).toContainText('1 alert or detection is hidden by policies');
    await page.getByRole('link', { name: 'Review the policies' }).click();
    await page.getByTestId('alert-service-all').check();
    await page.getByTestId('policies-save').click();
    await expect(page.getByTestId('policies-save')).toBeDisabled();
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).click();
    const alerts = page.getByTestId('alerts-table');
    await expect(page.getByTestId('alerts-table-count')).toHaveText(/^1 shown/);
    await expect(page.getByTestId('policy-hidden-note')).toHaveCount(0);
    await expect(alerts).toContainText('Unfamiliar features');
    await expect(alerts).toContainText('Olivia Lack');
    await alerts.locator('tbody tr[data-index]').first().click();
    await expect(page.getByTestId('record-details')).toContainText('abcdefab-af90-4edf-ac4c-742ff06735d0');
    await snap(page, 'alerts-samples');

    await page.getByTestId('record-details').getByRole('link', { name: 'Olivia Lack' }).click();
    await expect(page.getByTestId('user-title')).toHaveText('Olivia Lack');
    await expect(page.getByTestId('user-timeline').locator('li')).toHaveCount(1);
    await snap(page, 'user-samples');

    await page.reload();
    await expect(page.getByTestId('user-title')).toHaveText('Olivia Lack');
    await page.goto('/#/users');
    await expect(page.getByTestId('users-table').locator('tbody tr')).toHaveCount(4);
  });

  test('re-importing the same file is recognised by its content before parsing and adds nothing', async ({ watched: page }) => {
    await page.goto('/#/imports');
    for (let round = 0; round < 2; round++) {
      const chooser = page.waitForEvent('filechooser');
      await page.getByTestId('import-files').click();
      await (await chooser).setFiles(`${samples}identity-protection/list_risky_users.json`);
      await expect(page.getByTestId('import-history').locator(':scope > tbody > tr')).toHaveCount(round + 1);
    }
    await expect(page.getByTestId('import-history')).toContainText('3 accepted (0 new, 0 updated, 3 unchanged)');
    await expect(page.getByTestId('unchanged-file')).toHaveCount(1);
    await expect(page.getByTestId('unchanged-file')).toContainText(/already imported on .* — unchanged/);
  });

  test('skips notes, and reports a damaged file naming the file and line', async ({ watched: page }) => {
    await page.goto('/#/imports');
    const chooser = page.waitForEvent('filechooser');
    await page.getByTestId('import-files').click();
    await (
      await chooser
    ).setFiles([
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('Meeting notes from Monday, not an export at all.') },
      {
        name: 'cut.json',
        mimeType: 'application/json',
        buffer: Buffer.from(
          '{"value":[\n{"id":"111","riskLevel":"high","riskState":"atRisk","riskLastUpdatedDateTime":"2024-01-01T00:00:00Z","userPrincipalName":"a@b.c"},\n{"id":"222","riskLe',
        ),
      },
      {
        name: 'hostile.json',
        mimeType: 'application/json',
        buffer: Buffer.from(
          '[{"id":"333","riskLevel":"high","riskState":"atRisk","riskLastUpdatedDateTime":"2024-01-01T00:00:00Z","userPrincipalName":"d@b.c","userDisplayName":"Ad\\u0000min \\u202Egpj.exe"}]',
        ),
      },
    ]);
    await expect(page.getByTestId('cleaned-values')).toHaveText(
      ' · 1 field value cleaned (first: record 1, userDisplayName: 1 control character removed; 1 bidirectional override character removed)',
    );
    await expect(page.getByTestId('import-history')).toContainText('skipped: not an export');
    await expect(page.getByTestId('import-history')).toContainText('1 accepted (1 new');
    await page.getByRole('button', { name: '1 error', exact: true }).click();
    await expect(page.getByTestId('import-errors')).toContainText('cut.json, line 3: the file ends inside record 2 (truncated?) at line 3');
  });
});
