import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { places, type Place } from './catalog.ts';
import { DEMO_FILES, DEMO_SEED, DEMO_WINDOW_DAYS, DEMO_WINDOW_END, generateDemoWorkspace, type DemoWorkspace, type GroundTruth } from './demo.ts';
import { isDocumentationAddress } from './network.ts';
import { GRAPH_TIME_PATTERN, localParts, windowEndingAt } from './time.ts';
import { GRAPH_CONTEXT } from './writers/graph.ts';

interface SignIn {
  id: string;
  createdDateTime: string;
  userDisplayName: string;
  userPrincipalName: string;
  userId: string;
  appDisplayName: string;
  ipAddress: string;
  correlationId: string;
  riskLevelAggregated: string;
  riskLevelDuringSignIn: string;
  riskState: string;
  riskEventTypes: string[];
  riskEventTypes_v2: string[];
  status: { errorCode: number; failureReason: string | null; additionalDetails: string | null };
  location: { city: string; state: string; countryOrRegion: string };
}

interface Detection {
  id: string;
  requestId: string | null;
  correlationId: string | null;
  riskEventType: string;
  riskState: string;
  riskLevel: string;
  riskDetail: string;
  detectionTimingType: string;
  activity: string;
  ipAddress: string | null;
  location: { city: string | null; countryOrRegion: string | null };
  activityDateTime: string;
  detectedDateTime: string;
  lastUpdatedDateTime: string;
  userId: string;
  userDisplayName: string;
  userPrincipalName: string;
  additionalInfo: string;
}

interface RiskyUser {
  id: string;
  isDeleted: boolean;
  riskDetail: string;
  riskLastUpdatedDateTime: string;
  riskLevel: string;
  riskState: string;
  userDisplayName: string;
  userPrincipalName: string;
}

interface Parsed {
  workspace: DemoWorkspace;
  text: Map<string, string>;
  signIns: SignIn[];
  detections: Detection[];
  riskyUsers: RiskyUser[];
  truth: GroundTruth;
  signInById: Map<string, SignIn>;
  detectionById: Map<string, Detection>;
}

function page<T>(text: string, context: string): T[] {
  const parsed = JSON.parse(text) as { '@odata.context': string; value: T[] };
  expect(parsed['@odata.context']).toBe(context);
  expect(Array.isArray(parsed.value)).toBe(true);
  return parsed.value;
}

function parse(workspace: DemoWorkspace): Parsed {
  const text = new Map(workspace.files.map((file) => [file.name, file.content]));
  const get = (name: string): string => {
    const content = text.get(name);
    if (content === undefined) throw new Error(`missing ${name}`);
    return content;
  };
  const signIns = page<SignIn>(get(DEMO_FILES.signIns), GRAPH_CONTEXT.signIns);
  const detections = page<Detection>(get(DEMO_FILES.riskDetections), GRAPH_CONTEXT.riskDetections);
  const riskyUsers = page<RiskyUser>(get(DEMO_FILES.riskyUsers), GRAPH_CONTEXT.riskyUsers);
  const truth = JSON.parse(get(DEMO_FILES.groundTruth)) as GroundTruth;
  return {
    workspace,
    text,
    signIns,
    detections,
    riskyUsers,
    truth,
    signInById: new Map(signIns.map((s) => [s.id, s])),
    detectionById: new Map(detections.map((d) => [d.id, d])),
  };
}

const demo = parse(generateDemoWorkspace(DEMO_SEED));
const window = windowEndingAt(DEMO_WINDOW_END, DEMO_WINDOW_DAYS);
const windowStartMs = Math.floor(window.start / 1000);
const windowEndMs = Math.floor(window.end / 1000);

function story(parsed: Parsed, scenario: string) {
  const found = parsed.truth.stories.find((s) => s.scenario === scenario);
  if (!found) throw new Error(`no story ${scenario}`);
  return found;
}

/** Every "…DateTime" value anywhere in a JSON value. */
function dateTimes(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) dateTimes(item, out);
  else if (value && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key.endsWith('DateTime') && typeof inner === 'string') out.push(inner);
      else dateTimes(inner, out);
    }
  }
  return out;
}

