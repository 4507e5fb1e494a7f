import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SyncResult, WatchDelivery } from '../../shared/ipc.ts';
import { FileRegistry, readChunk } from '../files.ts';
import { WatchService } from './service.ts';
import { WatchStore } from './store.ts';

// Far above the 80 ms between pieces of the slow write, so a busy machine does not split it.
const QUIET_MS = 600;
const result: SyncResult = { at: 1, files: 1, added: 1, updated: 0, unchanged: 0, rejected: 0, skipped: 0, failed: 0 };

let base: string;
let folder: string;
let storeFile: string;
const services: WatchService[] = [];

beforeEach(() => {
  base = mkdtempSync(path.join(tmpdir(), 'sightline-watch-'));
  folder = path.join(base, 'exports');
  mkdirSync(folder);
  storeFile = path.join(base, 'user-data', 'watched-folders.json');
});

afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.close()));
  rmSync(base, { recursive: true, force: true });
});

function start(registry = new FileRegistry()) {
  const deliveries: WatchDelivery[] = [];
  const service = new WatchService({
    store: WatchStore.open(storeFile),
    registry,
    deliver: (delivery) => deliveries.push(delivery),
    quietMs: QUIET_MS,
    batchMs: 100,
  });
  services.push(service);
  service.start();
  return { service, deliveries, registry };
}

/** Writes a file whose last change is well past the quiet period, as an export finished earlier would be. */
function writeSettled(relative: string, content: string, ageMs = 60_000): string {
  const file = path.join(folder, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  const when = new Date(Date.now() - ageMs);
  utimesSync(file, when, when);
  return file;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await sleep(25);
  }
}

async function readAll(registry: FileRegistry, token: string, size: number): Promise<string> {
  return Buffer.from(await readChunk(registry, token, 0, Math.max(1, size))).toString();
}

