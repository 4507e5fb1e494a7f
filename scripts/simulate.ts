/**
 * Writes a simulated export folder: `npm run simulate -- --seed 1 --users 200 --days 30 --events 100000 --out DIR`
 * (`tsx scripts/simulate.ts …`). The generator (shared/simulate/workspace.ts) is pure and yields
 * the output as write operations, one day at a time; this script streams them to disk through
 * write streams, waiting for each stream to drain, so memory stays flat whatever the volume.
 * The same options always give byte-identical files.
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync, type WriteStream } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DEFAULT_OPTIONS, GROUND_TRUTH_FILE, README_FILE, Simulation, type WorkspaceOptions, type WorkspaceTruth } from '../shared/simulate/workspace.ts';

const USAGE = `Usage: npm run simulate -- [options]

  --seed N          seed (an integer or any text)              default ${String(DEFAULT_OPTIONS.seed)}
  --users U         people in the tenant (at least 20)          default ${DEFAULT_OPTIONS.users}
  --days D          days of exports                             default ${DEFAULT_OPTIONS.days}
  --events E        routine activity records to aim for         default ${DEFAULT_OPTIONS.events}
  --out DIR         output folder (created; must be empty)      default ./simulated
  --end ISO         last instant of the window (UTC)            default ${new Date(DEFAULT_OPTIONS.end / 1000).toISOString()}
  --max-file-mb M   roll bulk tables to a new part above M MiB  default ${DEFAULT_OPTIONS.maxFileBytes / 1024 / 1024}
  --graph-days G    days of interactive sign-ins exported from Graph (older ones: Log Analytics)  default ${DEFAULT_OPTIONS.graphSignInDays}
  --force           replace a previous simulation in DIR
  --quiet           no progress lines
`;

export interface SimulateArgs {
  options: WorkspaceOptions;
  out: string;
  force: boolean;
  quiet: boolean;
}

export function parseArgs(argv: string[]): SimulateArgs | 'help' {
  const options: WorkspaceOptions = {};
  let out = 'simulated';
  let force = false;
  let quiet = false;
  const integer = (flag: string, value: string | undefined): number => {
    if (value === undefined || !/^\d+$/.test(value)) throw new Error(`${flag} needs a non-negative integer, got ${value ?? 'nothing'}`);
    return Number(value);
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const [name, inline] = flag.includes('=') ? (flag.split(/=(.*)/s, 2) as [string, string]) : [flag, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '--help':
      case '-h':
        return 'help';
      case '--seed': {
        const text = value();
        if (text === undefined || text === '') throw new Error('--seed needs a value');
        options.seed = /^\d+$/.test(text) ? Number(text) : text;
        break;
      }
      case '--users':
        options.users = integer(name, value());
        break;
      case '--days':
        options.days = integer(name, value());
        break;
      case '--events':
        options.events = integer(name, value());
        break;
      case '--max-file-mb': {
        const text = value();
        if (text === undefined || !/^\d+(\.\d+)?$/.test(text)) throw new Error(`--max-file-mb needs a number of MiB, got ${text ?? 'nothing'}`);
        options.maxFileBytes = Math.round(Number(text) * 1024 * 1024);
        break;
      }
      case '--graph-days':
        options.graphSignInDays = integer(name, value());
        break;
      case '--end': {
        const text = value();
        const ms = text ? Date.parse(text) : NaN;
        if (!Number.isFinite(ms) || !/(Z|[+-]\d\d:?\d\d)$/.test(text ?? ''))
          throw new Error(`--end needs an ISO time with a zone (e.g. 2026-10-31T23:59:59Z), got ${text ?? 'nothing'}`);
        options.end = ms * 1000;
        break;
      }
      case '--out': {
        const text = value();
        if (!text) throw new Error('--out needs a folder');
        out = text;
        break;
      }
      case '--force':
        force = true;
        break;
      case '--quiet':
        quiet = true;
        break;
      default:
        throw new Error(`unknown option ${flag}\n\n${USAGE}`);
    }
  }
  return { options, out, force, quiet };
}

/** What a simulation writes at the top of its folder: only these are removed by --force. */
const OWN_ENTRIES = ['entra', 'defender', 'm365', GROUND_TRUTH_FILE, README_FILE];