/** The invariants every seed must satisfy. */
function checkInvariants(parsed: Parsed): void {
  const { signIns, detections, riskyUsers, truth, signInById, detectionById } = parsed;

  // Ids are unique.
  expect(signInById.size).toBe(signIns.length);
  expect(detectionById.size).toBe(detections.length);
  expect(new Set(riskyUsers.map((r) => r.id)).size).toBe(riskyUsers.length);

  // Every ground-truth id exists.
  const riskyIds = new Set(riskyUsers.map((r) => r.id));
  for (const s of truth.stories) {
    expect(s.signInIds.length).toBeGreaterThan(0);
    expect(s.detectionIds.length).toBeGreaterThan(0);
    for (const id of s.signInIds) expect(signInById.has(id), `${s.scenario} sign-in ${id}`).toBe(true);
    for (const id of s.detectionIds) expect(detectionById.has(id), `${s.scenario} detection ${id}`).toBe(true);
    expect(riskyIds.has(s.userId)).toBe(true);
    for (const related of s.relatedUsers) expect(signIns.some((x) => x.userId === related.userId)).toBe(true);
  }
  for (const id of truth.noise.detectionIds) expect(detectionById.has(id)).toBe(true);
  for (const id of truth.noise.userIds) expect(riskyIds.has(id)).toBe(true);
  for (const id of truth.orphanRiskyUserIds) expect(riskyIds.has(id)).toBe(true);
  // Stories and noise partition the detections.
  const storyDetections = truth.stories.flatMap((s) => s.detectionIds);
  expect(new Set([...storyDetections, ...truth.noise.detectionIds]).size).toBe(detections.length);
  expect(storyDetections.length + truth.noise.detectionIds.length).toBe(detections.length);

  // Timestamps: ISO-8601 with Z, inside the window.
  const allTimes = [
    ...dateTimes(signIns),
    ...dateTimes(detections),
    ...dateTimes(riskyUsers),
    ...truth.stories.flatMap((s) => [s.start, s.end]),
    truth.window.start,
    truth.window.end,
  ];
  expect(allTimes.length).toBe(signIns.length + detections.length * 3 + riskyUsers.length + truth.stories.length * 2 + 2);
  for (const text of allTimes) {
    expect(text).toMatch(GRAPH_TIME_PATTERN);
    const ms = Date.parse(text);
    expect(ms).toBeGreaterThanOrEqual(windowStartMs);
    expect(ms).toBeLessThanOrEqual(windowEndMs);
  }
  for (const d of detections) {
    expect(Date.parse(d.activityDateTime)).toBeLessThanOrEqual(Date.parse(d.detectedDateTime));
    expect(Date.parse(d.detectedDateTime)).toBeLessThanOrEqual(Date.parse(d.lastUpdatedDateTime));
  }

  // Detections raised on a sign-in name an exported sign-in of the same user, except the listed dangling ones.
  const dangling = new Set(truth.noise.danglingDetectionIds);
  for (const d of detections) {
    if (d.activity === 'user') {
      expect(d.requestId).toBeNull();
      expect(d.ipAddress).toBeNull();
      continue;
    }
    expect(d.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const signIn = d.requestId ? signInById.get(d.requestId) : undefined;
    if (dangling.has(d.id)) {
      expect(signIn).toBeUndefined();
      continue;
    }
    expect(signIn, `detection ${d.id} (${d.riskEventType}) names sign-in ${d.requestId}`).toBeDefined();
    if (!signIn) continue;
    expect(signIn.userId).toBe(d.userId);
    expect(signIn.correlationId).toBe(d.correlationId);
    expect(signIn.ipAddress).toBe(d.ipAddress);
    expect(signIn.createdDateTime).toBe(d.activityDateTime);
    expect(signIn.riskEventTypes_v2).toContain(d.riskEventType);
    expect(signIn.status.errorCode).toBe(0);
  }
  // …and a sign-in carries risk only when a detection names it.
  const named = new Set(detections.map((d) => d.requestId));
  for (const s of signIns) {
    if (s.riskEventTypes_v2.length > 0 || s.riskLevelAggregated !== 'none' || s.riskState !== 'none')
      expect(named.has(s.id), `risky sign-in ${s.id}`).toBe(true);
  }

  // One UPN and display name per object id, across the three files.
  const identity = new Map<string, string>();
  const see = (id: string, upn: string, name: string) => {
    const key = `${upn}|${name}`;
    const known = identity.get(id);
    if (known === undefined) identity.set(id, key);
    else expect(key, `identity of ${id}`).toBe(known);
  };
  for (const s of signIns) see(s.userId, s.userPrincipalName, s.userDisplayName);
  for (const d of detections) see(d.userId, d.userPrincipalName, d.userDisplayName);
  for (const r of riskyUsers) if (r.userPrincipalName !== '') see(r.id, r.userPrincipalName, r.userDisplayName);
  const upnOwner = new Map<string, string>();
  for (const [id, key] of identity) {
    const upn = key.split('|')[0] ?? '';
    expect(upnOwner.has(upn.toLowerCase()), `UPN ${upn} used by two ids`).toBe(false);
    upnOwner.set(upn.toLowerCase(), id);
  }
  // A risky-user row for everyone with a detection, and a detection for every named risky user.
  const detectionUsers = new Set(detections.map((d) => d.userId));
  for (const id of detectionUsers) expect(riskyIds.has(id)).toBe(true);
  for (const r of riskyUsers) if (r.userPrincipalName !== '') expect(detectionUsers.has(r.id)).toBe(true);

  // The two unresolvable accounts.
  const orphans = riskyUsers.filter((r) => r.userPrincipalName === '');
  expect(orphans).toHaveLength(2);
  expect(orphans.map((r) => r.id).sort()).toEqual([...truth.orphanRiskyUserIds].sort());
  for (const r of orphans) {
    expect(r.userDisplayName).toBe('');
    expect(r.riskState).toBe('dismissed');
    expect(identity.has(r.id)).toBe(false);
  }
  expect(orphans.some((r) => r.isDeleted)).toBe(true);

  // Documentation IP ranges only.
  for (const s of signIns) expect(isDocumentationAddress(s.ipAddress), s.ipAddress).toBe(true);
  for (const d of detections) {
    if (d.ipAddress !== null) expect(isDocumentationAddress(d.ipAddress), d.ipAddress).toBe(true);
    const info = JSON.parse(d.additionalInfo) as { Key: string; Value: unknown }[];
    expect(Array.isArray(info)).toBe(true);
    for (const entry of info) {
      if (entry.Key === 'relatedLocation') expect(isDocumentationAddress((entry.Value as { clientIP: string }).clientIP)).toBe(true);
    }
  }
  for (const s of truth.stories) for (const ip of s.ipAddresses) expect(isDocumentationAddress(ip)).toBe(true);
  // Nothing that looks like an IPv4 address outside the ranges, anywhere in any file (version numbers such as Chrome/130.0.0.0 excepted).
  for (const content of parsed.text.values()) {
    for (const match of content.matchAll(/(?<![\w./])\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}(?![\d.])/g)) {
      expect(isDocumentationAddress(match[0]), `address ${match[0]}`).toBe(true);
    }
  }

  // Each story leaves its user in the state it means to.
  for (const s of truth.stories) {
    const row = riskyUsers.find((r) => r.id === s.userId);
    expect(row, s.scenario).toBeDefined();
    expect({ riskLevel: row?.riskLevel, riskState: row?.riskState, riskDetail: row?.riskDetail }, s.scenario).toEqual(s.expectedRiskyUser);
  }
}

