/**
 * Headless Debian Chromium in a fresh temporary profile per launch, and the samplers: summed VmRSS of
 * the browser's process tree from /proc, JSHeapUsedSize of the page (CDP Performance.getMetrics) and
 * of every dedicated worker (CDP Runtime.getHeapUsage: the Performance domain does not exist on
 * worker targets), every 250 ms. Closing kills whatever is left of that tree by pid and deletes the
 * profile; the same happens from the cleanup registry on failure or Ctrl+C.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { log, onCleanup, sleep } from './util.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--enable-precise-memory-info',
];

/** The processes of one browser: every process whose command line names its profile, and their descendants. */
export class ProcessTree {
  private readonly cmdlines = new Map<number, boolean>();
  constructor(private readonly marker: string) {}

  pids(): number[] {
    const parents = new Map<number, number>();
    const roots: number[] = [];
    let entries: string[];
    try {
      entries = readdirSync('/proc');
    } catch {
      return [];
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        // "pid (comm) state ppid …": comm may hold spaces or parentheses, so read after the last ')'.
        const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // Zombies hold no memory and cannot be killed: they only wait to be reaped.
        if (state === 'Z') continue;
        parents.set(pid, Number(ppid));
        let named = this.cmdlines.get(pid);
        if (named === undefined) {
          named = readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(this.marker);
          this.cmdlines.set(pid, named);
        }
        if (named) roots.push(pid);
      } catch {
        // the process ended while we looked
      }
    }
    const tree = new Set(roots);
    let grew = true;
    while (grew) {
      grew = false;
      for (const [pid, ppid] of parents) {
        if (!tree.has(pid) && tree.has(ppid)) {
          tree.add(pid);
          grew = true;
        }
      }
    }
    return [...tree];
  }

  rssBytes(pids = this.pids()): number {
    let total = 0;
    for (const pid of pids) {
      try {
        const match = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (match) total += Number(match[1]) * 1024;
      } catch {
        // gone
      }
    }
    return total;
  }

  kill(): number {
    const pids = this.pids();
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    return pids.length;
  }
}

/** Dedicated workers of a page, reached through the page's own CDP session (non-flat auto-attach). */
export class WorkerHeaps {
  private readonly workers = new Map<string, string>();
  private readonly pending = new Map<number, (message: { result?: { usedSize?: number }; error?: unknown }) => void>();
  private nextId = 1;

  constructor(private readonly session: CDPSession) {
    session.on('Target.attachedToTarget', (event) => {
      if (event.targetInfo.type === 'worker') this.workers.set(event.sessionId, event.targetInfo.url);
    });
    session.on('Target.detachedFromTarget', (event) => {
      if (event.sessionId) this.workers.delete(event.sessionId);
    });
    session.on('Target.receivedMessageFromTarget', (event) => {
      let message: { id?: number; result?: { usedSize?: number }; error?: unknown };
      try {
        message = JSON.parse(event.message) as typeof message;
      } catch {
        return;
      }
      if (message.id === undefined) return;
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
    });
  }

  async start(): Promise<void> {
    await this.session.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: false, flatten: false });
  }

  get count(): number {
    return this.workers.size;
  }

  /** Used JS heap of each worker now, in bytes. */
  async sample(): Promise<number[]> {
    const sizes = await Promise.all(
      [...this.workers.keys()].map(async (sessionId) => {
        const id = this.nextId++;
        const reply = new Promise<number | undefined>((resolve) => {
          const timer = setTimeout(() => {
            this.pending.delete(id);
            resolve(undefined);
          }, 2000);
          this.pending.set(id, (message) => {
            clearTimeout(timer);
            resolve(message.result?.usedSize);
          });
        });
        await this.session
          .send('Target.sendMessageToTarget', { sessionId, message: JSON.stringify({ id, method: 'Runtime.getHeapUsage' }) })
          .catch(() => undefined);
        return reply;
      }),
    );
    return sizes.filter((size): size is number => typeof size === 'number');
  }
}

export interface Peaks {
  rssBytes: number;
  pageHeapBytes: number;
  workerHeapBytes: number;
  samples: number;
  /** Workers seen during the window (0 when the page has none). */
  workers: number;
}

