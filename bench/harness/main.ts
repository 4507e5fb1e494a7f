/**
 * `npm run bench`: builds the web build if stale, prepares the tenant, serves both on 127.0.0.1,
 * runs the app R times in fresh headless Chromium profiles, measures the floors in the same session,
 * prints the medians beside the floors, and with --json writes bench/results/<date>-<sha>.json.
 * Everything it started (Chromium, servers, child processes, temp profiles, partial data) is undone
 * on success, failure and Ctrl+C.
 */
import { existsSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { runApp, type AppRun } from './app.ts';
import { parseArgs, USAGE } from './args.ts';
import { CHROMIUM_PATH } from './browser.ts';
import { ensureWebBuild, WEB_DIR } from './build.ts';
import { prepareDataset } from './data.ts';
import { runFloors, type FloorResults } from './floors.ts';
import { gitInfo, machineInfo } from './machine.ts';
import { buildFigures, comparisons, printReport, writeResults, type Report } from './report.ts';
import { startAppServer, startFloorServer } from './servers.ts';
import { errorText, fmtInt, log, median, REPO, runCleanups } from './util.ts';

let interrupted = false;

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) {
    log(`${signal} again: exiting without waiting for cleanup`);
    process.exit(130);
  }
  interrupted = true;
  log(`\n${signal}: stopping Chromium and the servers, deleting temporary profiles…`);
  const force = setTimeout(() => process.exit(130), 20_000);
  force.unref();
  void runCleanups().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
}

export async function main(argv: string[]): Promise<number> {
  let options;
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      process.stdout.write(USAGE);
      return 0;
    }
    options = parsed;
  } catch (error) {
    log(errorText(error));
    return 2;
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const started = new Date();
  const errors: string[] = [];
  try {
    if (!existsSync(CHROMIUM_PATH) || !statSync(CHROMIUM_PATH).isFile()) throw new Error(`no Chromium at ${CHROMIUM_PATH} (set CHROMIUM_PATH)`);
    const git = gitInfo();
    const machine = machineInfo(CHROMIUM_PATH);
    let build: Report['build'] = { built: false, skipped: !options.build };
    if (options.build) build = await ensureWebBuild();
    else if (!existsSync(`${WEB_DIR}/index.html`)) throw new Error('--no-build, but dist/web has no build');

    const data = await prepareDataset(options);
    const appUrl = await startAppServer(WEB_DIR);
    const floorUrl = await startFloorServer(data.dir);
    log(`serving the web build at ${appUrl} and the floor page + data at ${floorUrl}`);

    // The budget covers the measuring part only: building and simulating are one-time costs.
    const budgetEnd = options.budgetMin > 0 ? performance.now() + options.budgetMin * 60_000 : Infinity;
    const runs: AppRun[] = [];
    let skippedRuns = 0;
    let lastRunMs = 0;
    for (let run = 1; run <= options.runs && !interrupted; run++) {
      if (run > 1 && performance.now() + lastRunMs > budgetEnd) {
        skippedRuns = options.runs - run + 1;
        log(`app runs ${run}–${options.runs} skipped: the next would overrun the ${options.budgetMin}-minute budget (--budget-min)`);
        break;
      }
      log(`app run ${run}/${options.runs} (fresh profile)`);
      const runStarted = performance.now();
      const result = await runApp({
        appUrl,
        files: data.files,
        run,
        timeoutMs: options.timeoutMin * 60_000,
        queryReps: options.queryReps,
        scrollAfterS: options.scrollAfterS,
      });
      lastRunMs = performance.now() - runStarted;
      runs.push(result);
      machine.chromium ??= result.chromium;
      if (result.error) errors.push(`app run ${run}: ${result.error}`);
      if (result.pageErrors.length) errors.push(`app run ${run}: ${result.pageErrors.length} page error(s), first: ${result.pageErrors[0]}`);
    }

    if (interrupted) return 130;
    let floors: FloorResults | undefined;
    if (!options.skipFloors && !interrupted) {
      const imported = median(runs.flatMap((run) => (run.import?.records ? [run.import.records] : [])));
      const records = imported ?? data.truth?.records ?? options.events;
      const naiveRecords = Math.min(options.floorEvents ?? records, records);
      log(`floors: ${fmtInt(records)} records${naiveRecords < records ? ` (naive floor: ${fmtInt(naiveRecords)}, extrapolated)` : ''}`);
      floors = await runFloors({
        floorUrl,
        data,
        records,
        naiveRecords,
        runs: options.runs,
        naiveRuns: options.naiveRuns,
        budgetEnd,
        capped: options.floorEvents !== undefined,
      });
      machine.chromium ??= floors.chromium;
      errors.push(...floors.errors.map((error) => `floor ${error}`));
    }

    if (interrupted) return 130;
    const figures = buildFigures(runs, floors, data);
    const finished = new Date();
    const report: Report = {
      schema: 'sightline-bench/1',
      startedAt: started.toISOString(),
      finishedAt: finished.toISOString(),
      durationMs: finished.getTime() - started.getTime(),
      command: `node scripts/bench.mjs ${argv.join(' ')}`.trim(),
      options,
      git,
      machine,
      build,
      budget: { minutes: options.budgetMin, skippedAppRuns: skippedRuns },
      data: { ...data, files: data.files.map(({ rel, bytes }) => ({ rel, bytes })) },
      figures,
      comparisons: comparisons(figures, floors),
      runs,
      floors,
      errors,
    };
    process.stdout.write('\n');
    printReport(report);
    if (options.json) {
      const path = await writeResults(report);
      log(`\nresults: ${relative(REPO, path)}`);
    }
    log(`done in ${((finished.getTime() - started.getTime()) / 1000).toFixed(0)} s`);
    return errors.length ? 1 : 0;
  } catch (error) {
    if (!interrupted) log(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return 1;
  } finally {
    await runCleanups();
  }
}
