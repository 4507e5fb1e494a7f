/**
 * How long scoring takes on a big tenant: `npx tsx scripts/score-perf.ts <simulated folder>`
 * (write one with `npm run simulate -- --events 1000000 --out DIR`). Reads the exports through the
 * CLI's pipeline, then times, separately from parsing: building the baselines in batches of 10,000
 * as the worker would, serialising them, scoring with the default 7-day window and with the whole
 * month, and the daily snapshots. Figures are printed, never asserted.
 */
import { createReadStream } from 'node:fs';
import { collectFiles, readSources } from '../cli/analyze.ts';
import { ReportBuilder } from '../shared/analyze/report.ts';
import { BaselineBuilder, BaselineIndex } from '../shared/score/baseline.ts';
import { dailySnapshots, scoreAll } from '../shared/score/score.ts';

const folder = process.argv[2];
if (!folder) {
  console.error('Usage: npx tsx scripts/score-perf.ts <folder of exports>');
  process.exit(2);
}

const seconds = (since: number) => ((performance.now() - since) / 1000).toFixed(2);
const mib = () => `${Math.round(process.memoryUsage().heapUsed / 2 ** 20)} MiB heap`;

let t = performance.now();
const files = (await collectFiles([folder])).filter((file) => !/ground-truth\.json$|README\.md$/.test(file.path));
const builder = await readSources(
  new ReportBuilder(),
  files.map((file) => ({ label: file.label, open: () => createReadStream(file.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Uint8Array> })),
);
const attributed = builder.attributed();
console.log(`parse + resolve: ${attributed.length} records in ${seconds(t)} s (${mib()})`);

t = performance.now();
const baseline = new BaselineBuilder();
for (let i = 0; i < attributed.length; i += 10_000) baseline.add(attributed.slice(i, i + 10_000));
console.log(`baseline, in batches of 10,000: ${seconds(t)} s, ${Object.keys(baseline.state.users).length} users (${mib()})`);

t = performance.now();
const json = JSON.stringify(baseline.toJSON());
console.log(`baseline as JSON: ${(json.length / 2 ** 20).toFixed(1)} MiB in ${seconds(t)} s`);

t = performance.now();
const index = new BaselineIndex(baseline.state);
console.log(`baseline index: ${seconds(t)} s`);

for (const windowDays of [7, 30]) {
  t = performance.now();
  const result = scoreAll(attributed, index, { windowDays });
  const inputs = result.users.reduce((sum, user) => sum + user.inputs.length, 0);
  console.log(`scoreAll, ${windowDays}-day window: ${seconds(t)} s for ${result.users.length} users, ${inputs} counted inputs (${mib()})`);
}

t = performance.now();
const snapshots = dailySnapshots(attributed, index, { windowDays: 7 });
console.log(`dailySnapshots (7-day window): ${seconds(t)} s, ${snapshots.length} snapshots`);
