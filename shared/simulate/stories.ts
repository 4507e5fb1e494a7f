/**
 * The investigation stories planted in the demo tenant, each with its ground truth.
 *
 * A story has two phases: `prepare` shapes the plans of its characters before the everyday
 * routine is generated (trips, risk profile), and `run` adds the story's own sign-ins and
 * detections afterwards, when the character's ordinary activity exists to be contrasted with.
 * Each story draws from its own fork of the generator, so stories never shift one another.
 */
import { atLocal, atUtc, DEFAULT_RISK, dayDate, relatedLocationInfo, riskReasonsFor, vpnExits, type Plan, type Trip } from './behaviour.ts';
import { apps, distanceKm, places, signInErrors, type AppKey, type Place, type PlaceKey, type RiskDetail, type RiskLevel, type RiskState } from './catalog.ts';
import type { Network } from './network.ts';
import type { Rng } from './rng.ts';
import type { Person, Tenant } from './tenant.ts';
import { HOUR, MINUTE, SECOND, type Micros } from './time.ts';
import { deviceClient, foreignClient, type ClientInfo, type DetectionEvent, type SignInEvent, type World } from './world.ts';

export type ScenarioKey = 'leakedCredentialsCompromise' | 'passwordSpray' | 'adminConfirmedCompromise' | 'noisyBenignUser' | 'securePasswordReset';

/** The risky-user row a story is meant to leave behind. */
export interface ExpectedRiskyUser {
  riskLevel: RiskLevel;
  riskState: RiskState;
  riskDetail: RiskDetail;
}

/** What happened in one story, for tests, demos and scoring evaluations. */
export interface StoryTruth {
  scenario: ScenarioKey;
  title: string;
  description: string;
  verdict: 'compromised' | 'benign';
  userId: string;
  userPrincipalName: string;
  userDisplayName: string;
  expectedRiskyUser: ExpectedRiskyUser;
  /** Other accounts the story touched (the spray's other targets). */
  relatedUsers: { userId: string; userPrincipalName: string }[];
  /** Addresses the attacker (or, in benign stories, the unusual activity) came from. */
  ipAddresses: string[];
  signInIds: string[];
  detectionIds: string[];
  start: Micros;
  end: Micros;
}

/** Who plays which part. */
export interface Cast {
  leaked: Person;
  sprayVictim: Person;
  sprayTargets: Person[];
  confirmed: Person;
  noisy: Person;
  reset: Person;
}

export interface Schedule {
  leakDay: number;
  attackDay: number;
  sprayDay: number;
  compromiseDay: number;
  noisyTrips: Trip[];
  vacation: Trip;
}

/** Picks the characters: story victims outside the risk-policy pilot and without a VPN habit; the noisy user in the pilot. */
export function castStories(tenant: Tenant, rng: Rng): Cast {
  const r = rng.fork('cast');
  const quiet = tenant.people.filter((person) => !person.riskPolicyPilot && !person.vpnUser);
  const finance = quiet.filter((person) => person.department === 'Finance');
  const leaked = r.pick(finance.length > 0 ? finance : quiet);
  const [sprayVictim, confirmed, reset] = r.sample(
    quiet.filter((person) => person !== leaked),
    3,
  );
  const pilotTravellers = tenant.people.filter((person) => person.riskPolicyPilot && person.traveller);
  const noisy = r.pick(pilotTravellers.length > 0 ? pilotTravellers : tenant.people.filter((person) => person.riskPolicyPilot));
  if (!sprayVictim || !confirmed || !reset) throw new Error('not enough people for the stories');
  const characters = new Set([leaked, sprayVictim, confirmed, reset, noisy]);
  const sprayTargets = r.sample(
    tenant.people.filter((person) => !characters.has(person)),
    14,
  );
  sprayTargets.splice(r.int(3, sprayTargets.length), 0, sprayVictim);
  return { leaked, sprayVictim, sprayTargets, confirmed, noisy, reset };
}

const FAR_DESTINATIONS: readonly PlaceKey[] = ['london', 'toronto', 'singapore', 'denver', 'madrid', 'newYork', 'chicago', 'munich', 'berlin'];

