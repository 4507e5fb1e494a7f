/**
 * scripts/simulate.ts end to end: runs the script (as `npm run simulate` would, through tsx) on a
 * small size into temporary folders and checks what landed on disk.
 */
import { spawnSync } from 'node:child_process';
import { createReadStream, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInput } from '../../shared/formats/parse.ts';
import { readRecords, tableOfPath, type Row } from '../../shared/simulate/inspect.ts';
import { GROUND_TRUTH_FILE, ID_FIELDS, README_FILE, type WorkspaceTruth } from '../../shared/simulate/workspace.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const script = join(root, 'scripts', 'simulate.ts');
const ARGS = ['--seed', '3', '--users', '30', '--days', '5', '--events', '3000', '--max-file-mb', '1', '--graph-days', '2', '--quiet'];

let base = '';

function simulate(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? listFiles(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort();
}

function decode(path: string, bytes: Buffer): string {
  return bytes[0] === 0xff && bytes[1] === 0xfe ? bytes.toString('utf16le') : bytes.toString('utf8');
}

let first = '';
let second = '';
let stdout = '';
let truth: WorkspaceTruth;
const records = new Map<string, Row[]>();

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'sightline-simulate-'));
  first = join(base, 'a');
  second = join(base, 'b');
  const a = simulate([...ARGS.filter((arg) => arg !== '--quiet'), '--out', first]);
  expect(a.status, a.stderr).toBe(0);
  stdout = a.stdout;
  const b = simulate([...ARGS, '--out', second]);
  expect(b.status, b.stderr).toBe(0);
  truth = JSON.parse(readFileSync(join(first, GROUND_TRUTH_FILE), 'utf8')) as WorkspaceTruth;
  for (const file of truth.files) records.set(file.path, readRecords(file.path, decode(file.path, readFileSync(join(first, file.path)))));
}, 240_000);

afterAll(() => {
  if (base) rmSync(base, { recursive: true, force: true });
});

