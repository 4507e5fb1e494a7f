import { analyze, formatReport, PathError } from './analyze.ts';

const usage = `Usage: sightline analyze <files or folders…> [--json]

Reads Entra ID Protection, Defender for Identity, Defender for Cloud Apps and Defender XDR exports
(the format of each file is recognized from its content) and prints what they hold.
  --json   one JSON document instead of the readable report`;

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
    const report = await analyze(paths);
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
