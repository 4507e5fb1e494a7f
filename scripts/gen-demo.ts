/**
 * Writes the demo workspace into resources/demo/: `npm run demo`.
 * It is the tenant simulator's output at demo scale (fixed seed, 40 people, every planted story once),
 * so the demo exercises every format the importer reads. The generator is pure (shared/simulate);
 * this script only touches the disk.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeText } from '../shared/simulate/sink.ts';
import { DEMO_SCALE_OPTIONS, generateWorkspace } from '../shared/simulate/workspace.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'resources', 'demo');

const started = performance.now();
const workspace = generateWorkspace(DEMO_SCALE_OPTIONS);

// The folder holds nothing but the demo: replace it whole so a file the simulator no longer writes goes too.
rmSync(outDir, { recursive: true, force: true });
let total = 0;
for (const file of workspace.files) {
  const path = join(outDir, file.path);
  mkdirSync(dirname(path), { recursive: true });
  const bytes = encodeText(file.content, file.encoding);
  writeFileSync(path, bytes);
  total += bytes.length;
  console.log(`${file.path.padEnd(60)} ${(bytes.length / 1024).toFixed(1).padStart(8)} KiB`);
}
const { totals, stories } = workspace.groundTruth;
console.log(`${totals.records} records, ${stories.length} planted stories`);
console.log(`seed ${String(DEMO_SCALE_OPTIONS.seed)}, ${(total / 1024 / 1024).toFixed(2)} MiB in ${outDir} (${Math.round(performance.now() - started)} ms)`);
