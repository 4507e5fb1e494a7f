// Builds what the Electron test launches, but only where it can run: without a binary every test skips,
// so spending a build on it would be wasted time.
import { execFileSync } from 'node:child_process';
import { electronBinaryPath, repoRoot } from './electron-binary.ts';

export default function globalSetup(): void {
  if (!electronBinaryPath() || process.env.SIGHTLINE_E2E_SKIP_BUILD) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['run', 'build'], { cwd: repoRoot, stdio: 'inherit' });
}
