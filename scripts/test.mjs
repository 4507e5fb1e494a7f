#!/usr/bin/env node
// `npm test`: lint, typecheck, unit tests (vitest) and end-to-end tests (Playwright in a real Chromium),
// then one closing line with the totals. `--e2e-only` skips straight to the browser tests.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const e2eOnly = process.argv.includes('--e2e-only');
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
mkdirSync('test-results', { recursive: true });

function step(title, command, args, env = {}) {
  console.log(`\n=== ${title}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env }, shell: process.platform === 'win32' });
  return result.status === 0;
}

/** Playwright's own Chromium if installed, else the system's; as root on Debian, install it with apt-get. */
function findChromium() {
  try {
    const { chromium } = require('playwright-core');
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // playwright-core not resolvable or no browser registry: fall through to the system browser.
  }
  for (const candidate of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) {
    if (candidate && existsSync(candidate)) return candidate;
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isRoot && existsSync('/usr/bin/apt-get')) {
    console.log("No Chromium found: installing Debian's chromium package with apt-get…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    spawnSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
    if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  }
  console.error(
    "No Chromium for the end-to-end tests. Install one: `npx playwright install chromium` (needs internet), or your system's chromium package, or set CHROMIUM_PATH.",
  );
  return undefined;
}

function readJson(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}

const totals = { passed: 0, failed: 0, skipped: 0 };
let ok = true;

if (!e2eOnly) {
  ok = step('Lint', npx, ['eslint', '--max-warnings=0', '.']) && ok;
  ok = step('Typecheck', npx, ['tsc', '-b']) && ok;
  ok = step('Unit tests (vitest)', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']) && ok;
  const vitest = readJson('test-results/vitest.json');
  if (vitest) {
    totals.passed += vitest.numPassedTests ?? 0;
    totals.failed += vitest.numFailedTests ?? 0;
    totals.skipped += (vitest.numPendingTests ?? 0) + (vitest.numTodoTests ?? 0);
  }
}

const chromium = findChromium();
if (!chromium) ok = false;
else {
  const built = step('Build the web app', npx, ['vite', 'build', '--config', 'vite.config.ts', '--logLevel', 'warn']);
  ok = built && ok;
  if (built) {
    ok =
      step('End-to-end tests (Playwright, Chromium)', npx, ['playwright', 'test', '--reporter=list,json'], {
        CHROMIUM_PATH: chromium,
        PLAYWRIGHT_JSON_OUTPUT_NAME: 'test-results/playwright.json',
      }) && ok;
    const report = readJson('test-results/playwright.json');
    if (report?.stats) {
      totals.passed += report.stats.expected ?? 0;
      totals.failed += (report.stats.unexpected ?? 0) + (report.stats.flaky ?? 0);
      totals.skipped += report.stats.skipped ?? 0;
    }
  }
}

// The desktop window's own tests need an Electron binary; without one they run as skipped, and say why.
ok =
  step('End-to-end tests (Electron window)', npx, ['playwright', 'test', '-c', 'test/e2e-electron/playwright.config.ts', '--reporter=list,json'], {
    // Relative paths resolve against the config's folder: give an absolute one.
    PLAYWRIGHT_JSON_OUTPUT_NAME: resolve('test-results/playwright-electron.json'),
  }) && ok;
const electronReport = readJson('test-results/playwright-electron.json');
if (electronReport?.stats) {
  totals.passed += electronReport.stats.expected ?? 0;
  totals.failed += (electronReport.stats.unexpected ?? 0) + (electronReport.stats.flaky ?? 0);
  totals.skipped += electronReport.stats.skipped ?? 0;
  if (electronReport.stats.skipped && !electronReport.stats.expected)
    console.log('Skipped: no Electron binary on this machine (it is downloaded from the internet); the web build above ran the same renderer.');
}

console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(ok && totals.failed === 0 ? 0 : 1);
