/**
 * `sightline analyze`: the import pipeline under Node, for responders on a server and for scripts.
 * It streams every file through the same parser the app's worker uses, and reports counts.
 */
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { parseInput, type RecordError } from '../shared/formats/parse.ts';
import { ReportBuilder, type AnalysisReport } from '../shared/analyze/report.ts';
import type { ScoreOptions } from '../shared/score/score.ts';

export class PathError extends Error {}

/** Every file under the given paths (folders recursively, dotfiles skipped), in a stable order. */
export async function collectFiles(paths: string[]): Promise<{ path: string; label: string }[]> {
  const out: { path: string; label: string }[] = [];
  for (const input of paths) {
    let info;
    try {
      info = await stat(input);
    } catch (error) {
      throw new PathError(`cannot read ${input}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (error as Error).message}`);
    }
    if (info.isFile()) {
      out.push({ path: input, label: input });
      continue;
    }
    const walk = async (dir: string): Promise<void> => {
      const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
      for (const entry of entries) {
        if (entry.name.startsWith('.')) continue;
        const full = join(dir, entry.name);
        if (entry.isDirectory()) await walk(full);
        else if (entry.isFile()) out.push({ path: full, label: join(input, relative(input, full)) });
      }
    };
    await walk(input);
  }
  return out;
}

/** An input to read: its name in the report and its bytes, opened when its turn comes. */
export interface Source {
  label: string;
  open: () => AsyncIterable<Uint8Array>;
}

/** Streams every source through the app's parser into the builder: the CLI and `npm run eval` share it. */
export async function readSources(builder: ReportBuilder, sources: Iterable<Source>): Promise<ReportBuilder> {
  for (const source of sources) {
    for await (const event of parseInput(source.label, source.open())) {
      if (event.type === 'batch') builder.addRecords(event.records);
      else if (event.type === 'end') builder.addFile(event.file, event.summary);
    }
  }
  return builder;
}

export async function analyze(paths: string[], options: ScoreOptions = {}): Promise<AnalysisReport> {
  const files = await collectFiles(paths);
  const sources = files.map((file) => ({
    label: file.label,
    open: () => createReadStream(file.path, { highWaterMark: 1024 * 1024 }) as AsyncIterable<Uint8Array>,
  }));
  const builder = await readSources(new ReportBuilder(), sources);
  return builder.build(options);
}

const counts = (counter: Record<string, number>) =>
  Object.entries(counter)
    .sort((a, b) => b[1] - a[1])
    .map(([key, value]) => `${key} ${value}`)
    .join(', ') || '—';

/** Where in its file an error or a note points: line, record and field, as far as known. */
function whereIs(error: Pick<RecordError, 'line' | 'record' | 'field'>): string {
  return [
    error.line !== undefined ? `line ${error.line}` : '',
    error.record !== undefined ? `record ${error.record}` : '',
    error.field ? `field ${error.field}` : '',
  ]
    .filter(Boolean)
    .join(', ');
}

/** The readable report: what each file was, then what the workspace holds. */
export function formatReport(report: AnalysisReport): string {
  const lines: string[] = ['Files'];
  for (const file of report.files) {
    const what = file.skipped ? `skipped (${file.skipped})` : (file.formatLabel ?? 'not recognized');
    lines.push(`  ${file.path}`, `    ${what}: ${file.accepted} accepted, ${file.rejected} rejected, ${file.unattributed} unattributed`);
    if (file.fatal) lines.push(`    stopped${file.fatal.line ? ` at line ${file.fatal.line}` : ''}: ${file.fatal.reason}`);
    if (file.dateOrder)
      lines.push(
        `    slash dates read ${file.dateOrder === 'day-first' ? 'day first' : 'month first'}${file.dateOrderGuessed ? " (the file's own dates did not say: check a record)" : ''}`,
      );
    if (file.cleaned) lines.push(`    ${file.cleaned.values} field values cleaned; the first, ${whereIs(file.cleaned.first)}: ${file.cleaned.first.reason}`);
    for (const error of file.errors.slice(0, 5)) lines.push(`    ${whereIs(error)}: ${error.reason}`);
    if (file.errors.length > 5) lines.push(`    … and ${file.errors.length - 5} more errors`);
  }
  lines.push(
    '',
    `Users: ${report.users.count} (${report.users.linked.length} joined across records)`,
    ...report.users.linked.slice(0, 20).map((user) => `  ${user.id}: ${user.identifiers.join(', ')}`),
    `Alerts: ${report.alerts.count}  by source: ${counts(report.alerts.bySource)}  by severity: ${counts(report.alerts.bySeverity)}`,
    `Risk detections: ${report.riskDetections.count}  by type: ${counts(report.riskDetections.byType)}`,
    `  by level: ${counts(report.riskDetections.byLevel)}  by state: ${counts(report.riskDetections.byState)}`,
    `Risky users: ${report.riskyUsers.count}  by level: ${counts(report.riskyUsers.byLevel)}  by state: ${counts(report.riskyUsers.byState)}`,
    `Sign-ins: ${report.signIns.count}`,
    `Activities: ${report.activities.count}  by kind: ${counts(report.activities.byKind)}`,
    `Incidents: ${report.incidents.count}`,
    `Unattributed records: ${report.unattributed}`,
    `Time range: ${report.timeRange.from ?? '—'} to ${report.timeRange.to ?? '—'}`,
    '',
    ...formatTopUsers(report),
  );
  return lines.join('\n');
}

/** The highest investigation priorities, each with its three biggest reasons. */
export function formatTopUsers(report: AnalysisReport, count = 20): string[] {
  const { scoring, users } = report;
  const lines = [
    `Investigation priority (${scoring.algorithmVersion}, ${scoring.windowDays} days to ${scoring.asOf ?? '—'}): ${users.top.length} users above 0`,
  ];
  const hidden = counts(scoring.hiddenByPolicy);
  if (hidden !== '—') lines.push(`  hidden by policy: ${hidden}`);
  users.top.slice(0, count).forEach((user, i) => {
    const state = user.riskState === 'none' ? '' : `, ${user.riskState}`;
    lines.push(
      `  ${String(i + 1).padStart(2)}. ${user.upn ?? user.id}  ${user.score.toFixed(1)} ${user.band}, percentile ${user.percentile.toFixed(0)}, risk ${user.riskLevel}${state}`,
    );
    for (const input of [...user.inputs].sort((a, b) => b.contribution - a.contribution).slice(0, 3))
      lines.push(`      +${input.contribution.toFixed(1)}  ${input.reason}`);
  });
  if (users.top.length > count) lines.push(`  … and ${users.top.length - count} more (--json lists ${users.top.length})`);
  return lines;
}
