/**
 * `npm run eval`: does the investigation priority put the planted compromised users on top?
 *
 * For seeds 1–5 it simulates a tenant in memory (shared/simulate), reads every export through the
 * same code as `sightline analyze` (cli/analyze.ts → parseInput → resolver → ReportBuilder.score),
 * and prints k (the planted compromised users of ground-truth.json), precision@k and recall@k, the
 * rank of each planted user and of the noisy benign one (which must stay out of the top 10%).
 *
 *   npm run eval -- [--seeds 1,2,3,4,5] [--users 200] [--events 30000] [--days 30] [--window-days N]
 *
 * The simulated stories are spread over the month, so the window defaults to the whole export
 * (--window-days 30): the question is "who, over this export, should I look at first".
 */
import { parseArgs } from 'node:util';
import { readSources } from '../cli/analyze.ts';
import { ReportBuilder } from '../shared/analyze/report.ts';
import { WINDOW_DAYS } from '../shared/score/constants.ts';
import { encodeText } from '../shared/simulate/sink.ts';
import { DEFAULT_OPTIONS, generateWorkspace, GROUND_TRUTH_FILE, README_FILE } from '../shared/simulate/workspace.ts';

/** A third of the simulator's default volume, so five seeds run in about two minutes; every story is planted the same. */
const EVAL_EVENTS = 30_000;

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '1,2,3,4,5' },
    users: { type: 'string', default: String(DEFAULT_OPTIONS.users) },
    events: { type: 'string', default: String(EVAL_EVENTS) },
    days: { type: 'string', default: String(DEFAULT_OPTIONS.days) },
    'window-days': { type: 'string' },
  },
});

const seeds = values.seeds.split(',').map(Number);
const days = Number(values.days);
const windowDays = values['window-days'] ? Number(values['window-days']) : days;
const PRECISION_BAR = 0.9;

interface SeedResult {
  seed: number;
  k: number;
  precision: number;
  recall: number;
  planted: { name: string; scenario: string; rank: number | null; score: number }[];
  noisy: { name: string; rank: number | null; score: number; outOfTopDecile: boolean } | null;
  users: number;
  seconds: number;
  /** With the app's default 7-day window: the planted users it can see (story in the window, or confirmed compromised) and how many rank in the top that many. */
  weekly: { stories: number; hits: number };
}

async function evaluate(seed: number): Promise<SeedResult> {
  const started = performance.now();
  const workspace = generateWorkspace({ seed, users: Number(values.users), events: Number(values.events), days });
  const truth = workspace.groundTruth;
  const builder = await readSources(
    new ReportBuilder(),
    // The answer key and the README sit beside the exports; the pipeline must not see the answers.
    workspace.files
      .filter((file) => file.path !== GROUND_TRUTH_FILE && file.path !== README_FILE)
      .map((file) => ({
        label: file.path,
        async *open() {
          yield encodeText(file.content, file.encoding);
        },
      })),
  );
  const scores = builder.score({ windowDays });
  const rankOf = new Map(scores.users.map((user) => [user.userId, user]));
  const idOf = (objectId: string) => `objectId:${objectId.toLowerCase()}`;
  const compromised = truth.stories.filter((story) => story.verdict === 'compromised');
  const k = compromised.length;
  const topK = new Set(scores.users.slice(0, k).map((user) => user.userId));
  const hits = compromised.filter((story) => topK.has(idOf(story.user.userId))).length;
  const planted = compromised.map((story) => {
    const user = rankOf.get(idOf(story.user.userId));
    return { name: story.user.displayName, scenario: story.scenario, rank: user?.rank ?? null, score: user?.score ?? 0 };
  });
  const noisyStory = truth.stories.find((story) => story.scenario === 'noisyBenign');
  const population = truth.people.length;
  const noisyUser = noisyStory ? rankOf.get(idOf(noisyStory.user.userId)) : undefined;
  const noisy = noisyStory
    ? {
        name: noisyStory.user.displayName,
        rank: noisyUser?.rank ?? null,
        score: noisyUser?.score ?? 0,
        outOfTopDecile: !noisyUser || noisyUser.rank > Math.ceil(population / 10),
      }
    : null;
  const weeklyScores = builder.score({ windowDays: WINDOW_DAYS });
  // A confirmed-compromised user ranks first whenever their story happened: they count as reaching in.
  const confirmed = new Set(weeklyScores.users.filter((user) => user.confirmedCompromised).map((user) => user.userId));
  const inWeek = compromised
    .filter((story) => Date.parse(story.end) >= weeklyScores.window.from || confirmed.has(idOf(story.user.userId)))
    .map((story) => idOf(story.user.userId));
  const weeklyTop = new Set(weeklyScores.users.slice(0, inWeek.length).map((user) => user.userId));
  return {
    weekly: { stories: inWeek.length, hits: inWeek.filter((id) => weeklyTop.has(id)).length },
    seed,
    k,
    precision: k ? hits / k : 1,
    recall: k ? hits / k : 1,
    planted,
    noisy,
    users: population,
    seconds: (performance.now() - started) / 1000,
  };
}

const results: SeedResult[] = [];
console.log(`Investigation priority on simulated tenants: ${values.users} people, ${values.events} events, ${days} days; window ${windowDays} days`);
for (const seed of seeds) {
  const result = await evaluate(seed);
  results.push(result);
  const ranks = result.planted.map((p) => `${p.name} (${p.scenario}) #${p.rank ?? '—'} ${p.score.toFixed(1)}`).join(', ');
  const noisy = result.noisy
    ? `${result.noisy.name} #${result.noisy.rank ?? '—'} ${result.noisy.score.toFixed(1)} ${result.noisy.outOfTopDecile ? 'out of top 10%' : 'IN TOP 10%'}`
    : 'none planted';
  console.log(
    [
      `seed ${seed}: k=${result.k} precision@k=${result.precision.toFixed(2)} recall@k=${result.recall.toFixed(2)} (${result.seconds.toFixed(1)} s)`,
      `  planted: ${ranks}`,
      `  noisy benign: ${noisy}`,
      `  ${WINDOW_DAYS}-day window (the app's default): ${result.weekly.stories} planted users it can see (story inside it, or confirmed compromised), ${result.weekly.hits} of them in the top ${result.weekly.stories}`,
      '  incidents: not available yet',
    ].join('\n'),
  );
}
const pass = results.every((r) => r.precision >= PRECISION_BAR && (r.noisy?.outOfTopDecile ?? true));
console.log(`\n| seed | k | precision@k | recall@k | planted ranks | noisy benign rank |\n| --- | --- | --- | --- | --- | --- |`);
for (const r of results)
  console.log(
    `| ${r.seed} | ${r.k} | ${r.precision.toFixed(2)} | ${r.recall.toFixed(2)} | ${r.planted.map((p) => p.rank ?? '—').join(', ')} | ${r.noisy?.rank ?? '—'} of ${r.users} |`,
  );
console.log(`\n${pass ? 'PASS' : 'FAIL'}: precision@k ≥ ${PRECISION_BAR} on every seed and the noisy benign user out of the top 10%`);
process.exitCode = pass ? 0 : 1;
