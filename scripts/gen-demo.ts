/**
 * Writes the demo workspace into resources/demo/: `npx tsx scripts/gen-demo.ts [seed]`.
 * The generator itself is pure (shared/simulate/demo.ts); this script only touches the disk.
 */
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_SEED, generateDemoWorkspace } from '../shared/simulate/demo.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'resources', 'demo');

const arg = process.argv[2];
const seed = arg === undefined ? DEMO_SEED : /^\d+$/.test(arg) ? Number(arg) : arg;

const started = performance.now();
const workspace = generateDemoWorkspace(seed);

mkdirSync(outDir, { recursive: true });
for (const name of readdirSync(outDir)) {
  if (name.endsWith('.json')) rmSync(join(outDir, name));
}

let total = 0;
for (const file of workspace.files) {
  const path = join(outDir, file.name);
  writeFileSync(path, file.content, 'utf8');
  const size = statSync(path).size;
  total += size;
  console.log(`${file.name.padEnd(22)} ${(size / 1024).toFixed(1).padStart(8)} KiB`);
}
const { counts, stories } = workspace.groundTruth;
console.log(`${counts.signIns} sign-ins, ${counts.riskDetections} risk detections, ${counts.riskyUsers} risky users; ${stories.length} stories`);
console.log(`seed ${String(seed)}, ${(total / 1024 / 1024).toFixed(2)} MiB in ${outDir} (${Math.round(performance.now() - started)} ms)`);