function farPlaces(from: Place, minKm: number): Place[] {
  return FAR_DESTINATIONS.map((key) => places[key]).filter((place) => place.countryOrRegion !== from.countryOrRegion || distanceKm(from, place) > minKm);
}

/** The first weekday at or after `index`. */
function weekdayFrom(world: World, index: number): number {
  let day = index;
  for (;;) {
    const weekday = dayDate(world.window, day).weekday;
    if (weekday !== 0 && weekday !== 6) return day;
    day++;
  }
}

/** Shapes the characters' plans before the routine runs, and fixes the story calendar. */
export function prepareStories(world: World, plans: Map<Person, Plan>, cast: Cast, rng: Rng): Schedule {
  const r = rng.fork('prepare');
  const tenant = world.tenant;
  const planOf = (person: Person): Plan => {
    const plan = plans.get(person);
    if (!plan) throw new Error(`no plan for ${person.userPrincipalName}`);
    return plan;
  };

  // Story characters' own routine raises nothing: their detections all belong to their story.
  for (const person of [cast.leaked, cast.sprayVictim, cast.confirmed, cast.reset]) planOf(person).risk = null;

  // (4) The noisy traveller: four business trips, unfamiliar-sign-in detections on most hotel sign-ins.
  const noisyPlan = planOf(cast.noisy);
  const destinations = r.sample(farPlaces(cast.noisy.office, 500), 4);
  const tripStarts = [r.int(1, 3), r.int(8, 10), r.int(15, 17), r.int(22, 23)].map((day) => weekdayFrom(world, day));
  noisyPlan.trips = destinations.map((place, i): Trip => {
    const firstDay = tripStarts[i] ?? 0;
    const last = i === destinations.length - 1;
    return {
      place,
      firstDay,
      lastDay: firstDay + r.int(1, 2),
      purpose: 'business',
      hotel: tenant.networks.allocate('hotel', place, r.pick(['Wayfarer Hotels Wi-Fi', 'Harborview Inn Wi-Fi'])),
      // The last trip raises no offline detection, so the user's final state is an MFA remediation.
      unlikelyTravelOnArrival: last ? 0 : 0.8,
    };
  });
  noisyPlan.risk = { ...DEFAULT_RISK, unfamiliarOnNewNetwork: 1, unfamiliarOnTravelRepeat: 0.4, anonymizedOnVpn: 0, dangling: 0, maxLevel: 'low' };
  noisyPlan.origin = 'story:noisyBenignUser';

  // (5) A vacation abroad for the user who will reset their password.
  const vacationPlace = r.pick(farPlaces(cast.reset.office, 2000));
  const vacationStart = r.int(14, 21);
  const vacation: Trip = {
    place: vacationPlace,
    firstDay: vacationStart,
    lastDay: vacationStart + 4,
    purpose: 'vacation',
    hotel: tenant.networks.allocate('hotel', vacationPlace, 'Harborview Inn Wi-Fi'),
  };
  planOf(cast.reset).trips = [vacation];

  const leakDay = r.int(5, 9);
  return {
    leakDay,
    attackDay: leakDay + r.int(2, 4),
    sprayDay: r.int(3, 24),
    compromiseDay: r.int(12, 24),
    noisyTrips: noisyPlan.trips,
    vacation,
  };
}

/** Collects a story's records as it builds them. */
class StoryLog {
  readonly signIns: SignInEvent[] = [];
  readonly detections: DetectionEvent[] = [];
  readonly ips = new Set<string>();

  signIn(event: SignInEvent): SignInEvent {
    this.signIns.push(event);
    this.ips.add(event.network.ip);
    return event;
  }

  detection(event: DetectionEvent): DetectionEvent {
    this.detections.push(event);
    return event;
  }

