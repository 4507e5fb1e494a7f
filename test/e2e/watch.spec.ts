import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseAll } from '../../shared/formats/parse.ts';
import { samplesDir } from '../samples.ts';
import { expect, snap, test } from './fixtures.ts';

let folder: string;

/** Records the pipeline reads from these files (under Node): what a first import of them adds. */
async function recordsIn(...files: string[]): Promise<number> {
  let total = 0;
  for (const file of files) total += (await parseAll(file, readFileSync(path.join(folder, file)))).records.length;
  return total;
}

test.beforeEach(() => {
  folder = path.join(mkdtempSync(path.join(tmpdir(), 'sightline-e2e-watch-')), 'exports');
  mkdirSync(folder);
  copyFileSync(path.join(samplesDir, 'identity-protection/list_risky_users.json'), path.join(folder, 'risky-users.json'));
  copyFileSync(path.join(samplesDir, 'vendor-doc-examples/xdr-incidents-list.json'), path.join(folder, 'incidents.json'));
  writeFileSync(path.join(folder, 'README.txt'), 'Weekly exports of the tenant.\n');
});

test.afterEach(() => rmSync(path.dirname(folder), { recursive: true, force: true }));

test('a watched folder in the web build: picked once, re-scanned, and only the new file imported', async ({ watched: page }) => {
  // The input fallback is what every browser has; Chromium's directory picker cannot be driven by a test.
  await page.addInitScript(() => delete (window as { showDirectoryPicker?: unknown }).showDirectoryPicker);
  await page.goto('/#/imports');

  const picked = page.waitForEvent('filechooser');
  await page.getByTestId('watch-add').click();
  await (await picked).setFiles(folder);
  const row = page.getByTestId('watched-folder');
  await expect(row).toHaveCount(1);
  const first = await recordsIn('risky-users.json', 'incidents.json');
  await expect(row.getByTestId('watched-folder-brought')).toContainText(`3 files · ${first} records added · 0 updated · 0 unchanged · 1 skipped`, {
    timeout: 30_000,
  });
  await expect(row).toContainText('exports');
  await expect(page.getByTestId('import-job').first()).toContainText('Watched folder exports');
  await expect(page.getByTestId('import-history')).toContainText('exports/README.txt — skipped: not an export');

  // A new export lands in the folder; Re-scan asks for the folder again and imports that file only.
  copyFileSync(path.join(samplesDir, 'identity-protection/list_risk_detections.json'), path.join(folder, 'detections.json'));
  const repicked = page.waitForEvent('filechooser');
  await row.getByRole('button', { name: 'Re-scan exports' }).click();
  await (await repicked).setFiles(folder);
  const second = await recordsIn('detections.json');
  await expect(row.getByTestId('watched-folder-brought')).toHaveText(`1 file · ${second} records added · 0 updated · 0 unchanged`, { timeout: 30_000 });
  const latest = page.getByTestId('import-job').first();
  await expect(latest).toContainText('1 file ·');
  await expect(page.getByTestId('import-history').locator('tbody > tr').first()).toContainText('exports/detections.json');
  await expect(page.getByTestId('import-history').locator('tbody > tr').first()).not.toContainText('risky-users.json');
  await snap(page, 'imports-watched-folder');

  // Nothing changed: Re-scan brings nothing and says so.
  const again = page.waitForEvent('filechooser');
  await row.getByRole('button', { name: 'Re-scan exports' }).click();
  await (await again).setFiles(folder);
  await expect(row.getByTestId('watched-folder-brought')).toHaveText('Nothing new');

  // The folder and its last sync survive a reload.
  await page.reload();
  await expect(page.getByTestId('watched-folder')).toContainText('Nothing new');
});

test('turning a source off in Settings persists across a reload', async ({ watched: page }) => {
  await page.goto('/#/settings');
  const identity = page.getByTestId('integration-defender-for-identity');
  await expect(identity).toBeChecked();
  await identity.uncheck();
  await expect(page.getByTestId('integrations')).toContainText('disabled');
  await page.reload();
  await expect(page.getByTestId('integration-defender-for-identity')).not.toBeChecked();
  await expect(page.getByTestId('integration-identity-protection')).toBeChecked();
  await expect(page.getByTestId('storage-usage')).toContainText(/\d/);
  await expect(page.getByTestId('storage-persistence')).toContainText(/Granted|Not granted/);
  await snap(page, 'settings-integrations-storage');
  await page.getByTestId('integration-defender-for-identity').check();
  await page.reload();
  await expect(page.getByTestId('integration-defender-for-identity')).toBeChecked();
});

test('with the File System Access API, Re-scan reads the kept directory handle again, even after a reload', async ({ watched: page }) => {
  // Chromium's directory picker is a native dialog a test cannot drive. It is replaced by a handle to a real
  // directory of the origin-private file system: walking, comparing, keeping the handle in IndexedDB and
  // reading it back after a reload all run as they would on a folder the analyst picked.
  await page.addInitScript(() => {
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle('exports', { create: true });
  });
  const write = (name: string, text: string) =>
    page.evaluate(
      async ({ name, text }) => {
        const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle('exports', { create: true });
        const writable = await (await directory.getFileHandle(name, { create: true })).createWritable();
        await writable.write(text);
        await writable.close();
      },
      { name, text },
    );
  await page.goto('/#/imports');
  await write('risky-users.json', readFileSync(path.join(folder, 'risky-users.json'), 'utf8'));
  await write('README.txt', 'notes');

  await page.getByTestId('watch-add').click();
  const row = page.getByTestId('watched-folder');
  const first = await recordsIn('risky-users.json');
  await expect(row.getByTestId('watched-folder-brought')).toHaveText(`2 files · ${first} records added · 0 updated · 0 unchanged · 1 skipped`, {
    timeout: 30_000,
  });

  await page.reload();
  await write('incidents.json', readFileSync(path.join(folder, 'incidents.json'), 'utf8'));
  await page.getByTestId('watched-folder').getByRole('button', { name: 'Re-scan exports' }).click();
  const second = await recordsIn('incidents.json');
  await expect(page.getByTestId('watched-folder').getByTestId('watched-folder-brought')).toHaveText(
    `1 file · ${second} records added · 0 updated · 0 unchanged`,
    {
      timeout: 30_000,
    },
  );
  await expect(page.getByTestId('import-history').locator('tbody > tr').first()).toContainText('exports/incidents.json');
  await expect(page.getByTestId('import-history').locator('tbody > tr').first()).not.toContainText('risky-users.json');

  // Adding the same directory again is the same watched folder, not a second one.
  await page.getByTestId('watch-add').click();
  await expect(page.getByTestId('watched-folder').getByTestId('watched-folder-brought')).toHaveText('Nothing new');
  await expect(page.getByTestId('watched-folder')).toHaveCount(1);
});
