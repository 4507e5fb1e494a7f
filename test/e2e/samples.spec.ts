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
});