  truth(
    fields: Omit<
      StoryTruth,
      'userId' | 'userPrincipalName' | 'userDisplayName' | 'signInIds' | 'detectionIds' | 'ipAddresses' | 'start' | 'end' | 'relatedUsers'
    > & { user: Person; related?: Person[] },
  ): StoryTruth {
    const times = [...this.signIns.map((event) => event.time), ...this.detections.flatMap((event) => [event.activityTime, event.lastUpdatedTime])];
    const { user, related, ...rest } = fields;
    return {
      scenario: rest.scenario,
      title: rest.title,
      description: rest.description,
      verdict: rest.verdict,
      userId: user.objectId,
      userPrincipalName: user.userPrincipalName,
      userDisplayName: user.displayName,
      expectedRiskyUser: rest.expectedRiskyUser,
      relatedUsers: (related ?? []).map((person) => ({ userId: person.objectId, userPrincipalName: person.userPrincipalName })),
      ipAddresses: [...this.ips],
      signInIds: this.signIns.map((event) => event.id),
      detectionIds: this.detections.map((event) => event.id),
      start: Math.min(...times),
      end: Math.max(...times),
    };
  }
}

function jitter(r: Rng): Micros {
  return r.int(0, SECOND - 1);
}

/** A burst of successful sign-ins from one place, a few minutes apart. */
function burst(
  world: World,
  r: Rng,
  log: StoryLog,
  user: Person,
  network: Network,
  client: ClientInfo,
  from: Micros,
  count: number,
  mix: readonly (readonly [AppKey, number])[],
  origin: string,
  gap: [Micros, Micros],
): Micros {
  let t = from;
  for (let i = 0; i < count; i++) {
    t += r.int(gap[0], gap[1]);
    log.signIn(world.addSignIn(r, { user, time: t, app: apps[r.weighted(mix)], network, client, origin }));
  }
  return t;
}

/** (1) Leaked credentials, then an attacker signs in from abroad through an anonymizer and reads mail. */
function leakedCredentialsStory(world: World, cast: Cast, schedule: Schedule, rng: Rng): StoryTruth {
  const r = rng.fork('story:leakedCredentialsCompromise');
  const origin = 'story:leakedCredentialsCompromise';
  const log = new StoryLog();
  const victim = cast.leaked;
  const tenant = world.tenant;

  const leakTime = atUtc(world.window, schedule.leakDay, r.float(3, 11)) + jitter(r);
  log.detection(
    world.addDetection(r, {
      user: victim,
      type: 'leakedCredentials',
      level: 'high',
      activityTime: leakTime,
      detectedTime: leakTime + r.int(10 * MINUTE, 2 * HOUR),
      origin,
    }),
  );

  const tor = tenant.networks.allocate('anonymizer', places.amsterdam, 'Tor exit relay');
  const attacker = foreignClient('linuxChrome');
  const t0 = atLocal(world.window, victim.office, schedule.attackDay, r.float(1.5, 3.5)) + jitter(r);
  const before = world.signInsOf(victim).filter((event) => event.time < t0 && event.status.errorCode === 0);
  const previous = before[before.length - 1];

  const first = log.signIn(world.addSignIn(r, { user: victim, time: t0, app: apps.officeShell, network: tor, client: attacker, origin }));
  log.detection(
    world.addDetection(r, { user: victim, type: 'unfamiliarFeatures', level: 'high', signIn: first, extraInfo: riskReasonsFor('unfamiliarFeatures'), origin }),
  );
  log.detection(world.addDetection(r, { user: victim, type: 'anonymizedIPAddress', level: 'medium', signIn: first, origin }));
  const mail = log.signIn(
    world.addSignIn(r, { user: victim, time: t0 + r.int(20 * SECOND, 70 * SECOND), app: apps.exchangeOnline, network: tor, client: attacker, origin }),
  );
  log.detection(world.addDetection(r, { user: victim, type: 'anonymizedIPAddress', level: 'medium', signIn: mail, origin }));
  const burstStart = log.signIns.length;
  burst(
    world,
    r,
    log,
    victim,
    tor,
    attacker,
    mail.time,
    r.int(10, 14),
    [
      ['exchangeOnline', 6],
      ['sharePointOnline', 3],
      ['officeShell', 1],
    ],
    origin,
    [MINUTE, 6 * MINUTE],
  );
  for (const event of log.signIns.slice(burstStart)) {
    if (r.chance(0.4)) log.detection(world.addDetection(r, { user: victim, type: 'anonymizedIPAddress', level: 'medium', signIn: event, origin }));
  }
  log.detection(
    world.addDetection(r, {
      user: victim,
      type: 'unlikelyTravel',
      level: 'high',
      signIn: first,
      detectedTime: t0 + r.int(2 * HOUR, 5 * HOUR),
      extraInfo: previous ? relatedLocationInfo(previous.network.place, previous.network, previous.time, previous.client.userAgent) : [],
      origin,
    }),
  );

  // The next night, from a rented server: no anonymizer this time, mail again.
  const vps = tenant.networks.allocate('hosting', places.bucharest, 'Carpathia Hosting');
  const t1 = atLocal(world.window, victim.office, schedule.attackDay + 1, r.float(0.5, 3.5)) + jitter(r);
  const second = log.signIn(world.addSignIn(r, { user: victim, time: t1, app: apps.exchangeOnline, network: vps, client: attacker, origin }));
  log.detection(
    world.addDetection(r, { user: victim, type: 'unfamiliarFeatures', level: 'high', signIn: second, extraInfo: riskReasonsFor('unfamiliarFeatures'), origin }),
  );
  burst(
    world,
    r,
    log,
    victim,
    vps,
    attacker,
    t1,
    r.int(4, 7),
    [
      ['exchangeOnline', 4],
      ['sharePointOnline', 1],
    ],
    origin,
    [2 * MINUTE, 9 * MINUTE],
  );

  return log.truth({
    scenario: 'leakedCredentialsCompromise',
    title: 'Leaked credentials, then account takeover',
    description: `${victim.displayName}'s password appears in a leak; days later an attacker signs in through a Tor exit in the Netherlands and a server in Romania and reads mail in Exchange Online.`,
    verdict: 'compromised',
    user: victim,
    expectedRiskyUser: { riskLevel: 'high', riskState: 'atRisk', riskDetail: 'none' },
  });
}

