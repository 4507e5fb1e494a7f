import { WINDOW_DAYS } from '../shared/score/constants.ts';
import { analyze, formatReport, PathError } from './analyze.ts';

const usage = `Usage: sightline analyze <files or folders…> [--json] [--window-days N]

Reads Entra ID Protection, Defender for Identity, Defender for Cloud Apps and Defender XDR exports
(the format of each file is recognized from its content), prints what they hold and ranks users by
Sightline's investigation priority as of the newest record.
  --json            one JSON document instead of the readable report
  --window-days N   score the N days before the newest record (default ${WINDOW_DAYS})`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    console.log(usage);
    return command ? 0 : 2;
  }
  if (command !== 'analyze') {
    console.error(`Unknown command "${command}".\n\n${usage}`);
    return 2;
  }
  const json = rest.includes('--json');
  const windowAt = rest.indexOf('--window-days');
  let windowDays: number | undefined;
  if (windowAt >= 0) {
    windowDays = Number(rest[windowAt + 1]);
    if (!Number.isFinite(windowDays) || windowDays <= 0) {
      console.error(`--window-days needs a number of days above 0.\n\n${usage}`);
      return 2;
    }
    rest.splice(windowAt, 2);
  }
  const paths = rest.filter((arg) => arg !== '--json');
  const unknown = paths.find((arg) => arg.startsWith('--'));
  if (unknown) {
    console.error(`Unknown option ${unknown}.\n\n${usage}`);
    return 2;
  }
  if (paths.length === 0) {
    console.error(`Name at least one file or folder.\n\n${usage}`);
    return 2;
  }
  try {
    const report = await analyze(paths, windowDays ? { windowDays } : {});
    console.log(json ? JSON.stringify(report, null, 2) : formatReport(report));
    return 0;
  } catch (error) {
    if (error instanceof PathError) {
      console.error(`sightline: ${error.message}`);
      return 1;
    }
    throw error;
  }
}