describe('generateDemoWorkspace', () => {
  it('is deterministic: the same seed gives byte-identical files', () => {
    const again = generateDemoWorkspace(DEMO_SEED);
    expect(again.files.map((f) => f.name)).toEqual(demo.workspace.files.map((f) => f.name));
    for (const file of again.files) expect(file.content === demo.text.get(file.name), file.name).toBe(true);
  });

  it('gives different files for a different seed', () => {
    const other = generateDemoWorkspace(DEMO_SEED + 1);
    for (const name of [DEMO_FILES.signIns, DEMO_FILES.riskDetections, DEMO_FILES.riskyUsers, DEMO_FILES.groundTruth]) {
      expect(other.files.find((f) => f.name === name)?.content).not.toBe(demo.text.get(name));
    }
  });

  it('writes the expected files, as 2-space-indented JSON, under the size budget', () => {
    expect([...demo.text.keys()].sort()).toEqual(['README.md', 'ground-truth.json', 'riskDetections.json', 'riskyUsers.json', 'signIns.json']);
    let bytes = 0;
    for (const [name, content] of demo.text) {
      bytes += new TextEncoder().encode(content).length;
      if (name.endsWith('.json')) expect(content).toBe(`${JSON.stringify(JSON.parse(content), null, 2)}\n`);
    }
    expect(bytes).toBeLessThan(4_000_000);
    const readme = demo.text.get('README.md') ?? '';
    expect(readme).toContain('npm run demo');
    expect(readme).toContain(String(DEMO_SEED));
    expect(readme.toLowerCase()).toContain('fictional');
  });

  it('has realistic volumes', () => {
    expect(demo.signIns.length).toBeGreaterThanOrEqual(2000);
    expect(demo.signIns.length).toBeLessThanOrEqual(3500);
    expect(demo.detections.length).toBeGreaterThanOrEqual(60);
    expect(demo.detections.length).toBeLessThanOrEqual(150);
    expect(demo.riskyUsers.length).toBeGreaterThanOrEqual(10);
    expect(demo.truth.people).toHaveLength(40);
    expect(demo.truth.counts).toEqual({ signIns: demo.signIns.length, riskDetections: demo.detections.length, riskyUsers: demo.riskyUsers.length });
    expect(demo.truth.noise.detectionIds.length).toBeGreaterThanOrEqual(20);
    expect(demo.truth.noise.danglingDetectionIds.length).toBeGreaterThan(0);
  });

  it('keeps Graph property order', () => {
    const signIn = JSON.parse(demo.text.get(DEMO_FILES.signIns) ?? '{}') as { value: Record<string, unknown>[] };
    const first = signIn.value[0] ?? {};
    expect(Object.keys(first)).toEqual([
      'id',
      'createdDateTime',
      'userDisplayName',
      'userPrincipalName',
      'userId',
      'appId',
      'appDisplayName',
      'ipAddress',
      'clientAppUsed',
      'correlationId',
      'conditionalAccessStatus',
      'isInteractive',
      'riskDetail',
      'riskLevelAggregated',
      'riskLevelDuringSignIn',
      'riskState',
      'riskEventTypes',
      'riskEventTypes_v2',
      'resourceDisplayName',
      'resourceId',
      'authenticationRequirement',
      'status',
      'deviceDetail',
      'location',
      'appliedConditionalAccessPolicies',
    ]);
    expect(Object.keys(first.status as object)).toEqual(['errorCode', 'failureReason', 'additionalDetails']);
    expect(Object.keys(first.deviceDetail as object)).toEqual([
      'deviceId',
      'displayName',
      'operatingSystem',
      'browser',
      'isCompliant',
      'isManaged',
      'trustType',
    ]);
    expect(Object.keys(first.location as object)).toEqual(['city', 'state', 'countryOrRegion', 'geoCoordinates']);
    expect(Object.keys((first.location as { geoCoordinates: object }).geoCoordinates)).toEqual(['altitude', 'latitude', 'longitude']);
    const withPolicy = signIn.value.find((s) => (s.appliedConditionalAccessPolicies as unknown[]).length > 0);
    expect(Object.keys((withPolicy?.appliedConditionalAccessPolicies as object[])[0] ?? {})).toEqual([
      'id',
      'displayName',
      'enforcedGrantControls',
      'enforcedSessionControls',
      'result',
    ]);

    const detection = (JSON.parse(demo.text.get(DEMO_FILES.riskDetections) ?? '{}') as { value: Record<string, unknown>[] }).value[0] ?? {};
    expect(Object.keys(detection)).toEqual([
      '@odata.type',
      'id',
      'requestId',
      'correlationId',
      'riskEventType',
      'riskState',
      'riskLevel',
      'riskDetail',
      'source',
      'detectionTimingType',
      'activity',
      'tokenIssuerType',
      'ipAddress',
      'location',
      'activityDateTime',
      'detectedDateTime',
      'lastUpdatedDateTime',
      'userId',
      'userDisplayName',
      'userPrincipalName',
      'additionalInfo',
    ]);
    expect(detection.id).toMatch(/^[0-9a-f]{64}$/);
    expect(typeof detection.additionalInfo).toBe('string');

    const risky = (JSON.parse(demo.text.get(DEMO_FILES.riskyUsers) ?? '{}') as { value: Record<string, unknown>[] }).value[0] ?? {};
    expect(Object.keys(risky)).toEqual([
      'id',
      'isDeleted',
      'isProcessing',
      'riskDetail',
      'riskLastUpdatedDateTime',
      'riskLevel',
      'riskState',
      'userDisplayName',
      'userPrincipalName',
    ]);
  });

  it('lists sign-ins newest first', () => {
    for (let i = 1; i < demo.signIns.length; i++) {
      expect(Date.parse(demo.signIns[i - 1]?.createdDateTime ?? '')).toBeGreaterThanOrEqual(Date.parse(demo.signIns[i]?.createdDateTime ?? ''));
    }
  });

  it('satisfies the cross-file invariants', () => {
    checkInvariants(demo);
  });

  it('satisfies them for other seeds too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
        checkInvariants(parse(generateDemoWorkspace(seed)));
      }),
      { numRuns: 4, seed: 42 },
    );
  });

  it('follows working hours and the week in each user’s time zone', () => {
    const officeOf = new Map(demo.truth.people.map((p) => [p.userId, p.office]));
    const placeByCity = new Map<string, Place>(Object.values(places).map((p) => [p.city, p]));
    let atHome = 0;
    let workingHours = 0;
    let weekend = 0;
    for (const s of demo.signIns) {
      if (s.location.city !== officeOf.get(s.userId)) continue;
      const place = placeByCity.get(s.location.city);
      if (!place) continue;
      atHome++;
      const local = localParts(place.zone, Date.parse(s.createdDateTime) * 1000);
      if (local.hour >= 7 && local.hour < 19) workingHours++;
      if (local.weekday === 0 || local.weekday === 6) weekend++;
    }
    expect(atHome).toBeGreaterThan(1500);
    expect(workingHours / atHome).toBeGreaterThan(0.8);
    expect(weekend / atHome).toBeLessThan(0.08);
    const failures = demo.signIns.filter((s) => s.status.errorCode !== 0);
    expect(failures.length / demo.signIns.length).toBeGreaterThan(0.03);
    expect(failures.length / demo.signIns.length).toBeLessThan(0.2);
    expect(new Set(failures.map((s) => s.status.errorCode))).toEqual(new Set([50126, 50074, 50140, 500121]));
  });
});

