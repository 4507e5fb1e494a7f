/**
 * Profiles one import in the real import worker: serves a web build, imports every export file of a
 * folder through the Imports view in headless Chromium, records a CPU profile of the worker thread
 * (CDP Profiler on the worker target) and prints the functions with the most self time, plus the
 * time between the import's start and its end. Build without minification first, or the names are
 * mangled:
 *
 *   npx vite build --config vite.config.ts --minify false --outDir /tmp/sightline-prof
 *   npx tsx scripts/profile-import.ts --web /tmp/sightline-prof --dir /work/perf-data/100k [--out worker.cpuprofile]
 *
 * A development tool, not a benchmark: `npm run bench` is where figures come from.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { frameLabel, launchProfileBrowser, printCpuProfile, type CpuProfile, type ProfileNode } from './profile-common.ts';
// @ts-expect-error: plain ES module without types
import { startServer } from './serve.mjs';

const { values } = parseArgs({
  options: {
    web: { type: 'string', default: 'dist/web' },
    dir: { type: 'string' },
    out: { type: 'string' },
    top: { type: 'string', default: '40' },
    port: { type: 'string', default: '4399' },
    /** Stage timings only, without the profiler's overhead. */
    'no-profile': { type: 'boolean', default: false },
    /** Then import the same files again, and time that (every file unchanged: nothing should be parsed). */
    reimport: { type: 'boolean', default: false },
    /** Import into this browser profile and keep it (for scripts/profile-query.ts); default: a temporary one, removed. */
    keep: { type: 'string' },
    /**
     * Sample the worker's JS heap every second (used, as the bench reads it) and, every fifth second, force a
     * garbage collection and read it again: what the import keeps alive, beside what it merely has not collected.
     */
    heap: { type: 'boolean', default: false },
    /** Seconds between the forced collections of --heap; 0: none (the heap as the bench sees it, logged each second). */
    'heap-gc-every': { type: 'string', default: '5' },
    /**
     * Record where the worker allocates (CDP HeapProfiler sampling) and print the sites with the most bytes:
     * `all` counts garbage too (what makes the heap grow); `live` (implies --heap) keeps the profile taken
     * when the heap after a forced collection was largest (what the import holds at its peak).
     */
    'heap-sampling': { type: 'string' },
  },
});
if (!values.dir) throw new Error('--dir <folder of exports> is required');
const heapSampling = values['heap-sampling'];
if (heapSampling && !['all', 'live'].includes(heapSampling)) throw new Error('--heap-sampling is all or live');
if (heapSampling === 'live') values.heap = true;

const files: string[] = [];
const visit = (dir: string) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) visit(path);
    else if (!['ground-truth.json', 'README.md'].includes(name)) files.push(path);
  }
};
visit(values.dir);

/**
 * CPU seconds (user + system) used so far by the processes whose command line names `marker` (this
 * run's Chromium): on a shared machine wall time swings with the load, the work done much less.
 */
function cpuSeconds(marker: string): number {
  return [...cpuByProcess(marker).values()].reduce((sum, seconds) => sum + seconds, 0);
}

/** The same, per Chromium process type (`browser` for the main process, where IndexedDB's backend runs). */
function cpuByProcess(marker: string): Map<string, number> {
  const byType = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const isChild = !cmdline.includes(marker) && cmdline.includes('chromium') && cmdline.includes('--type=');
      if (!cmdline.includes(marker) && !(isChild && childOf(entry, marker))) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const type = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser';
      byType.set(type, (byType.get(type) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // gone
    }
  }
  return byType;
}

/**
 * The same per thread (process type and thread name), largest first: which of the renderer's threads (the page,
 * the import worker, its sidecar) and the browser's (IndexedDB's backend, LevelDB) did the work, each named with
 * its thread id. Threads that ended before the import did are not counted.
 */
