/**
 * Small helpers shared by the harness: the cleanup registry (run on success, failure and Ctrl+C),
 * child processes that are killed by their own pid, statistics and number formatting.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** Progress goes to stderr so stdout carries only the results table. */
export function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

type Cleanup = () => unknown;
const cleanups = new Set<Cleanup>();

/** Registers an undo step; returns a function that runs it now and forgets it. */
export function onCleanup(fn: Cleanup): () => Promise<void> {
  cleanups.add(fn);
  return async () => {
    if (!cleanups.delete(fn)) return;
    await fn();
  };
}

/** Runs every registered cleanup, newest first; never throws. */
export async function runCleanups(): Promise<void> {
  const pending = [...cleanups].reverse();
  cleanups.clear();
  for (const fn of pending) {
    try {
      await fn();
    } catch (error) {
      log(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Spawns a child whose pid is registered for cleanup; resolves with its exit code. */
export function run(command: string, args: string[], options: SpawnOptions & { label: string; quiet?: boolean }): Promise<number> {
  const child: ChildProcess = spawn(command, args, {
    cwd: REPO,
    stdio: options.quiet ? ['ignore', 'ignore', 'pipe'] : ['ignore', 'inherit', 'inherit'],
    ...options,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const release = onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
    const exited = new Promise((done) => child.once('exit', done));
    try {
      process.kill(child.pid, 'SIGTERM');
    } catch {
      return; // already gone
    }
    await Promise.race([exited, sleep(5000)]);
  });
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      void release();
      reject(error);
    });
    child.once('exit', (code, signal) => {
      void release();
      if (code !== 0 && stderr) log(stderr.trimEnd());
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

export function median(values: readonly number[]): number | undefined {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return undefined;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function fmtInt(value: number): string {
  return integer.format(value);
}

/** Three significant figures, at most one decimal above 100 (41.2, 5.7, 234, 1,234). */
export function fmtNum(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : abs >= 1 ? 2 : 3;
  return new Intl.NumberFormat('en-US', { maximumFractionDigits: digits, minimumFractionDigits: abs >= 100 ? 0 : Math.min(1, digits) }).format(value);
}

export function fmtSeconds(ms: number): string {
  return `${fmtNum(ms / 1000)} s`;
}

export function fmtMs(ms: number): string {
  return ms >= 1000 ? fmtSeconds(ms) : `${fmtNum(ms)} ms`;
}

export function fmtMiB(bytes: number): string {
  return `${fmtNum(bytes / 1024 / 1024)} MiB`;
}

export function fmtBytes(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${fmtNum(bytes / 1024 ** 3)} GiB`;
  if (bytes >= 1024 ** 2) return fmtMiB(bytes);
  return `${fmtNum(bytes / 1024)} KiB`;
}

/** How a figure compares with a floor: "5.7× faster than the naive floor (234 s)" or "24× the chunk floor (1.7 s)". */
export function versus(oursMs: number, floorMs: number | undefined, floorLabel: string): string | undefined {
  if (!(oursMs > 0) || floorMs === undefined || !(floorMs > 0)) return undefined;
  return oursMs <= floorMs ? `${fmtNum(floorMs / oursMs)}× faster than ${floorLabel}` : `${fmtNum(oursMs / floorMs)}× ${floorLabel}`;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0]! : String(error);
}