function prepareOutput(out: string, force: boolean): void {
  if (existsSync(out)) {
    if (!statSync(out).isDirectory()) throw new Error(`${out} exists and is not a folder`);
    const entries = readdirSync(out);
    if (entries.length > 0) {
      const foreign = entries.filter((name) => !OWN_ENTRIES.includes(name));
      if (!force) throw new Error(`${out} is not empty; use --force to replace a previous simulation there`);
      if (foreign.length > 0) throw new Error(`${out} holds files that are not a simulation's (${foreign.slice(0, 5).join(', ')}); choose an empty folder`);
      for (const name of entries) rmSync(join(out, name), { recursive: true, force: true });
    }
  }
  mkdirSync(out, { recursive: true });
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export interface SimulateSummary {
  truth: WorkspaceTruth;
  out: string;
  elapsedMs: number;
  peakRssBytes: number;
  bytesWritten: number;
}

/** Runs the simulator and writes its output under `out`. */
export async function runSimulate(argv: string[], log: (line: string) => void = (line) => console.log(line)): Promise<SimulateSummary | undefined> {
  const parsed = parseArgs(argv);
  if (parsed === 'help') {
    log(USAGE);
    return undefined;
  }
  const out = resolve(parsed.out);
  const started = performance.now();
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }, 200);
  sampler.unref();
  try {
    const simulation = new Simulation(parsed.options);
    prepareOutput(out, parsed.force);
    const o = simulation.options;
    log(`simulating seed ${String(o.seed)}: ${o.users} users, ${o.days} days, ~${o.events} events → ${out}`);

    const streams = new Map<string, WriteStream>();
    let bytesWritten = 0;
    for (const op of simulation.run()) {
      if (op.type === 'progress') {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        if (!parsed.quiet) {
          const date = new Date(simulation.window.start / 1000 + op.day * 86_400_000).toISOString().slice(0, 10);
          const seconds = ((performance.now() - started) / 1000).toFixed(1);
          log(
            `  day ${String(op.daysDone).padStart(3)}/${op.days} (${date}): ${op.records} records, ${mib(bytesWritten)} written, rss ${mib(process.memoryUsage().rss)}, ${seconds} s`,
          );
        }
        continue;
      }
      const path = join(out, op.file);
      let stream = streams.get(op.file);
      if (op.type === 'write') {
        if (!stream) {
          mkdirSync(dirname(path), { recursive: true });
          stream = createWriteStream(path);
          streams.set(op.file, stream);
        }
        const chunk = Buffer.from(op.text, op.encoding === 'utf16le' ? 'utf16le' : 'utf8');
        bytesWritten += chunk.length;
        if (!stream.write(chunk)) await once(stream, 'drain');
        continue;
      }
      // close
      if (stream) {
        stream.end();
        await once(stream, 'finish');
        streams.delete(op.file);
      } else {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, '');
      }
    }
    const truth = simulation.groundTruth();
    // The sizes the generator accounted for must be the sizes on disk.
    for (const file of truth.files) {
      const size = statSync(join(out, file.path)).size;
      if (size !== file.bytes) throw new Error(`${file.path}: ${size} bytes on disk, ${file.bytes} expected`);
    }
    const elapsedMs = performance.now() - started;
    peakRss = Math.max(peakRss, process.memoryUsage().rss);

    const width = Math.max(...truth.files.map((file) => file.path.length));
    log('');
    log(`${'file'.padEnd(width)}  ${'records'.padStart(9)}  ${'bytes'.padStart(13)}`);
    for (const file of truth.files) log(`${file.path.padEnd(width)}  ${String(file.records).padStart(9)}  ${String(file.bytes).padStart(13)}`);
    log('');
    log(
      `records by table: ${Object.entries(truth.counts)
        .map(([table, n]) => `${table} ${n}`)
        .join(', ')}`,
    );
    log(
      `${truth.totals.records} records (${truth.totals.routineActivities} routine activities) in ${truth.files.length} files, ${truth.totals.bytes} bytes (${mib(truth.totals.bytes)})`,
    );
    log(
      `${truth.stories.length} stories: ${truth.stories.map((story) => `${story.scenario} (${story.user.userPrincipalName}, ${story.records.length} records)`).join('; ')}`,
    );
    log(`ground truth: ${join(out, GROUND_TRUTH_FILE)}`);
    log(`elapsed ${(elapsedMs / 1000).toFixed(1)} s, peak RSS ${mib(peakRss)}`);
    return { truth, out, elapsedMs, peakRssBytes: peakRss, bytesWritten };
  } finally {
    clearInterval(sampler);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  runSimulate(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`simulate: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