describe('WatchService with a real folder', () => {
  it('delivers a file written slowly in pieces once, complete', async () => {
    const { service, deliveries, registry } = start();
    const { folder: watched } = await service.add(folder);
    const file = path.join(folder, 'signins.ndjson');
    const pieces = Array.from({ length: 8 }, (_, i) => `{"id":"s${i}","createdDateTime":"2026-10-0${(i % 9) + 1}T00:00:00Z"}\n`);
    // Pieces arrive 80 ms apart: each gap is shorter than the quiet period, the whole write is longer.
    for (const piece of pieces) {
      appendFileSync(file, piece);
      await sleep(80);
    }
    await until(() => deliveries.length > 0);
    await sleep(QUIET_MS * 3); // Long enough for a second, wrong delivery to show up.
    expect(deliveries).toHaveLength(1);
    const [delivery] = deliveries;
    expect(delivery!.folderId).toBe(watched.id);
    expect(delivery!.files).toHaveLength(1);
    const [delivered] = delivery!.files;
    const complete = pieces.join('');
    expect(delivered).toMatchObject({ name: 'signins.ndjson', relativePath: 'exports/signins.ndjson', size: Buffer.byteLength(complete) });
    expect(await readAll(registry, delivered!.token, delivered!.size)).toBe(complete);
  });

  it('does not deliver again after a restart what the renderer acknowledged, and delivers what changed', async () => {
    writeSettled('alerts.json', '[{"id":"a1"}]');
    writeSettled('sub/risk.json', '[{"id":"r1"}]');
    const first = start();
    const { folder: watched, delivery } = await first.service.add(folder);
    expect(delivery.files.map((file) => file.relativePath)).toEqual(['exports/alerts.json', 'exports/sub/risk.json']);
    await first.service.recordSync(
      watched.id,
      delivery.files.map((file) => file.token),
      result,
    );
    await first.service.close();

    const second = start();
    expect(second.service.list()).toEqual([expect.objectContaining({ id: watched.id, name: 'exports', status: 'watching', lastSync: result })]);
    expect((await second.service.rescan(watched.id)).files).toEqual([]);

    // Same bytes under a new time (a copy tool, a touch): still nothing to import.
    writeSettled('alerts.json', '[{"id":"a1"}]', 30_000);
    expect((await second.service.rescan(watched.id)).files).toEqual([]);
    // New bytes: delivered, and only that file.
    writeSettled('sub/risk.json', '[{"id":"r1"},{"id":"r2"}]', 20_000);
    const changed = await second.service.rescan(watched.id);
    expect(changed.files.map((file) => file.relativePath)).toEqual(['exports/sub/risk.json']);
    expect(await readAll(second.registry, changed.files[0]!.token, changed.files[0]!.size)).toBe('[{"id":"r1"},{"id":"r2"}]');
  });

  it('offers again at the next re-scan a file whose import was never acknowledged', async () => {
    writeSettled('alerts.json', '[{"id":"a1"}]');
    const first = start();
    const { folder: watched, delivery } = await first.service.add(folder);
    expect(delivery.files).toHaveLength(1);
    await first.service.close(); // The app stopped before the import ended.
    const second = start();
    expect((await second.service.rescan(watched.id)).files.map((file) => file.name)).toEqual(['alerts.json']);
  });

  it('delivers nothing when a file is deleted, and keeps the folder and its last sync', async () => {
    const file = writeSettled('alerts.json', '[{"id":"a1"}]');
    const { service, deliveries } = start();
    const { folder: watched, delivery } = await service.add(folder);
    await service.recordSync(
      watched.id,
      delivery.files.map((entry) => entry.token),
      result,
    );
    rmSync(file);
    await sleep(QUIET_MS * 3);
    expect(deliveries).toEqual([]);
    expect((await service.rescan(watched.id)).files).toEqual([]);
    expect(service.list()).toEqual([expect.objectContaining({ id: watched.id, lastSync: result })]);
  });

  it('lists files that are not exports too, for the import to report as skipped, but no dotfiles', async () => {
    writeSettled('README.txt', 'Exports of the tenant, weekly.');
    writeSettled('notes.md', '# notes');
    writeSettled('alerts.json', '[]');
    writeSettled('.DS_Store', 'x');
    writeSettled('.git/config', '[core]');
    const { service } = start();
    const { delivery } = await service.add(folder);
    expect(delivery.files.map((file) => file.relativePath)).toEqual(['exports/README.txt', 'exports/alerts.json', 'exports/notes.md']);
  });

  it('delivers a file that appears in a new subfolder while watching, in one batch with its neighbour', async () => {
    const { service, deliveries } = start();
    const { folder: watched } = await service.add(folder);
    mkdirSync(path.join(folder, 'week-2'));
    await sleep(100); // Let the watcher pick up the new folder before files land in it.
    writeFileSync(path.join(folder, 'week-2', 'a.json'), '[1]');
    writeFileSync(path.join(folder, 'week-2', 'b.json'), '[2]');
    await until(() => deliveries.length > 0);
    await sleep(200);
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]!.folderId).toBe(watched.id);
    expect(deliveries[0]!.files.map((file) => file.relativePath).sort()).toEqual(['exports/week-2/a.json', 'exports/week-2/b.json']);
  });

  it('says a folder that vanished is unavailable, keeps it, and watches it again once it is back', async () => {
    const { service, deliveries } = start();
    const { folder: watched } = await service.add(folder);
    const warn = console.warn;
    console.warn = () => undefined; // The service logs the lost watch; expected here.
    try {
      rmSync(folder, { recursive: true });
      // The watcher notices on its own, before anyone re-scans.
      await until(() => service.list()[0]?.status === 'unavailable');
    } finally {
      console.warn = warn;
    }
    await expect(service.rescan(watched.id)).rejects.toMatchObject({ code: 'not-found' });
    expect(service.list()).toEqual([expect.objectContaining({ id: watched.id, status: 'unavailable' })]);
    mkdirSync(folder);
    expect((await service.rescan(watched.id)).files).toEqual([]);
    expect(service.list()[0]?.status).toBe('watching');
    // Watching resumed: a file written into the folder that came back is delivered by the watcher.
    writeFileSync(path.join(folder, 'back.json'), '[1]');
    await until(() => deliveries.length > 0);
    expect(deliveries[0]!.files.map((file) => file.relativePath)).toEqual(['exports/back.json']);
  });

  it('adds the same folder once, and forgets it on remove without touching its files', async () => {
    const file = writeSettled('alerts.json', '[]');
    const { service } = start();
    const first = await service.add(folder);
    const again = await service.add(path.join(folder, '.'));
    expect(again.folder.id).toBe(first.folder.id);
    await service.remove(first.folder.id);
    expect(service.list()).toEqual([]);
    expect(existsSync(file)).toBe(true);
    await expect(service.rescan(first.folder.id)).rejects.toMatchObject({ code: 'not-found' });
    await expect(service.add(path.join(base, 'missing'))).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('WatchStore', () => {
  it('sets an unreadable file aside and starts empty', () => {
    mkdirSync(path.dirname(storeFile), { recursive: true });
    writeFileSync(storeFile, '{"version":1,"folders":[{"id":');
    const warnings: unknown[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      expect(WatchStore.open(storeFile).folders()).toEqual([]);
    } finally {
      console.warn = original;
    }
    expect(warnings).toHaveLength(1);
    expect(readdirSync(path.dirname(storeFile)).some((name) => name.startsWith('watched-folders.json.unreadable-'))).toBe(true);
  });
});
