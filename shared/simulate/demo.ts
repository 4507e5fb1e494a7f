/**
 * The demo workspace: a month of a fictional tenant's Entra ID Protection exports (sign-ins, risk
 * detections, risky users) with five investigation stories planted in the noise, and the ground
 * truth that says what happened. Pure and deterministic: the same seed gives the same bytes.
 * scripts/gen-demo.ts writes the files into resources/demo/.
 */
import { generateRoutine, planPeople, settleNoise } from './behaviour.ts';
import { isDocumentationAddress } from './network.ts';
import { deriveRiskyUsers, detectionsBySignIn, orphanRiskyUsers } from './risk.ts';
import { Rng, type Seed } from './rng.ts';
import { castStories, prepareStories, runStories, storyCharacters, type StoryTruth } from './stories.ts';
import { createTenant } from './tenant.ts';
import { graphTime, utcMicros, windowEndingAt, type TimeWindow } from './time.ts';
import { World } from './world.ts';
import { GRAPH_CONTEXT, graphPage, graphRiskDetection, graphRiskyUser, graphSignIn, newestFirst, toJsonText } from './writers/graph.ts';

export const DEMO_SEED = 20261122;
/** The last instant of the simulated month (inclusive). */
export const DEMO_WINDOW_END = utcMicros(2026, 10, 31, 23, 59, 59);
export const DEMO_WINDOW_DAYS = 30;

export const DEMO_FILES = {
  signIns: 'signIns.json',
  riskDetections: 'riskDetections.json',
  riskyUsers: 'riskyUsers.json',
  groundTruth: 'ground-truth.json',
  readme: 'README.md',
} as const;

export interface DemoFile {
  name: string;
  content: string;
}

/** A story's ground truth as written to ground-truth.json (times as text). */
export interface StoryTruthRecord extends Omit<StoryTruth, 'start' | 'end'> {
  start: string;
  end: string;
}

export interface GroundTruth {
  generator: string;
  seed: Seed;
  window: { start: string; end: string };
  tenant: { tenantId: string; displayName: string; domain: string; userCount: number };
  counts: { signIns: number; riskDetections: number; riskyUsers: number };
  stories: StoryTruthRecord[];
  noise: {
    description: string;
    userIds: string[];
    detectionIds: string[];
    /** Detections whose requestId names a non-interactive request that is not in signIns.json. */
    danglingDetectionIds: string[];
  };
  /** Risky-user rows with an empty UPN and display name: accounts the directory no longer resolves. */
  orphanRiskyUserIds: string[];
  people: { userId: string; userPrincipalName: string; displayName: string; department: string; jobTitle: string; office: string; riskPolicyPilot: boolean }[];
}

export interface DemoWorkspace {
  files: DemoFile[];
  groundTruth: GroundTruth;
}

function windowText(window: TimeWindow) {
  return { start: graphTime(window.start), end: graphTime(window.end) };
}