/** (2) Password spray: one address tries one password on many accounts, one works. */
function passwordSprayStory(world: World, cast: Cast, schedule: Schedule, rng: Rng): StoryTruth {
  const r = rng.fork('story:passwordSpray');
  const origin = 'story:passwordSpray';
  const log = new StoryLog();
  const victim = cast.sprayVictim;
  const net = world.tenant.networks.allocate('hosting', places.saoPaulo, 'Pampa Cloud Hosting');
  const tool = foreignClient('pythonRequests');
  let t = atUtc(world.window, schedule.sprayDay, r.float(2, 5)) + jitter(r);
  let success: SignInEvent | null = null;
  for (let round = 0; round < 2; round++) {
    for (const target of cast.sprayTargets) {
      if (target === victim && round > 0) continue;
      const hit = target === victim;
      const event = log.signIn(
        world.addSignIn(r, {
          user: target,
          time: t,
          app: apps.aadPowerShell,
          network: net,
          client: tool,
          ...(hit ? {} : { error: signInErrors.invalidPassword }),
          origin,
        }),
      );
      if (hit) success = event;
      t += r.int(20 * SECOND, 75 * SECOND);
    }
  }
  if (!success) throw new Error('the spray victim was not among the targets');
  log.detection(
    world.addDetection(r, {
      user: victim,
      type: 'passwordSpray',
      level: 'high',
      signIn: success,
      detectedTime: success.time + r.int(3 * HOUR, 8 * HOUR),
      origin,
    }),
  );

  // The attacker uses the password in a browser within the hour.
  const browser = foreignClient('windowsFirefox');
  const look = log.signIn(
    world.addSignIn(r, { user: victim, time: success.time + r.int(8 * MINUTE, 20 * MINUTE), app: apps.exchangeOnline, network: net, client: browser, origin }),
  );
  log.detection(
    world.addDetection(r, { user: victim, type: 'unfamiliarFeatures', level: 'medium', signIn: look, extraInfo: riskReasonsFor('unfamiliarFeatures'), origin }),
  );
  burst(
    world,
    r,
    log,
    victim,
    net,
    browser,
    look.time,
    r.int(2, 3),
    [
      ['exchangeOnline', 3],
      ['sharePointOnline', 1],
    ],
    origin,
    [MINUTE, 5 * MINUTE],
  );

  return log.truth({
    scenario: 'passwordSpray',
    title: 'Password spray with one success',
    description: `One address in Brazil tries a password on ${cast.sprayTargets.length} accounts within the hour; it works for ${victim.displayName}, whose mailbox is then opened from the same address.`,
    verdict: 'compromised',
    user: victim,
    related: cast.sprayTargets.filter((person) => person !== victim),
    expectedRiskyUser: { riskLevel: 'high', riskState: 'atRisk', riskDetail: 'none' },
  });
}

