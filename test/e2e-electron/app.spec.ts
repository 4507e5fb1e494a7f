import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { ElectronApplication, Page } from '@playwright/test';
import { bridgeFunctionNames } from '../../shared/ipc.ts';
import { electronBinaryPath, repoRoot } from './electron-binary.ts';

const executablePath = electronBinaryPath();
const hasElectronBinary = executablePath !== null;

test.skip(!hasElectronBinary, 'No Electron binary on this machine: its postinstall download needs internet. Security config is covered by electron/*.test.ts.');

let app: ElectronApplication;
let page: Page;
let userData: string;

test.beforeAll(async () => {
  userData = mkdtempSync(path.join(tmpdir(), 'sightline-electron-e2e-'));
  // Only the variables the app needs: a stray SIGHTLINE_DEV_URL would point the window at a dev server.
  const env: Record<string, string> = { SIGHTLINE_USER_DATA: userData };
  for (const key of ['PATH', 'HOME', 'DISPLAY', 'WAYLAND_DISPLAY', 'XDG_RUNTIME_DIR', 'TMPDIR', 'SystemRoot', 'APPDATA', 'LOCALAPPDATA']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  // Chromium refuses to start as root with its OS sandbox (containers, CI). That sandbox is the OS layer
  // under the one this test checks (webPreferences.sandbox and contextIsolation), so only root drops it.
  const chromiumFlags = process.getuid?.() === 0 ? ['--no-sandbox'] : [];
  app = await electron.launch({
    executablePath: executablePath ?? undefined,
    args: [...chromiumFlags, path.join(repoRoot, 'dist-electron', 'main.cjs')],
    cwd: repoRoot,
    env,
  });
  page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
});

test.afterAll(async () => {
  await app?.close();
  if (userData) rmSync(userData, { recursive: true, force: true });
});

test('opens one Sightline window from app://', async () => {
  await expect(page).toHaveTitle(/Sightline/);
  expect(page.url()).toMatch(/^app:\/\/sightline\//);
  expect(app.windows()).toHaveLength(1);
});

test('exposes exactly the bridge and no Node to the page', async () => {
  const surface = await page.evaluate(() => {
    const globals = window as unknown as Record<string, unknown>;
    const bridge = globals['sightline'] as Record<string, unknown> | undefined;
    return {
      keys: bridge ? Object.keys(bridge) : null,
      types: bridge ? Object.values(bridge).map((value) => typeof value) : [],
      require: typeof globals['require'],
      process: typeof globals['process'],
      module: typeof globals['module'],
      buffer: typeof globals['Buffer'],
    };
  });
  expect(surface.keys).toEqual([...bridgeFunctionNames]);
  expect(new Set(surface.types)).toEqual(new Set(['function']));
  expect(surface).toMatchObject({ require: 'undefined', process: 'undefined', module: 'undefined', buffer: 'undefined' });
});

test('answers app:info through the bridge', async () => {
  const info = await page.evaluate(async () => {
    const bridge = (window as unknown as { sightline: { appInfo(): Promise<unknown> } }).sightline;
    return bridge.appInfo();
  });
  expect(info).toMatchObject({ ok: true, value: { shell: 'electron' } });
});

test('blocks navigation and new windows to external URLs', async () => {
  const before = page.url();
  // http: and file: are never opened externally either, so nothing leaves this machine during the test.
  for (const url of ['http://example.invalid/', 'file:///etc/passwd']) {
    await page.evaluate((target) => {
      window.location.href = target;
    }, url);
    await page.waitForTimeout(300);
    expect(page.url()).toBe(before);
  }
  const opened = await page.evaluate(() => window.open('http://example.invalid/') === null);
  expect(opened).toBe(true);
  expect(app.windows()).toHaveLength(1);
  const mainUrl = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.getURL());
  expect(mainUrl).toBe(before);
});