/** Generates the demo workspace for a seed. */
export function generateDemoWorkspace(seed: Seed = DEMO_SEED): DemoWorkspace {
  const rng = new Rng(seed);
  const window = windowEndingAt(DEMO_WINDOW_END, DEMO_WINDOW_DAYS);
  const tenant = createTenant(rng);
  const world = new World(tenant, window);

  const cast = castStories(tenant, rng);
  const plans = planPeople(world, rng.fork('plans'));
  const schedule = prepareStories(world, plans, cast, rng);
  generateRoutine(world, plans, rng.fork('routine'));
  const stories = runStories(world, cast, schedule, rng.fork('stories'));
  const characters = storyCharacters(cast);
  const settleRng = rng.fork('settle');
  for (const person of tenant.people) if (!characters.has(person)) settleNoise(world, person, settleRng);

  const riskyRows = [...deriveRiskyUsers(world), ...orphanRiskyUsers(rng, window)].sort(
    (a, b) => b.riskLastUpdated - a.riskLastUpdated || (a.id < b.id ? -1 : 1),
  );
  const bySignIn = detectionsBySignIn(world.detections);
  const signIns = newestFirst(world.signIns).map((event) => graphSignIn(event, bySignIn.get(event) ?? []));
  const detections = [...world.detections].sort((a, b) => b.activityTime - a.activityTime || (a.id < b.id ? -1 : 1)).map(graphRiskDetection);
  const riskyUsers = riskyRows.map(graphRiskyUser);

  for (const network of tenant.networks.all()) {
    if (!isDocumentationAddress(network.ip)) throw new Error(`generated a non-documentation address ${network.ip}`);
  }

  const storyDetectionIds = new Set(stories.flatMap((story) => story.detectionIds));
  const noiseDetections = world.detections.filter((detection) => !storyDetectionIds.has(detection.id));
  const groundTruth: GroundTruth = {
    generator: 'Sightline demo tenant simulator (shared/simulate/demo.ts)',
    seed,
    window: windowText(window),
    tenant: { tenantId: tenant.tenantId, displayName: tenant.displayName, domain: tenant.domain, userCount: tenant.people.length },
    counts: { signIns: signIns.length, riskDetections: detections.length, riskyUsers: riskyUsers.length },
    stories: stories.map((story) => ({ ...story, start: graphTime(story.start), end: graphTime(story.end) })),
    noise: {
      description:
        'Everyday Identity Protection noise: unfamiliar sign-ins on trips, anonymizer detections on consumer VPNs, unlikely travel; dismissed by admins or AI, remediated by password change, or still open.',
      userIds: [...new Set(noiseDetections.map((detection) => detection.user.objectId))],
      detectionIds: noiseDetections.map((detection) => detection.id),
      danglingDetectionIds: noiseDetections.filter((detection) => detection.request && !detection.signIn).map((detection) => detection.id),
    },
    orphanRiskyUserIds: riskyRows.filter((row) => row.person === null).map((row) => row.id),
    people: tenant.people.map((person) => ({
      userId: person.objectId,
      userPrincipalName: person.userPrincipalName,
      displayName: person.displayName,
      department: person.department,
      jobTitle: person.jobTitle,
      office: person.office.city,
      riskPolicyPilot: person.riskPolicyPilot,
    })),
  };

  const files: DemoFile[] = [
    { name: DEMO_FILES.signIns, content: toJsonText(graphPage(GRAPH_CONTEXT.signIns, signIns)) },
    { name: DEMO_FILES.riskDetections, content: toJsonText(graphPage(GRAPH_CONTEXT.riskDetections, detections)) },
    { name: DEMO_FILES.riskyUsers, content: toJsonText(graphPage(GRAPH_CONTEXT.riskyUsers, riskyUsers)) },
    { name: DEMO_FILES.groundTruth, content: toJsonText(groundTruth) },
    { name: DEMO_FILES.readme, content: demoReadme(groundTruth) },
  ];
  return { files, groundTruth };
}

function demoReadme(truth: GroundTruth): string {
  const stories = truth.stories
    .map((story, i) => `${i + 1}. **${story.title}** (\`${story.scenario}\`, ${story.verdict}): ${story.userPrincipalName}. ${story.description}`)
    .join('\n');
  return `# Sightline demo workspace

**Generated, fictional data. Do not edit by hand.** Regenerate with \`npm run demo\`
(\`tsx scripts/gen-demo.ts\`), which runs \`generateDemoWorkspace(${JSON.stringify(truth.seed)})\` from
\`shared/simulate/demo.ts\`. The same seed always gives byte-identical files; nothing depends on the clock.

The tenant, **${truth.tenant.displayName}** (\`${truth.tenant.domain}\`, on the reserved \`.example\` domain), its
${truth.tenant.userCount} people, their devices and every identifier are invented. IP addresses come only from the
documentation ranges 192.0.2.0/24, 198.51.100.0/24 and 203.0.113.0/24, and application ids are Microsoft's public
first-party ids. The files copy the *shape* of Microsoft Graph exports (field names and order), never real data.

Window: ${truth.window.start} to ${truth.window.end}.

| file | what | records |
| --- | --- | --- |
| \`signIns.json\` | Graph \`signIn\` page (\`/auditLogs/signIns\`), newest first | ${truth.counts.signIns} |
| \`riskDetections.json\` | Graph \`riskDetection\` page (\`/identityProtection/riskDetections\`) | ${truth.counts.riskDetections} |
| \`riskyUsers.json\` | Graph \`riskyUser\` page (\`/identityProtection/riskyUsers\`) | ${truth.counts.riskyUsers} |
| \`ground-truth.json\` | what happened: each story's user, sign-in ids and detection ids; the noise; the people | — |

## Stories

${stories}

Around them: ordinary working rhythms in each person's time zone, mistyped passwords, MFA prompts, business
trips and consumer VPNs that raise low and medium detections, most of them dismissed or remediated. A few noise
detections name a non-interactive request that is not in \`signIns.json\` (listed in the ground truth), and two
risky-user rows have an empty UPN and display name, as real exports do.

Known simplifications: every sign-in is interactive (the v1.0 endpoint lists only those);
\`authenticationRequirement\` is a beta-endpoint field included for the investigation, \`userAgent\` (beta) is
left out of sign-ins to keep the files small (risk detections carry it in \`additionalInfo\`); Conditional
Access policies are listed only when they applied.
`;
}
