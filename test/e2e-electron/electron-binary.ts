// Where the Electron executable would be, mirroring scripts/ensure-electron.mjs (which this TypeScript
// project cannot import with types). Never downloads: the e2e run only reports whether a binary exists.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

export const repoRoot = path.resolve(import.meta.dirname, '..', '..');

export function electronBinaryPath(): string | null {
  try {
    const require = createRequire(path.join(repoRoot, 'package.json'));
    const dir = path.dirname(require.resolve('electron/package.json'));
    const relative = readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
    if (!relative) return null;
    const binary = path.join(process.env.ELECTRON_OVERRIDE_DIST_PATH || path.join(dir, 'dist'), relative);
    return existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}
