/** Builds the production web build (dist/web) when it is missing or older than its sources. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { log, REPO, run } from './util.ts';

export const WEB_DIR = join(REPO, 'dist/web');

const SOURCE_DIRS = ['renderer', 'shared'];
const SOURCE_FILES = ['vite.config.ts', 'package.json', 'package-lock.json', 'tsconfig.base.json', 'tsconfig.web.json'];

function newestMtime(path: string): { mtime: number; file: string } {
  let newest = { mtime: 0, file: path };
  const visit = (current: string) => {
    const stat = statSync(current, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) {
      for (const name of readdirSync(current)) {
        if (name === 'node_modules' || name.startsWith('.')) continue;
        visit(join(current, name));
      }
    } else if (!/\.test\.tsx?$/.test(current) && stat.mtimeMs > newest.mtime) newest = { mtime: stat.mtimeMs, file: current };
  };
  visit(path);
  return newest;
}

/** Why the build must be (re)made, or undefined when dist/web is current. */
export function staleReason(): string | undefined {
  const index = join(WEB_DIR, 'index.html');
  if (!existsSync(index)) return 'dist/web is missing';
  const built = statSync(index).mtimeMs;
  for (const source of [...SOURCE_DIRS, ...SOURCE_FILES]) {
    const newest = newestMtime(join(REPO, source));
    if (newest.mtime > built) return `${newest.file.slice(REPO.length)} is newer than dist/web`;
  }
  return undefined;
}

export async function ensureWebBuild(): Promise<{ built: boolean; reason?: string }> {
  const reason = staleReason();
  if (!reason) return { built: false };
  log(`building the web build (${reason}): vite build --config vite.config.ts`);
  const code = await run(process.execPath, [join(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.config.ts', '--logLevel', 'warn'], {
    label: 'vite build',
    quiet: true,
  });
  if (code !== 0) throw new Error(`vite build failed (exit ${code})`);
  return { built: true, reason };
}
