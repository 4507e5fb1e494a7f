import { fileURLToPath } from 'node:url';
import { analyze } from '../../cli/analyze.ts';
import { expect, snap, test } from './fixtures.ts';

const samples = fileURLToPath(new URL('../../../shared/samples', import.meta.url));

test('the app imports the sample folder with the same counts as the command line', async ({ watched: page }) => {
  const report = await analyze([samples]);
  const expected = new Map(report.files.map((file) => [file.path.slice(samples.length + 1), file]));

  await page.goto('/#/imports');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Import folder…' }).click();
  await (await chooser).setFiles(samples);
  await expect(page.getByTestId('import-job').first()).toContainText('done', { timeout: 30_000 });

  const rows = page.getByTestId('import-history').locator('li');
  await expect(rows).toHaveCount(expected.size);
  for (const text of await rows.allTextContents()) {
    const path = text.split(' —')[0]!.replace(/^samples\//, '');
    const cli = expected.get(path);
    expect(cli, `the command line saw ${path}`).toBeDefined();
    if (cli!.skipped) expect(text).toContain('skipped');
    else expect(text, path).toContain(`${cli!.accepted.toLocaleString('en-US')} accepted`);
    expect(text, path).toContain(`${cli!.rejected.toLocaleString('en-US')} rejected`);
  }
  await snap(page, 'imports-samples-folder');

  const alertCount = report.alerts.count + report.riskDetections.count;
  // Policies (the default Risky sign-in threshold is High) keep some detections out of the queue, and the
  // queue says how many: what it shows and what it hides add up to what the command line read.
  await page.goto('/#/imports');
  await expect(page.getByTestId('scoring-status')).toHaveAttribute('data-state', 'done', { timeout: 30_000 });
  await page.goto('/#/alerts');
  await expect(page.getByTestId('alerts-table-count')).toBeVisible();
  const note = page.getByTestId('policy-hidden-note');
  await expect(note).toBeVisible();
  const hidden = (await note.count()) ? Number(/^([\d,]+)/.exec((await note.textContent()) ?? '')![1]!.replace(/,/g, '')) : 0;
  // The table draws only the rows near the viewport: its footer counts what the list holds.
  await expect(page.getByTestId('alerts-table-count')).toHaveText(new RegExp(`^${Math.min(100, alertCount - hidden)} shown`));
  await page.goto('/#/alerts?source=defender-for-identity');
  // Table columns name products briefly; the full name is the cell's tooltip.
  await expect(page.getByTestId('alerts-table').locator('tbody tr[data-index="0"] .source')).toHaveAttribute('title', 'Defender for Identity');
  await snap(page, 'alerts-samples-folder');

  await page.goto('/#/incidents');
  await expect(page.getByTestId('incidents-table').locator('tbody tr')).toHaveCount(report.incidents.count);
  await page.getByTestId('incidents-table').locator('tbody tr').first().click();
  await expect(page.getByTestId('incident-title')).toBeVisible();
  await expect(page.getByTestId('incident-users')).not.toBeEmpty();
  await snap(page, 'incidents-samples-folder');

  await page.goto('/#/activities');
  await expect(page.getByTestId('activities-table-count')).toHaveText(/^100 shown, more/);
  await snap(page, 'activities-samples-folder');

  // pgustavo, joined across the OTRF files: his page lists every identifier and records from several sources.
  await page.goto('/#/users/' + encodeURIComponent('objectId:aead923d-498b-4f64-a66c-2af91447a8b6'));
  await expect(page.getByRole('table', { name: 'Identities joined' }).locator('tbody tr')).toHaveCount(4);
  await expect(page.getByTestId('user-timeline')).toContainText('Directory Services replication');
  await expect(page.getByTestId('user-timeline')).toContainText('MailItemsAccessed');
  await snap(page, 'user-pgustavo');
});