/** Samples memory every `intervalMs` between start() and stop(), keeping the peaks. */
export class Sampler {
  private timer?: NodeJS.Timeout;
  private busy = false;
  private peaks: Peaks = { rssBytes: 0, pageHeapBytes: 0, workerHeapBytes: 0, samples: 0, workers: 0 };

  constructor(
    private readonly tree: ProcessTree,
    private readonly page?: CDPSession,
    private readonly workers?: WorkerHeaps,
    private readonly intervalMs = 250,
  ) {}

  start(): void {
    this.peaks = { rssBytes: 0, pageHeapBytes: 0, workerHeapBytes: 0, samples: 0, workers: 0 };
    void this.tick();
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
  }

  async stop(): Promise<Peaks> {
    clearInterval(this.timer);
    this.timer = undefined;
    while (this.busy) await sleep(10);
    await this.tick();
    return { ...this.peaks };
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const peaks = this.peaks;
      peaks.rssBytes = Math.max(peaks.rssBytes, this.tree.rssBytes());
      const [metrics, workers] = await Promise.all([this.page?.send('Performance.getMetrics').catch(() => undefined), this.workers?.sample().catch(() => [])]);
      const heap = metrics?.metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value;
      if (heap !== undefined) peaks.pageHeapBytes = Math.max(peaks.pageHeapBytes, heap);
      for (const size of workers ?? []) peaks.workerHeapBytes = Math.max(peaks.workerHeapBytes, size);
      peaks.workers = Math.max(peaks.workers, this.workers?.count ?? 0);
      peaks.samples++;
    } finally {
      this.busy = false;
    }
  }
}

/** Bytes of every file under `dir` (0 when it does not exist). */
export function folderBytes(dir: string): number {
  let total = 0;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) total += folderBytes(path);
    else if (stat?.isFile()) total += stat.size;
  }
  return total;
}

export interface BenchBrowser {
  context: BrowserContext;
  page: Page;
  cdp: CDPSession;
  workers: WorkerHeaps;
  tree: ProcessTree;
  profile: string;
  version: string;
  sampler(): Sampler;
  /** Size on disk of the profile's IndexedDB folder (every origin, LevelDB logs included). */
  indexedDbBytes(): number;
  close(): Promise<void>;
  /** Closes the browser but keeps its profile on disk, to be reopened by `launchBrowser(label, profile)`. */
  keepProfile(): Promise<void>;
}

/**
 * A new headless Chromium: on a new temporary profile, or on `reuse` (an earlier browser's profile, which it
 * closed with `keepProfile()`), the way an analyst reopens the app on the workspace it holds.
 */
export async function launchBrowser(label: string, reuse?: string): Promise<BenchBrowser> {
  const profile = reuse ?? mkdtempSync(join(tmpdir(), `sightline-bench-${label}-`));
  const tree = new ProcessTree(profile);
  let context: BrowserContext | undefined;
  let closed = false;
  let keep = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    if (context) {
      await Promise.race([context.close().catch(() => undefined), sleep(15_000)]);
    }
    // Give the processes a moment to finish exiting on their own, then kill what is left by pid.
    for (let waited = 0; waited < 3000 && tree.pids().length > 0; waited += 100) await sleep(100);
    const killed = tree.kill();
    if (killed) {
      log(`killed ${killed} leftover Chromium process(es) of ${label}`);
      await sleep(200);
    }
    if (!keep) rmSync(profile, { recursive: true, force: true });
  };
  const forget = onCleanup(close);
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport: { width: 1366, height: 860 },
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    const workers = new WorkerHeaps(cdp);
    await workers.start();
    const version = await cdp
      .send('Browser.getVersion')
      .then((info) => info.product)
      .catch(async () => page.evaluate('navigator.userAgent') as Promise<string>);
    return {
      context,
      page,
      cdp,
      workers,
      tree,
      profile,
      version,
      sampler: () => new Sampler(tree, cdp, workers),
      indexedDbBytes: () => folderBytes(join(profile, 'Default', 'IndexedDB')),
      close: forget,
      keepProfile: async () => {
        keep = true;
        await forget();
        // Whoever reopens it deletes it (or the next cleanup does, if that never happens).
        onCleanup(async () => rmSync(profile, { recursive: true, force: true }));
      },
    };
  } catch (error) {
    await forget();
    throw error;
  }
}
