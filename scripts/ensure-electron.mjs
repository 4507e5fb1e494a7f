#!/usr/bin/env node
// Finds the Electron binary, and when it is missing tries the package's own installer once. The installer
// downloads from the internet, so offline it fails fast (getaddrinfo ENOTFOUND) and callers fall back to
// the web build. Importable (scripts/start.mjs) and runnable: exit code 0 means a binary is present.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

function electronPackageDir() {
  try {
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return null;
  }
}

/**
 * The Electron executable, or null. Mirrors node_modules/electron/index.js (path.txt + dist/, or
 * ELECTRON_OVERRIDE_DIST_PATH) without requiring it, because that module throws when the binary is absent
 * and a require cache would keep the answer stale after an install.
 */
export function electronBinaryPath() {
  const dir = electronPackageDir();
  if (!dir) return null;
  let relative;
  try {
    relative = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    return null;
  }
  if (!relative) return null;
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(dir, 'dist');
  const binary = path.join(distDir, relative);
  return existsSync(binary) ? binary : null;
}

/**
 * Returns true when a binary is present, running `node node_modules/electron/install.js` once first if
 * needed. Never throws: a missing binary is an expected state on offline machines.
 */
export function ensureElectron({ timeoutMs = 60_000, log = (line) => console.error(line) } = {}) {
  if (electronBinaryPath()) return true;
  const dir = electronPackageDir();
  if (!dir) {
    log('[ensure-electron] the electron package is not installed (npm install first).');
    return false;
  }
  log('[ensure-electron] no Electron binary yet; trying its installer once (needs internet)...');
  const result = spawnSync(process.execPath, [path.join(dir, 'install.js')], {
    cwd: root,
    timeout: timeoutMs,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (electronBinaryPath()) return true;
  const reason = result.error
    ? result.error.message
    : (`${result.stderr ?? ''}`.match(/getaddrinfo \w+[^\n]*|E[A-Z]+[^\n]*/)?.[0] ?? `exit code ${result.status}`);
  log(`[ensure-electron] Electron binary unavailable: ${reason.trim()}`);
  return false;
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const present = ensureElectron();
  const binary = electronBinaryPath();
  console.log(present && binary ? `Electron binary: ${binary}` : 'No Electron binary on this machine.');
  process.exit(present ? 0 : 1);
}
