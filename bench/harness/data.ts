/**
 * The files a run imports: a simulated tenant generated once into bench/tmp/<seed>-<events>/ by
 * scripts/simulate.ts (reused while present), or any folder of export files given with --dir.
 */
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { BenchOptions } from './args.ts';
import { fmtBytes, fmtInt, log, onCleanup, REPO, run } from './util.ts';

export interface DataFile {
  /** Absolute path: what the file chooser is given. */
  path: string;
  /** Path inside the data folder: what the floor page fetches. */
  rel: string;
  bytes: number;
}

export interface Dataset {
  dir: string;
  source: 'simulator' | 'folder';
  /** The simulator ran in this invocation. */
  generated: boolean;
  generationMs?: number;
  simulator?: { seed: number; users?: number; days?: number; events: number; generator?: string };
  /** Present when the folder has the simulator's ground-truth.json. */
  truth?: { records: number; users?: number; days?: number; windowStart?: string; windowEnd?: string };
  files: DataFile[];
  bytes: number;
  note?: string;
}

/** Top-level files of a simulated folder that are not exports: never imported. */
const NOT_EXPORTS = new Set(['ground-truth.json', 'README.md']);

function listFiles(dir: string): DataFile[] {
  const files: DataFile[] = [];
  const visit = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      if (name.startsWith('.')) continue;
      const path = join(current, name);
      const stat = statSync(path);
      if (stat.isDirectory()) visit(path);
      else if (stat.isFile() && !(current === dir && NOT_EXPORTS.has(name)))
        files.push({ path, rel: relative(dir, path).split('\\').join('/'), bytes: stat.size });
    }
  };
  visit(dir);
  return files;
}

interface GroundTruth {
  generator?: string;
  options?: { users?: number; days?: number };
  window?: { start?: string; end?: string };
  tenant?: { userCount?: number };
  totals?: { records?: number };
}

function readTruth(dir: string): Dataset['truth'] {
  const path = join(dir, 'ground-truth.json');
  if (!existsSync(path)) return undefined;
  try {
    const truth = JSON.parse(readFileSync(path, 'utf8')) as GroundTruth;
    if (typeof truth.totals?.records !== 'number') return undefined;
    return {
      records: truth.totals.records,
      users: truth.tenant?.userCount ?? truth.options?.users,
      days: truth.options?.days,
      windowStart: truth.window?.start,
      windowEnd: truth.window?.end,
    };
  } catch {
    return undefined;
  }
}

function newestSimulatorSource(): number {
  let newest = 0;
  const visit = (path: string) => {
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) return;
    if (stat.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else if (!path.endsWith('.test.ts')) newest = Math.max(newest, stat.mtimeMs);
  };
  visit(join(REPO, 'scripts/simulate.ts'));
  visit(join(REPO, 'shared/simulate'));
  return newest;
}

export async function prepareDataset(options: BenchOptions): Promise<Dataset> {
  if (options.dir) {
    const dir = resolve(options.dir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`--dir ${options.dir}: no such folder`);
    const files = listFiles(dir);
    if (files.length === 0) throw new Error(`--dir ${options.dir}: no files to import`);
    return { dir, source: 'folder', generated: false, truth: readTruth(dir), files, bytes: files.reduce((sum, file) => sum + file.bytes, 0) };
  }

  const simulator = join(REPO, 'scripts/simulate.ts');
  if (!existsSync(simulator))
    throw new Error('scripts/simulate.ts is not there yet: pass --dir DIR (e.g. --dir resources/demo) to import a folder of export files');
  const name = [`${options.seed}-${options.events}`, options.users ? `u${options.users}` : '', options.days ? `d${options.days}` : '']
    .filter(Boolean)
    .join('-');
  const dir = join(REPO, 'bench/tmp', name);
  const sim: NonNullable<Dataset['simulator']> = { seed: options.seed, users: options.users, days: options.days, events: options.events };
  let generated = false;
  let generationMs: number | undefined;
  let note: string | undefined;
  const truthFile = join(dir, 'ground-truth.json');
  if (options.regen || !existsSync(truthFile)) {
    const partial = `${dir}.partial`;
    rmSync(partial, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
    const forget = onCleanup(() => rmSync(partial, { recursive: true, force: true }));
    const args = ['--seed', String(options.seed), '--events', String(options.events), '--out', partial, '--quiet'];
    if (options.users) args.push('--users', String(options.users));
    if (options.days) args.push('--days', String(options.days));
    log(`simulating the tenant: tsx scripts/simulate.ts ${args.join(' ')}`);
    const started = performance.now();
    const code = await run(process.execPath, ['--import', 'tsx', 'scripts/simulate.ts', ...args], { label: 'simulate', quiet: true });
    if (code !== 0) throw new Error(`scripts/simulate.ts failed (exit ${code})`);
    generationMs = performance.now() - started;
    renameSync(partial, dir);
    await forget();
    generated = true;
  } else if (statSync(truthFile).mtimeMs < newestSimulatorSource()) {
    note = 'the simulator changed after this tenant was generated: pass --regen to regenerate it';
    log(`note: ${note}`);
  }
  const truth = readTruth(dir);
  try {
    sim.generator = (JSON.parse(readFileSync(truthFile, 'utf8')) as GroundTruth).generator;
  } catch {
    // no generator name: fine
  }
  const files = listFiles(dir);
  const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
  log(
    `data: ${relative(REPO, dir)}: ${files.length} files, ${fmtBytes(bytes)}${truth ? `, ${fmtInt(truth.records)} records (ground truth)` : ''}${generated ? '' : ' (reused)'}`,
  );
  return { dir, source: 'simulator', generated, generationMs, simulator: sim, truth, files, bytes, note };
}