describe('npm run simulate', () => {
  it('is deterministic: the same arguments give byte-identical files', () => {
    const a = listFiles(first).map((path) => relative(first, path));
    const b = listFiles(second).map((path) => relative(second, path));
    expect(b).toEqual(a);
    for (const path of a) expect(readFileSync(join(first, path)).equals(readFileSync(join(second, path))), path).toBe(true);
  });

  it('gives different files for a different seed', () => {
    const other = join(base, 'c');
    const run = simulate([...ARGS.map((arg) => (arg === '3' ? '4' : arg)), '--out', other]);
    expect(run.status, run.stderr).toBe(0);
    for (const path of [GROUND_TRUTH_FILE, 'entra/graph/riskDetections.json', 'defender/graph/alerts_v2.json']) {
      expect(readFileSync(join(other, path)).equals(readFileSync(join(first, path))), path).toBe(false);
    }
  }, 120_000);

  it('writes the files it reports, with the counts and sizes it prints', () => {
    const onDisk = listFiles(first).map((path) => relative(first, path).split('\\').join('/'));
    expect(onDisk.sort()).toEqual([...truth.files.map((f) => f.path), GROUND_TRUTH_FILE, README_FILE].sort());
    for (const file of truth.files) {
      expect(statSync(join(first, file.path)).size, file.path).toBe(file.bytes);
      expect(records.get(file.path)?.length, file.path).toBe(file.records);
      // The script prints one line per file: path, records, bytes.
      expect(stdout).toMatch(new RegExp(`^${file.path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+${file.records}\\s+${file.bytes}$`, 'm'));
    }
    expect(stdout).toContain(`${truth.totals.records} records`);
    expect(stdout).toMatch(/elapsed [\d.]+ s, peak RSS [\d.]+ MiB/);
    expect(truth.files.some((f) => /-part002\./.test(f.path))).toBe(true);
  });

  it('gives every record a unique id, and every ground-truth id is in the file it names', () => {
    const ids = new Map<string, Map<string, string>>();
    for (const [path, rows] of records) {
      const table = tableOfPath(path);
      if (!table) throw new Error(`unexpected file ${path}`);
      const logical = table === 'signInLogs' ? 'signIns' : table;
      const map = ids.get(logical) ?? new Map<string, string>();
      for (const row of rows) {
        const id = String(row[ID_FIELDS[table]]);
        expect(map.has(id), `${logical} ${id} twice`).toBe(false);
        map.set(id, path);
      }
      ids.set(logical, map);
    }
    const refs = [...truth.stories.flatMap((s) => s.records), ...truth.background.flatMap((b) => b.records)];
    expect(refs.length).toBeGreaterThan(100);
    for (const ref of refs) expect(ids.get(ref.table)?.get(ref.id), `${ref.table} ${ref.id}`).toBe(ref.file);
    for (const story of truth.stories)
      for (const incident of story.expectedIncidents)
        for (const id of incident.recordIds) expect(ids.get('alerts')?.has(id) || ids.get('riskDetections')?.has(id), id).toBe(true);
  });

  it('writes the unified audit log as UTF-16 LE starting with FF FE', () => {
    const ual = truth.files.filter((f) => f.path.includes('UnifiedAuditLog'));
    expect(ual.length).toBeGreaterThan(0);
    for (const file of ual) {
      const bytes = readFileSync(join(first, file.path));
      expect([bytes[0], bytes[1]], file.path).toEqual([0xff, 0xfe]);
      expect(bytes.toString('utf16le', 2, 2 + 2 * 27)).toBe('"RecordType","CreationDate"');
    }
  });

  it('writes files the format detectors recognise (streamed, as the importer reads them)', async () => {
    const expected: [(path: string) => boolean, string][] = [
      [(p) => p === 'entra/graph/riskDetections.json', 'entra-risk-detection'],
      [(p) => p === 'entra/graph/riskyUsers.json', 'entra-risky-user'],
      [(p) => p.startsWith('entra/graph/signIns-part'), 'entra-sign-in'],
      [(p) => p.startsWith('entra/log-analytics/SigninLogs-part'), 'entra-sign-in'],
    ];
    for (const [predicate, format] of expected) {
      const files = truth.files.filter((f) => predicate(f.path));
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        const stream = createReadStream(join(first, file.path), { highWaterMark: 64 * 1024 }) as AsyncIterable<Uint8Array>;
        let summary;
        for await (const event of parseInput(file.path, stream)) if (event.type === 'end') summary = event.summary;
        expect(summary?.format, file.path).toBe(format);
        expect(summary?.accepted, file.path).toBe(file.records);
        expect(summary?.rejected, file.path).toBe(0);
      }
    }
  });

  it('writes only files the detectors recognise, every record accepted (alerts nested in XDR incidents read too)', async () => {
    for (const file of truth.files) {
      const stream = createReadStream(join(first, file.path), { highWaterMark: 64 * 1024 }) as AsyncIterable<Uint8Array>;
      let summary;
      for await (const event of parseInput(file.path, stream)) if (event.type === 'end') summary = event.summary;
      expect(summary?.format, file.path).toBeTruthy();
      expect(summary?.rejected, file.path).toBe(0);
      const nested = (records.get(file.path) ?? []).reduce((sum, row) => sum + (Array.isArray(row.alerts) ? row.alerts.length : 0), 0);
      expect(summary?.accepted, file.path).toBe(file.records + nested);
    }
  });

  it('refuses a non-empty folder unless --force, and never deletes files that are not its own', () => {
    const again = simulate([...ARGS, '--out', second]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('not empty');
    const forced = simulate([...ARGS, '--out', second, '--force']);
    expect(forced.status, forced.stderr).toBe(0);
    expect(readFileSync(join(second, GROUND_TRUTH_FILE)).equals(readFileSync(join(first, GROUND_TRUTH_FILE)))).toBe(true);
    const foreign = join(base, 'foreign');
    mkdirSync(foreign);
    writeFileSync(join(foreign, 'notes.txt'), 'keep me');
    const refused = simulate([...ARGS, '--out', foreign, '--force']);
    expect(refused.status).not.toBe(0);
    expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('keep me');
  }, 120_000);

  it('prints its usage', () => {
    const help = simulate(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('--events E');
    const bad = simulate(['--users', 'many']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('--users');
  });
});
