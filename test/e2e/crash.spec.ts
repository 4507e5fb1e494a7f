/**
 * Nothing lost: the browser is killed (SIGKILL, no chance to clean up) in the middle of a large import.
 * After a restart on the same profile the store holds whole batches only, the Imports view offers
 * Resume and Discard, and Resume reaches exactly the state an uninterrupted import reaches.
 */
import { chromium, type BrowserContext, type Page } from '@playwright/test';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unpackChunk, type StoredChunk } from '../../renderer/db/chunks.ts';
import { encodeText } from '../../shared/simulate/sink.ts';
import { generateWorkspace } from '../../shared/simulate/workspace.ts';
import { expect, readStores, test } from './fixtures.ts';

const args = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** What the store holds: every event (by id and content), the chunks, the journal and the counters. */
async function storeState(page: Page) {
  const stores = await readStores(page, ['activityChunks', 'journal', 'counters']);
  // Read beneath the app, then unpacked by the store's own rule: a chunk's events are stored as JSON text,
  // what they share apart (renderer/db/chunks.ts, packChunk).
  const chunks = (stores.activityChunks as StoredChunk[]).map((chunk) => unpackChunk(chunk)!);
  const journal = stores.journal as { importId: string; records: number }[];
  const counters = (stores.counters as { key: string; value: number }[]).sort((a, b) => (a.key < b.key ? -1 : 1));
  const events = chunks.flatMap((chunk) => chunk.events.map((event) => `${event.id}:${event.contentHash}`)).sort();
  return { events: events.length, fingerprint: events.join('|'), chunks: chunks.length, journal, counters };
}

async function launch(profile: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, { executablePath: process.env.CHROMIUM_PATH || undefined, args, headless: true });
  const page = context.pages()[0] ?? (await context.newPage());
  return { context, page };
}

function commandLine(pid: string): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return ''; // The process ended meanwhile.
  }
}

function killBrowser(profile: string): void {
  // Every process of that profile at once, like a power cut (read from /proc: no procps needed).
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    if (!commandLine(pid).includes(`--user-data-dir=${profile}`)) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}

async function importFile(page: Page, path: string): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('import-files').click();
  await (await chooser).setFiles(path);
}

test('a browser killed mid-import keeps whole batches, and Resume reaches the uninterrupted state', async ({ baseURL }) => {
  test.setTimeout(600_000);
  const work = mkdtempSync(join(tmpdir(), 'sightline-crash-'));
  try {
    // A large export: the simulator's biggest table at a size that takes several write batches.
    const workspace = generateWorkspace({ seed: 11, users: 60, days: 14, events: 300_000 });
    const biggest = workspace.files.filter((file) => file.path.endsWith('.ndjson')).sort((a, b) => b.content.length - a.content.length)[0]!;
    const path = join(work, 'export.ndjson');
    writeFileSync(path, encodeText(biggest.content, biggest.encoding));
    const records = biggest.content.split('\n').filter((line) => line.trim()).length;
    expect(records).toBeGreaterThan(60_000);

    // The reference: the same file imported without interruption, in its own profile.
    const cleanProfile = join(work, 'clean');
    mkdirSync(cleanProfile);
    const clean = await launch(cleanProfile);
    await clean.page.goto(`${baseURL}#/imports`);
    await importFile(clean.page, path);
    await expect(clean.page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 300_000 });
    const reference = await storeState(clean.page);
    await clean.context.close();
    expect(reference.events).toBe(records);

    // The crash: killed as soon as the first batch is committed, well before the end.
    const profile = join(work, 'crash');
    mkdirSync(profile);
    const first = await launch(profile);
    await first.page.goto(`${baseURL}#/imports`);
    await importFile(first.page, path);
    await expect.poll(async () => (await storeState(first.page)).journal.length, { timeout: 300_000, intervals: [100] }).toBeGreaterThan(0);
    killBrowser(profile);
    await first.context.close().catch(() => undefined);

    // After restart: only whole batches, and the analyst is told.
    const second = await launch(profile);
    await second.page.goto(`${baseURL}#/imports`);
    await expect(second.page.getByTestId('interrupted-import')).toBeVisible();
    const after = await storeState(second.page);
    const committed = after.journal.reduce((sum, entry) => sum + entry.records, 0);
    expect(after.events).toBe(committed);
    expect(after.events).toBeLessThan(records);
    expect(after.journal.length).toBeGreaterThan(0);

    // Resume with the same file: the interrupted import's batches are skipped, the rest written.
    const chooser = second.page.waitForEvent('filechooser');
    await second.page.getByTestId('resume-import').click();
    await (await chooser).setFiles(path);
    await expect(second.page.getByTestId('import-job').first()).toHaveAttribute('data-state', 'done', { timeout: 300_000 });
    await expect(second.page.getByTestId('interrupted-import')).toHaveCount(0);
    const resumed = await storeState(second.page);
    expect(resumed.events).toBe(reference.events);
    expect(resumed.chunks).toBe(reference.chunks);
    expect(resumed.fingerprint).toBe(reference.fingerprint);
    expect(resumed.counters).toEqual(reference.counters);
    // The records the journal showed committed were skipped, not written again: the two imports' batches
    // hold every record once.
    expect(resumed.journal.reduce((sum, entry) => sum + entry.records, 0)).toBe(records);
    await second.context.close();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
});