/** (3) A suspicious evening session from abroad; the next morning an admin confirms the user compromised. */
function adminConfirmedStory(world: World, cast: Cast, schedule: Schedule, rng: Rng): StoryTruth {
  const r = rng.fork('story:adminConfirmedCompromise');
  const origin = 'story:adminConfirmedCompromise';
  const log = new StoryLog();
  const victim = cast.confirmed;
  const net = world.tenant.networks.allocate('hosting', places.lagos, 'Lagoon Datacenter');
  const attacker = foreignClient('windowsChrome');
  const t0 = atLocal(world.window, victim.office, schedule.compromiseDay, r.float(21.5, 23)) + jitter(r);
  const first = log.signIn(world.addSignIn(r, { user: victim, time: t0, app: apps.exchangeOnline, network: net, client: attacker, origin }));
  log.detection(
    world.addDetection(r, {
      user: victim,
      type: 'unfamiliarFeatures',
      level: 'medium',
      signIn: first,
      extraInfo: riskReasonsFor('unfamiliarFeatures'),
      origin,
    }),
  );
  burst(
    world,
    r,
    log,
    victim,
    net,
    attacker,
    t0,
    r.int(4, 6),
    [
      ['exchangeOnline', 3],
      ['sharePointOnline', 2],
    ],
    origin,
    [5 * MINUTE, 20 * MINUTE],
  );
  log.detection(
    world.addDetection(r, { user: victim, type: 'maliciousIPAddress', level: 'medium', signIn: first, detectedTime: t0 + r.int(4 * HOUR, 8 * HOUR), origin }),
  );

  const confirmAt = atLocal(world.window, victim.office, schedule.compromiseDay + 1, r.float(9.5, 12)) + jitter(r);
  const confirmation = log.detection(
    world.addDetection(r, {
      user: victim,
      type: 'adminConfirmedUserCompromised',
      level: 'high',
      activityTime: confirmAt,
      detectedTime: confirmAt + r.int(2 * SECOND, 30 * SECOND),
      origin,
    }),
  );
  for (const detection of log.detections)
    world.settle(detection, 'confirmedCompromised', 'adminConfirmedUserCompromised', detection === confirmation ? detection.detectedTime : confirmAt);

  // The password was reset with the confirmation: the attacker's next attempts fail.
  let t = atLocal(world.window, victim.office, schedule.compromiseDay + 1, r.float(21, 23)) + jitter(r);
  for (let i = 0; i < 2; i++) {
    log.signIn(
      world.addSignIn(r, { user: victim, time: t, app: apps.exchangeOnline, network: net, client: attacker, error: signInErrors.invalidPassword, origin }),
    );
    t += r.int(30 * SECOND, 90 * SECOND);
  }

  return log.truth({
    scenario: 'adminConfirmedCompromise',
    title: 'Confirmed compromised by an administrator',
    description: `${victim.displayName}'s mailbox is opened late in the evening from a hosting address in Nigeria; the next morning an administrator confirms the user compromised and the attacker's later attempts fail.`,
    verdict: 'compromised',
    user: victim,
    expectedRiskyUser: { riskLevel: 'high', riskState: 'confirmedCompromised', riskDetail: 'adminConfirmedUserCompromised' },
  });
}

