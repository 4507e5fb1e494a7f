/** Command line of `npm run bench -- …`. */

export interface BenchOptions {
  events: number;
  runs: number;
  json: boolean;
  dir?: string;
  skipFloors: boolean;
  /** Records written by the naive floor; undefined = the same count the app imported. */
  floorEvents?: number;
  naiveRuns: number;
  seed: number;
  users?: number;
  days?: number;
  regen: boolean;
  build: boolean;
  queryReps: number;
  /** Seconds into the import at which the activity log and alerts queue are scrolled; 0 = never. */
  scrollAfterS: number;
  timeoutMin: number;
  /** Minutes for the measuring part (after build and data); 0 = no budget. */
  budgetMin: number;
}

export const USAGE = `Usage: npm run bench -- [options]

  --events N          simulated tenant size (simulator --events)          default 1000000
  --runs R            runs per figure; the median is printed              default 3
  --json              also write bench/results/<date>-<sha>.json
  --dir DIR           import this folder of export files instead of a simulated tenant
  --skip-floors       do not measure the floors (no ratios)
  --floor-events N    cap the naive floor at N records, extrapolated linearly to the
                      imported count (labelled)                            default: all
  --naive-runs R      runs of the naive floor (slow)                        default 1
  --seed S            simulator seed                                        default 1
  --users U, --days D simulator population and window                      default: simulator's
  --regen             regenerate the simulated tenant even if present
  --no-build          serve dist/web as it is (no staleness check / build)
  --query-reps K      visits per query per run (median taken)               default 3
  --scroll-after S    S seconds into the import, scroll the activity log and the
                      alerts queue (60 wheel turns each) and record the page's frames;
                      the same again once idle after the queries; 0 = skip  default 20
  --timeout-min M     give up on one import after M minutes                 default 60
  --budget-min B      time budget of the measuring part: app and floor runs after the
                      first are skipped when the next would overrun it, and an uncapped
                      naive floor stops at it and is extrapolated (both said in the
                      output); 0 = no budget                                default 10
  --help
`;

export function parseArgs(argv: readonly string[]): BenchOptions | 'help' {
  const options: BenchOptions = {
    events: 1_000_000,
    runs: 3,
    json: false,
    skipFloors: false,
    naiveRuns: 1,
    seed: 1,
    regen: false,
    build: true,
    queryReps: 3,
    scrollAfterS: 20,
    timeoutMin: 60,
    budgetMin: 10,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] = arg.includes('=') ? (arg.split(/=(.*)/s, 2) as [string, string]) : [arg, undefined];
    const value = (): string => {
      const text = inline ?? argv[++i];
      if (text === undefined || text === '') throw new Error(`${flag} needs a value`);
      return text;
    };
    const count = (min: number): number => {
      const text = value().replaceAll('_', '').replaceAll(',', '');
      const parsed = /^\d+(\.\d+)?[kKmM]?$/.test(text) ? Number.parseFloat(text) * ({ k: 1e3, m: 1e6 }[text.slice(-1).toLowerCase()] ?? 1) : NaN;
      if (!Number.isInteger(parsed) || parsed < min) throw new Error(`${flag} needs a whole number ≥ ${min}, got ${text}`);
      return parsed;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--events':
        options.events = count(1);
        break;
      case '--runs':
        options.runs = count(1);
        break;
      case '--json':
        options.json = true;
        break;
      case '--dir':
        options.dir = value();
        break;
      case '--skip-floors':
        options.skipFloors = true;
        break;
      case '--floor-events':
        options.floorEvents = count(1);
        break;
      case '--naive-runs':
        options.naiveRuns = count(0);
        break;
      case '--seed':
        options.seed = count(0);
        break;
      case '--users':
        options.users = count(20);
        break;
      case '--days':
        options.days = count(2);
        break;
      case '--regen':
        options.regen = true;
        break;
      case '--no-build':
        options.build = false;
        break;
      case '--query-reps':
        options.queryReps = count(1);
        break;
      case '--scroll-after':
        options.scrollAfterS = count(0);
        break;
      case '--timeout-min':
        options.timeoutMin = count(1);
        break;
      case '--budget-min':
        options.budgetMin = count(0);
        break;
      default:
        throw new Error(`unknown option ${arg}\n\n${USAGE}`);
    }
  }
  return options;
}