function cpuByThread(marker: string): [string, number][] {
  const byThread = new Map<string, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const isChild = !cmdline.includes(marker) && cmdline.includes('chromium') && cmdline.includes('--type=');
      if (!cmdline.includes(marker) && !(isChild && childOf(entry, marker))) continue;
      const type = /--type=([a-z-]+)/.exec(cmdline)?.[1] ?? 'browser';
      for (const task of readdirSync(`/proc/${entry}/task`)) {
        const stat = readFileSync(`/proc/${entry}/task/${task}/stat`, 'utf8');
        // Per thread, not per name: the import worker and its sidecar are both `DedicatedWorker`.
        const name = `${type}/${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}#${task}`;
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        byThread.set(name, (byThread.get(name) ?? 0) + (Number(fields[11]) + Number(fields[12])) / 100);
      }
    } catch {
      // gone
    }
  }
  return [...byThread].sort((a, b) => b[1] - a[1]);
}

function childOf(pid: string, marker: string): boolean {
  for (let at = pid, depth = 0; at !== '1' && at !== '0' && depth < 8; depth++) {
    const stat = readFileSync(`/proc/${at}/stat`, 'utf8');
    at = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]!;
    if (readFileSync(`/proc/${at}/cmdline`, 'utf8').includes(marker)) return true;
  }
  return false;
}

