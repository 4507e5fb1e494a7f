/**
 * Drives bench/floor/ (a minimal page with Dexie and no app code) in its own fresh profile: the parse
 * floor over the same files, and the two write floors over the same record count as the app imported.
 */
import type { ParseFloor as PageParseFloor, WriteFloor as PageWriteFloor } from '../floor/floor.ts';
import { launchBrowser, type Peaks } from './browser.ts';
import type { Dataset } from './data.ts';
import { errorText, fmtInt, fmtSeconds, log } from './util.ts';

export type ParseFloor = PageParseFloor & { peaks?: Peaks };
/** `indexedDbBytes`: the profile's IndexedDB folder right after the writes, before the database is dropped. */
export type WriteFloor = PageWriteFloor & { peaks?: Peaks; indexedDbBytes?: number };

export interface FloorResults {
  chromium: string;
  /** Records the write floors stand for (what the app imported, else the ground truth, else --events). */
  records: number;
  users: number;
  days: number;
  parse: ParseFloor[];
  /** Each run wrote `records` of its own (≤ naiveRecords); extrapolated linearly to `records` above when fewer. */
  naive: WriteFloor[];
  /** Records the naive floor was asked for: `records`, or --floor-events. */
  naiveRecords: number;
  /** Put-time limit of the naive floor under the time budget (absent: none). */
  naiveTimeLimitMs?: number;
  chunk: WriteFloor[];
  /** Runs skipped by the time budget. */
  skipped: { parse: number; chunk: number; naive: number };
  errors: string[];
}

export async function runFloors(options: {
  floorUrl: string;
  data: Dataset;
  records: number;
  naiveRecords: number;
  runs: number;
  naiveRuns: number;
  /** performance.now() by which the floors should be done (Infinity: no budget). */
  budgetEnd: number;
  /** --floor-events was given: the naive floor writes exactly that many, whatever the budget. */
  capped: boolean;
}): Promise<FloorResults> {
  const { data } = options;
  const users = data.truth?.users ?? data.simulator?.users ?? 200;
  const days = data.truth?.days ?? data.simulator?.days ?? 30;
  const windowStart = data.truth?.windowStart ? Date.parse(data.truth.windowStart) : NaN;
  const startMs = Number.isFinite(windowStart) ? Math.floor(windowStart / 86_400_000) * 86_400_000 : 1_700_000_000_000;
  const browser = await launchBrowser('floors');
  const results: FloorResults = {
    chromium: browser.version,
    records: options.records,
    users,
    days,
    parse: [],
    naive: [],
    naiveRecords: options.naiveRecords,
    chunk: [],
    skipped: { parse: 0, chunk: 0, naive: 0 },
    errors: [],
  };
  const { page } = browser;
  try {
    await page.goto(`${options.floorUrl}floor/`);
    await page.waitForFunction('window.benchFloor && window.benchFloor.ready', undefined, { timeout: 30_000 });
    const files = data.files.map((file) => ({
      url: `${options.floorUrl}data/${file.rel.split('/').map(encodeURIComponent).join('/')}`,
      rel: file.rel,
      bytes: file.bytes,
    }));
    const measure = async <T extends { peaks?: Peaks }>(label: string, call: string): Promise<T | undefined> => {
      const sampler = browser.sampler();
      sampler.start();
      try {
        const value = (await page.evaluate(call)) as T;
        value.peaks = await sampler.stop();
        return value;
      } catch (error) {
        await sampler.stop();
        results.errors.push(`${label}: ${errorText(error)}`);
        log(`  floor ${label} failed: ${errorText(error)}`);
        return undefined;
      }
    };
    const write = (records: number) => JSON.stringify({ records, users, days, startMs, seed: 0x9e3779b1 });
    // Runs after the first are skipped when the previous one's duration would overrun the budget.
    const fits = (run: number, lastMs: number) => run === 1 || performance.now() + lastMs <= options.budgetEnd;
    let lastMs = 0;
    for (let run = 1; run <= options.runs; run++) {
      if (!fits(run, lastMs)) {
        results.skipped.parse = results.skipped.chunk = options.runs - run + 1;
        log(`  floor runs ${run}–${options.runs} of parse and chunk skipped: time budget`);
        break;
      }
      const runStarted = performance.now();
      const parse = await measure<ParseFloor>('parse', `window.benchFloor.parse(${JSON.stringify(files)})`);
      if (parse) {
        results.parse.push(parse);
        log(`  floor run ${run}: parse ${fmtSeconds(parse.decodeMs + parse.parseMs)} (decode + JSON.parse; fetch ${fmtSeconds(parse.fetchMs)})`);
      }
      const chunk = await measure<WriteFloor>('chunk', `window.benchFloor.chunk({ ...${write(options.records)}, maxPerChunk: 1000, rowsPerPut: 20 })`);
      if (chunk) {
        chunk.indexedDbBytes = browser.indexedDbBytes();
        await page.evaluate('window.benchFloor.drop()');
        results.chunk.push(chunk);
        log(`  floor run ${run}: chunk rows ${fmtSeconds(chunk.putMs)} put time, ${fmtInt(chunk.rows)} rows`);
      }
      lastMs = performance.now() - runStarted;
    }
    lastMs = 0;
    for (let run = 1; run <= options.naiveRuns; run++) {
      if (!fits(run, lastMs)) {
        results.skipped.naive = options.naiveRuns - run + 1;
        log(`  naive floor runs ${run}–${options.naiveRuns} skipped: time budget`);
        break;
      }
      // Uncapped (no --floor-events) and under a budget: write until the budget's end, at least a minute.
      const limitMs = options.capped || !Number.isFinite(options.budgetEnd) ? undefined : Math.max(60_000, options.budgetEnd - performance.now());
      if (limitMs !== undefined) results.naiveTimeLimitMs = limitMs;
      log(
        `  floor run ${run}: naive rows (${fmtInt(options.naiveRecords)} records, 5 indexes${limitMs === undefined ? '' : `, stopping after ${fmtSeconds(limitMs)} of put time`})…`,
      );
      const runStarted = performance.now();
      const call = `window.benchFloor.naive({ ...${write(options.naiveRecords)}${limitMs === undefined ? '' : `, timeLimitMs: ${Math.round(limitMs)}`} })`;
      const naive = await measure<WriteFloor>('naive', call);
      if (naive) {
        naive.indexedDbBytes = browser.indexedDbBytes();
        await page.evaluate('window.benchFloor.drop()');
        results.naive.push(naive);
        log(`  floor run ${run}: naive rows ${fmtSeconds(naive.putMs)} put time for ${fmtInt(naive.records)} records`);
      }
      lastMs = performance.now() - runStarted;
    }
  } finally {
    await browser.close();
  }
  return results;
}