/** (4) The frequent traveller: many low unfamiliar-sign-in detections, each cleared by MFA or an admin. */
function noisyStory(world: World, cast: Cast, rng: Rng): StoryTruth {
  const r = rng.fork('story:noisyBenignUser');
  const log = new StoryLog();
  const person = cast.noisy;
  const detections = world.detectionsOf(person);
  // Offline detections cannot be remediated by MFA: an admin dismisses them within the day.
  for (const detection of detections) {
    if (detection.riskState !== 'atRisk') continue;
    const at = detection.detectedTime + r.int(2 * HOUR, 20 * HOUR);
    if (world.fits(at)) world.settle(detection, 'dismissed', 'adminDismissedAllRiskForUser', at);
  }
  const correlations = new Set<string>();
  for (const detection of detections) {
    log.detection(detection);
    if (detection.signIn) correlations.add(detection.signIn.correlationId);
  }
  for (const event of world.signInsOf(person)) if (correlations.has(event.correlationId)) log.signIn(event);
  return log.truth({
    scenario: 'noisyBenignUser',
    title: 'Noisy but benign traveller',
    description: `${person.displayName} travels every week; Identity Protection flags many low-risk unfamiliar sign-ins from hotels, each cleared by MFA under the pilot risk policy (and offline travel detections dismissed by an admin).`,
    verdict: 'benign',
    user: person,
    expectedRiskyUser: { riskLevel: 'none', riskState: 'remediated', riskDetail: 'userPassedMFADrivenByRiskBasedPolicy' },
  });
}

/** (5) A user on vacation signs in through a VPN, is flagged, and clears it with a secure password reset. */
function securePasswordResetStory(world: World, cast: Cast, schedule: Schedule, rng: Rng): StoryTruth {
  const r = rng.fork('story:securePasswordReset');
  const origin = 'story:securePasswordReset';
  const log = new StoryLog();
  const person = cast.reset;
  const trip = schedule.vacation;
  const vpn = r.pick(vpnExits(world.tenant));
  const day = trip.firstDay + 1;
  const t0 = atLocal(world.window, trip.place, day, r.float(19.5, 21.5)) + jitter(r);
  const reasons = [{ Key: 'riskReasons', Value: ['UnfamiliarASN', 'UnfamiliarIP', 'UnfamiliarLocation'] }];
  const first = log.signIn(
    world.addSignIn(r, { user: person, time: t0, app: apps.exchangeOnline, network: vpn, client: deviceClient(person.phone, apps.exchangeOnline), origin }),
  );
  log.detection(world.addDetection(r, { user: person, type: 'anonymizedIPAddress', level: 'medium', signIn: first, origin }));
  log.detection(world.addDetection(r, { user: person, type: 'unfamiliarFeatures', level: 'medium', signIn: first, extraInfo: reasons, origin }));
  const chat = log.signIn(
    world.addSignIn(r, {
      user: person,
      time: t0 + r.int(5 * MINUTE, 15 * MINUTE),
      app: apps.teamsMobile,
      network: vpn,
      client: deviceClient(person.phone, apps.teamsMobile),
      origin,
    }),
  );
  log.detection(world.addDetection(r, { user: person, type: 'anonymizedIPAddress', level: 'medium', signIn: chat, origin }));
  const resetAt = atLocal(world.window, trip.place, day + 1, r.float(8.5, 10.5)) + jitter(r);
  for (const detection of log.detections) world.settle(detection, 'remediated', 'userPerformedSecuredPasswordReset', resetAt);
  return log.truth({
    scenario: 'securePasswordReset',
    title: 'Risk remediated by a secure password reset',
    description: `${person.displayName}, on vacation in ${trip.place.city}, reads mail through a consumer VPN; the anonymizer and unfamiliar-sign-in detections are remediated the next morning when they reset their password with MFA.`,
    verdict: 'benign',
    user: person,
    expectedRiskyUser: { riskLevel: 'none', riskState: 'remediated', riskDetail: 'userPerformedSecuredPasswordReset' },
  });
}

/** Runs every story after the routine; returns their ground truth in a fixed order. */
export function runStories(world: World, cast: Cast, schedule: Schedule, rng: Rng): StoryTruth[] {
  return [
    leakedCredentialsStory(world, cast, schedule, rng),
    passwordSprayStory(world, cast, schedule, rng),
    adminConfirmedStory(world, cast, schedule, rng),
    noisyStory(world, cast, rng),
    securePasswordResetStory(world, cast, schedule, rng),
  ];
}

/** Everyone who plays a part in a story as its main character. */
export function storyCharacters(cast: Cast): Set<Person> {
  return new Set([cast.leaked, cast.sprayVictim, cast.confirmed, cast.noisy, cast.reset]);
}