describe('demo stories', () => {
  const homeCountry = (userId: string) => {
    const office = demo.truth.people.find((p) => p.userId === userId)?.office;
    return Object.values(places).find((p) => p.city === office)?.countryOrRegion;
  };
  const detectionsOf = (ids: string[]) => ids.map((id) => demo.detectionById.get(id)).filter((d): d is Detection => d !== undefined);
  const signInsOf = (ids: string[]) => ids.map((id) => demo.signInById.get(id)).filter((s): s is SignIn => s !== undefined);

  it('(1) leaked credentials, then sign-ins from a new country with high-risk detections', () => {
    const s = story(demo, 'leakedCredentialsCompromise');
    const detections = detectionsOf(s.detectionIds);
    const leak = detections.find((d) => d.riskEventType === 'leakedCredentials');
    expect(leak).toMatchObject({ detectionTimingType: 'offline', activity: 'user', requestId: null, riskState: 'atRisk' });
    const attack = signInsOf(s.signInIds);
    expect(attack.every((x) => x.userId === s.userId)).toBe(true);
    expect(attack.every((x) => x.location.countryOrRegion !== homeCountry(s.userId))).toBe(true);
    expect(attack.every((x) => Date.parse(x.createdDateTime) > Date.parse(leak?.activityDateTime ?? ''))).toBe(true);
    expect(attack.some((x) => x.appDisplayName === 'Office 365 Exchange Online' && x.status.errorCode === 0)).toBe(true);
    expect(attack.length).toBeGreaterThanOrEqual(10);
    const types = new Set(detections.filter((d) => d.riskLevel === 'high').map((d) => d.riskEventType));
    expect(types.has('unfamiliarFeatures')).toBe(true);
    expect(types.has('unlikelyTravel')).toBe(true);
    expect(detections.some((d) => d.riskEventType === 'anonymizedIPAddress')).toBe(true);
  });

  it('(2) a password spray from one foreign address across ~15 users within the hour, one success', () => {
    const s = story(demo, 'passwordSpray');
    const attempts = signInsOf(s.signInIds).filter((x) => x.appDisplayName === 'Azure Active Directory PowerShell');
    expect(new Set(attempts.map((x) => x.ipAddress)).size).toBe(1);
    expect(attempts.every((x) => x.location.countryOrRegion !== homeCountry(x.userId))).toBe(true);
    const times = attempts.map((x) => Date.parse(x.createdDateTime));
    expect(Math.max(...times) - Math.min(...times)).toBeLessThan(60 * 60 * 1000);
    const failed = attempts.filter((x) => x.status.errorCode === 50126);
    expect(new Set(failed.map((x) => x.userId)).size).toBeGreaterThanOrEqual(14);
    const successes = attempts.filter((x) => x.status.errorCode === 0);
    expect(successes).toHaveLength(1);
    expect(successes[0]?.userId).toBe(s.userId);
    expect(s.relatedUsers.length).toBeGreaterThanOrEqual(13);
    const spray = detectionsOf(s.detectionIds).find((d) => d.riskEventType === 'passwordSpray');
    expect(spray?.requestId).toBe(successes[0]?.id);
    expect(spray?.userId).toBe(s.userId);
  });

  it('(3) a user confirmed compromised by an admin', () => {
    const s = story(demo, 'adminConfirmedCompromise');
    const detections = detectionsOf(s.detectionIds);
    expect(detections.some((d) => d.riskEventType === 'adminConfirmedUserCompromised' && d.activity === 'user')).toBe(true);
    expect(detections.every((d) => d.riskState === 'confirmedCompromised' && d.riskDetail === 'adminConfirmedUserCompromised')).toBe(true);
    expect(signInsOf(s.signInIds).some((x) => x.status.errorCode === 50126)).toBe(true);
  });

  it('(4) a noisy but benign user with many low detections, all cleared', () => {
    const s = story(demo, 'noisyBenignUser');
    const detections = detectionsOf(s.detectionIds);
    expect(detections.length).toBeGreaterThanOrEqual(8);
    expect(detections.every((d) => d.riskLevel === 'low')).toBe(true);
    expect(detections.every((d) => d.riskState === 'remediated' || d.riskState === 'dismissed')).toBe(true);
    const byMfa = detections.filter((d) => d.riskEventType === 'unfamiliarFeatures' && d.riskDetail === 'userPassedMFADrivenByRiskBasedPolicy');
    expect(byMfa.length / detections.length).toBeGreaterThan(0.5);
    expect(s.verdict).toBe('benign');
  });

  it('(5) risk remediated by a secure password reset', () => {
    const s = story(demo, 'securePasswordReset');
    const detections = detectionsOf(s.detectionIds);
    expect(detections.length).toBeGreaterThanOrEqual(2);
    expect(detections.every((d) => d.riskState === 'remediated' && d.riskDetail === 'userPerformedSecuredPasswordReset')).toBe(true);
  });

  it('gives each story a distinct main character', () => {
    expect(new Set(demo.truth.stories.map((s) => s.userId)).size).toBe(demo.truth.stories.length);
  });
});