const server = (await startServer({ dir: resolve(values.web), port: Number(values.port) })) as { close: () => void };
const profileDir = values.keep ? resolve(values.keep) : mkdtempSync(join(tmpdir(), 'sightline-prof-'));
const context = await launchProfileBrowser(profileDir);
try {
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('console', (message) => console.log(`[page] ${message.text()}`));
  const cdp = await context.newCDPSession(page);
  let worker: string | undefined;
  const pending = new Map<number, (result: unknown) => void>();
  let nextId = 1;
  // The worker starts with the first import: it is held at its first line until the profiler runs.
  let profiling: (() => void) | undefined;
  const profilerStarted = new Promise<void>((resolve) => (profiling = resolve));
  cdp.on('Target.attachedToTarget', (event) => {
    if (event.targetInfo.type !== 'worker' || worker) return;
    worker = event.sessionId;
    void (async () => {
      if (!values['no-profile']) {
        await send('Profiler.enable');
        await send('Profiler.setSamplingInterval', { interval: 500 });
        await send('Profiler.start');
      }
      await send('Runtime.runIfWaitingForDebugger');
      if (values.heap) sampleHeap();
      if (heapSampling)
        await send('HeapProfiler.startSampling', {
          samplingInterval: 65536,
          includeObjectsCollectedByMajorGC: heapSampling === 'all',
          includeObjectsCollectedByMinorGC: heapSampling === 'all',
        });
      profiling!();
    })();
  });
  cdp.on('Target.receivedMessageFromTarget', (event) => {
    const message = JSON.parse(event.message) as { id?: number; result?: unknown; error?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result ?? message.error);
  });
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      void cdp.send('Target.sendMessageToTarget', { sessionId: worker!, message: JSON.stringify({ id, method, params }) });
    });
  interface SamplingNode {
    callFrame: ProfileNode['callFrame'];
    selfSize: number;
    children: SamplingNode[];
  }
  const heapPeaks = { used: 0, live: 0, samples: 0 };
  let peakProfile: { head: SamplingNode } | undefined;
  let heapTimer: ReturnType<typeof setInterval> | undefined;
  const sampleHeap = () => {
    heapTimer = setInterval(() => {
      void (async () => {
        const tick = ++heapPeaks.samples;
        const { usedSize } = (await send('Runtime.getHeapUsage')) as { usedSize: number };
        heapPeaks.used = Math.max(heapPeaks.used, usedSize ?? 0);
        const every = Number(values['heap-gc-every']);
        if (!every) console.log(`[heap ${tick} s] used ${(usedSize / 2 ** 20).toFixed(0)} MiB`);
        if (!every || tick % every) return;
        await send('HeapProfiler.collectGarbage');
        const after = (await send('Runtime.getHeapUsage')) as { usedSize: number };
        if (after.usedSize > heapPeaks.live && heapSampling === 'live')
          peakProfile = ((await send('HeapProfiler.getSamplingProfile')) as { profile: { head: SamplingNode } }).profile;
        heapPeaks.live = Math.max(heapPeaks.live, after.usedSize ?? 0);
        console.log(`[heap ${tick} s] used ${(usedSize / 2 ** 20).toFixed(0)} MiB, after GC ${(after.usedSize / 2 ** 20).toFixed(0)} MiB`);
      })();
    }, 1000);
  };
  await cdp.send('Target.setAutoAttach', { autoAttach: true, waitForDebuggerOnStart: true, flatten: false });
  await page.goto(`http://127.0.0.1:${values.port}/#/imports`);
  await page.getByTestId('import-files').waitFor();
  // The worker logs where the time went (stage totals) when this is set.
  await page.evaluate("localStorage.setItem('sightline:debug-import', '1')");
  const chooser = page.waitForEvent('filechooser');
  await page.getByTestId('import-files').click();
  const started = performance.now();
  const cpuBefore = cpuSeconds(profileDir);
  await (await chooser).setFiles(files);
  await profilerStarted;
  await page
    .locator('[data-testid="import-job"] .badge', { hasText: /^(done|failed|cancelled)$/ })
    .first()
    .waitFor({ timeout: 3_600_000 });
  const ms = performance.now() - started;
  if (heapTimer) {
    clearInterval(heapTimer);
    console.log(`worker heap: peak used ${(heapPeaks.used / 2 ** 20).toFixed(0)} MiB, peak after GC ${(heapPeaks.live / 2 ** 20).toFixed(0)} MiB`);
  }
  console.log(`browser CPU during the import: ${(cpuSeconds(profileDir) - cpuBefore).toFixed(1)} s (all its processes, user + system)`);
  // IndexedDB's backend runs in the browser process; the page and its workers in the renderer.
  console.log(`  by process (from launch): ${[...cpuByProcess(profileDir)].map(([type, seconds]) => `${type} ${seconds.toFixed(1)} s`).join(', ')}`);
  const threads = cpuByThread(profileDir).filter(([, seconds]) => seconds >= 0.5);
  console.log(`  by thread (from launch, 0.5 s or more): ${threads.map(([name, seconds]) => `${name} ${seconds.toFixed(1)} s`).join(', ')}`);
  console.log(`import: ${(ms / 1000).toFixed(1)} s; ${await page.getByTestId('import-job').first().innerText()}`);
  if (heapSampling) {
    const stopped = ((await send('HeapProfiler.stopSampling')) as { profile: { head: SamplingNode } }).profile;
    const profile = heapSampling === 'live' ? (peakProfile ?? stopped) : stopped;
    // Bytes allocated per function (self), and along each site's stack (the first three callers).
    const bySite = new Map<string, number>();
    const walk = (node: SamplingNode, stack: string[]) => {
      const path = [frameLabel(node), ...stack];
      if (node.selfSize) {
        const site = path.slice(0, 4).join(' < ');
        bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize);
      }
      for (const child of node.children) walk(child, path);
    };
    walk(profile.head, []);
    const total = [...bySite.values()].reduce((a, b) => a + b, 0);
    console.log(
      heapSampling === 'live'
        ? `\nlive at the largest heap after a collection (${(heapPeaks.live / 2 ** 20).toFixed(0)} MiB), by allocation site: ${(total / 2 ** 20).toFixed(0)} MiB sampled`
        : `\nallocated (sampled, garbage included): ${(total / 2 ** 20).toFixed(0)} MiB`,
    );
    for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(values.top)))
      console.log(`${(bytes / 2 ** 20).toFixed(0).padStart(7)} MiB ${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${site}`);
  }
  if (!values['no-profile']) {
    const { profile } = (await send('Profiler.stop')) as { profile: CpuProfile };
    if (values.out) writeFileSync(values.out, JSON.stringify(profile));
    printCpuProfile(profile, Number(values.top));
  }
  if (values.reimport) {
    // After the rescoring that follows an import (it runs once imports stop arriving), as the bench does.
    await page.locator('[data-testid="scoring-status"][data-state="done"]').waitFor({ timeout: 600_000 });
    const logged = page.waitForEvent('console', { predicate: (message) => message.text().startsWith('[import '), timeout: 600_000 });
    const again = page.waitForEvent('filechooser');
    await page.getByTestId('import-files').click();
    const reStarted = performance.now();
    await (await again).setFiles(files);
    await logged;
    console.log(`re-import: ${((performance.now() - reStarted) / 1000).toFixed(2)} s from choosing the files to the worker's log line`);
  }
} finally {
  await context.close();
  server.close();
  if (!values.keep) rmSync(profileDir, { recursive: true, force: true });
}
