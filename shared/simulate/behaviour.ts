/**
 * Everyday behaviour: each person's working rhythm (days, hours, office or home, devices, apps),
 * trips, the ordinary failures of signing in, and the organic Identity Protection noise that
 * comes with travel and VPNs, with how the SOC or the user later settles it.
 */
import { apps, distanceKm, places, signInErrors, type AppDef, type AppKey, type Place, type PlaceKey, type RiskLevel } from './catalog.ts';
import type { Network } from './network.ts';
import type { Rng } from './rng.ts';
import type { Person, Tenant } from './tenant.ts';
import { DAY, fromLocal, HOUR, localDays, MINUTE, SECOND, type LocalDay, type Micros, type TimeWindow } from './time.ts';
import { deviceClient, type ClientInfo, type DetectionEvent, type SignInEvent, type World } from './world.ts';

export interface Trip {
  place: Place;
  /** First and last day, as indexes of days since the window's first UTC day. */
  firstDay: number;
  lastDay: number;
  purpose: 'business' | 'vacation';
  hotel: Network;
  /** Overrides the profile's unlikelyTravelOnArrival for this trip. */
  unlikelyTravelOnArrival?: number;
}

/** How likely ordinary behaviour is to trip Identity Protection for this person. */
export interface RiskProfile {
  /** unfamiliarFeatures on the first sign-in from a network never used before (travel, VPN). */
  unfamiliarOnNewNetwork: number;
  /** unfamiliarFeatures on later sign-ins from a travel network. */
  unfamiliarOnTravelRepeat: number;
  /** anonymizedIPAddress on a sign-in through a consumer VPN. */
  anonymizedOnVpn: number;
  /** unlikelyTravel (offline) on the first sign-in of a long-distance trip. */
  unlikelyTravelOnArrival: number;
  /** Share of detections raised on a non-interactive request that is not in the sign-in export. */
  dangling: number;
  /** Highest level organic detections reach. */
  maxLevel: RiskLevel;
}

export interface Plan {
  person: Person;
  trips: Trip[];
  /** Null: this person's routine never raises detections (story characters). */
  risk: RiskProfile | null;
  /** Label for origin of routine events ('routine' or a story's key for a story-driven routine). */
  origin: string;
  /** Day indexes on which the person does not sign in at all. */
  offDays: Set<number>;
}

export const DEFAULT_RISK: RiskProfile = {
  unfamiliarOnNewNetwork: 0.7,
  unfamiliarOnTravelRepeat: 0.05,
  anonymizedOnVpn: 0.7,
  unlikelyTravelOnArrival: 0.3,
  dangling: 0.15,
  maxLevel: 'medium',
};

const TRAVEL_DESTINATIONS: Record<string, readonly PlaceKey[]> = {
  US: ['newYork', 'chicago', 'denver', 'toronto', 'london'],
  GB: ['manchester', 'berlin', 'madrid', 'newYork', 'munich'],
  DE: ['munich', 'london', 'madrid', 'zurich', 'frankfurt'],
};

const HOTEL_CHAINS = ['Wayfarer Hotels Wi-Fi', 'Harborview Inn Wi-Fi', 'Terminal Airport Wi-Fi'];

/** The window's first UTC day (ms), the origin of day indexes. */
function dayZeroMs(window: TimeWindow): number {
  const start = new Date(Math.floor(window.start / 1000));
  return Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
}

export function dayIndexOf(window: TimeWindow, day: { year: number; month: number; day: number }): number {
  return Math.round((Date.UTC(day.year, day.month - 1, day.day) - dayZeroMs(window)) / 86_400_000);
}

/** The instant of an hour (UTC) on a day index. */
export function atUtc(window: TimeWindow, index: number, hour: number): Micros {
  return (dayZeroMs(window) + index * 86_400_000) * 1000 + Math.round(hour * HOUR);
}

/** The calendar date of a day index. */
export function dayDate(window: TimeWindow, index: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(dayZeroMs(window) + index * 86_400_000);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay() };
}

/** The instant of a local hour on a day index, in a place's time zone. */
export function atLocal(window: TimeWindow, place: Place, index: number, hour: number): Micros {
  const date = dayDate(window, index);
  return fromLocal(place.zone, date.year, date.month, date.day, hour);
}

export function windowDays(window: TimeWindow): number {
  return Math.floor((window.end - window.start) / DAY) + 1;
}

/** A hotel network in a place, shared by everyone who stays there. */
export function hotelNetwork(tenant: Tenant, rng: Rng, place: Place): Network {
  const existing = tenant.networks.all().find((network) => network.kind === 'hotel' && network.place === place);
  if (existing && rng.chance(0.5)) return existing;
  return tenant.networks.allocate('hotel', place, rng.pick(HOTEL_CHAINS));
}

/** Builds everyone's default plan: business trips for travellers, default risk profile. */
export function planPeople(world: World, rng: Rng): Map<Person, Plan> {
  const plans = new Map<Person, Plan>();
  const days = windowDays(world.window);
  for (const person of world.tenant.people) {
    const r = rng.fork(`plan:${person.index}`);
    const trips: Trip[] = [];
    const tripCount = person.traveller ? (r.chance(0.5) ? 2 : 1) : r.chance(0.12) ? 1 : 0;
    const destinations = TRAVEL_DESTINATIONS[person.office.countryOrRegion] ?? TRAVEL_DESTINATIONS.US ?? [];
    // Split the month so trips never overlap.
    const span = Math.floor((days - 6) / Math.max(1, tripCount));
    for (let i = 0; i < tripCount; i++) {
      const firstDay = 2 + i * span + r.int(0, Math.max(0, span - 5));
      const place = places[r.pick(destinations)];
      trips.push({ place, firstDay, lastDay: firstDay + r.int(1, 3), purpose: 'business', hotel: hotelNetwork(world.tenant, r, place) });
    }
    plans.set(person, { person, trips, risk: DEFAULT_RISK, origin: 'routine', offDays: new Set() });
  }
  return plans;
}

/** Consumer VPN exits shared by the tenant's VPN users. */
export function vpnExits(tenant: Tenant): Network[] {
  const existing = tenant.networks.all().filter((network) => network.kind === 'vpn' && network.isp === 'Nimbus VPN');
  if (existing.length > 0) return existing;
  return (['frankfurt', 'zurich', 'amsterdam', 'london'] as const).map((key) => tenant.networks.allocate('vpn', places[key], 'Nimbus VPN'));
}

interface DayContext {
  plan: Plan;
  day: LocalDay;
  dayIndex: number;
  zonePlace: Place;
  trip: Trip | null;
}

/** State carried through one person's routine. */
interface PersonState {
  seenIps: Set<string>;
  lastPlace: Place;
  lastNetwork: Network;
  lastTime: Micros;
  tripArrived: Set<Trip>;
}

function pickApp(rng: Rng, person: Person, form: 'computer' | 'phone'): AppDef {
  const allowed = person.apps.filter(([key]) => {
    const app = apps[key];
    if (form === 'phone') return app.client === 'mobile' || (app.client === 'browser' && key !== 'azurePortal' && key !== 'officeShell');
    return app.client === 'browser' || app.client === 'desktop';
  });
  const key: AppKey = allowed.length > 0 ? rng.weighted(allowed) : 'exchangeOnline';
  return apps[key];
}

/** Generates everyone's everyday sign-ins and the organic detections they raise. */
export function generateRoutine(world: World, plans: Map<Person, Plan>, rng: Rng): void {
  const vpn = vpnExits(world.tenant);
  for (const plan of plans.values()) {
    const r = rng.fork(`routine:${plan.person.index}`);
    const state: PersonState = {
      seenIps: new Set(),
      lastPlace: plan.person.office,
      lastNetwork: plan.person.homeNetwork,
      lastTime: world.window.start,
      tripArrived: new Set(),
    };
    // Networks used every day are familiar from before the window.
    for (const network of [...plan.person.officeNetworks, plan.person.homeNetwork, plan.person.mobileNetwork]) state.seenIps.add(network.ip);
    for (const day of localDays(plan.person.office.zone, world.window)) {
      const dayIndex = dayIndexOf(world.window, day);
      if (plan.offDays.has(dayIndex)) continue;
      const trip = plan.trips.find((t) => dayIndex >= t.firstDay && dayIndex <= t.lastDay) ?? null;
      const ctx: DayContext = { plan, day, dayIndex, zonePlace: trip ? trip.place : plan.person.office, trip };
      generateDay(world, r, ctx, state, vpn);
    }
  }
}

interface Slot {
  hour: number;
  form: 'computer' | 'phone';
  network: Network;
  vpn: boolean;
}

function generateDay(world: World, r: Rng, ctx: DayContext, state: PersonState, vpn: readonly Network[]): void {
  const { person } = ctx.plan;
  const habits = person.habits;
  const weekend = ctx.day.weekday === 0 || ctx.day.weekday === 6;
  const slots: Slot[] = [];

  if (ctx.trip?.purpose === 'vacation') {
    const count = r.int(0, 2);
    for (let i = 0; i < count; i++) slots.push({ hour: r.float(9, 22), form: 'phone', network: ctx.trip.hotel, vpn: false });
  } else if (ctx.trip && !weekend) {
    const count = Math.max(1, Math.round(r.gaussian(habits.signInsPerDay, 1)));
    const start = r.gaussian(habits.startHour, 0.5);
    for (let i = 0; i < count; i++) {
      const form = r.chance(0.35) ? 'phone' : 'computer';
      slots.push({ hour: i === 0 ? start : r.float(start, start + habits.dayLength + 2), form, network: ctx.trip.hotel, vpn: false });
    }
  } else if (weekend || r.chance(habits.dayOffRate)) {
    if (r.chance(habits.weekendRate)) {
      const count = r.int(1, 2);
      for (let i = 0; i < count; i++) {
        const viaVpn = person.vpnUser && r.chance(0.4);
        const form = !viaVpn && r.chance(0.6) ? 'phone' : 'computer';
        const network = viaVpn ? r.pick(vpn) : form === 'phone' && r.chance(0.5) ? person.mobileNetwork : person.homeNetwork;
        slots.push({ hour: r.float(9.5, 21.5), form, network, vpn: viaVpn });
      }
    }
  } else {
    const inOffice = r.chance(habits.officeRate);
    const cafes = world.tenant.publicWifi.get(person.office.key as PlaceKey) ?? [];
    const outAndAbout = !inOffice && cafes.length > 0 && r.chance(habits.publicWifiRate);
    const workNetwork = outAndAbout ? r.pick(cafes) : person.homeNetwork;
    const egress = person.officeNetworks.length > 0 ? r.pick(person.officeNetworks) : person.homeNetwork;
    const count = Math.max(1, Math.round(r.gaussian(habits.signInsPerDay, 1.1)));
    const start = r.gaussian(habits.startHour, 0.4);
    for (let i = 0; i < count; i++) {
      const form = i > 0 && r.chance(0.18) ? 'phone' : 'computer';
      let network = inOffice ? egress : workNetwork;
      if (form === 'phone' && r.chance(inOffice ? 0.3 : 0.2)) network = person.mobileNetwork;
      slots.push({ hour: i === 0 ? start : r.float(start + 0.2, start + habits.dayLength), form, network, vpn: false });
    }
    if (r.chance(habits.eveningRate)) {
      const viaVpn = person.vpnUser && r.chance(0.6);
      const form = viaVpn || r.chance(0.4) ? 'computer' : 'phone';
      slots.push({
        hour: r.float(19, 22.5),
        form,
        network: viaVpn ? r.pick(vpn) : form === 'phone' && r.chance(0.4) ? person.mobileNetwork : person.homeNetwork,
        vpn: viaVpn,
      });
    }
  }

  slots.sort((a, b) => a.hour - b.hour);
  for (const slot of slots) {
    const time = fromLocal(ctx.zonePlace.zone, ctx.day.year, ctx.day.month, ctx.day.day, slot.hour) + r.int(0, SECOND - 1);
    if (!world.fits(time) || !world.fits(time + 15 * MINUTE)) continue;
    routineSignIn(world, r, ctx, state, slot, time);
  }
}

interface PlannedRisk {
  type: 'unfamiliarFeatures' | 'anonymizedIPAddress';
  level: RiskLevel;
}

function organicLevel(r: Rng, profile: RiskProfile): RiskLevel {
  if (profile.maxLevel === 'low') return 'low';
  return r.weighted<RiskLevel>([
    ['low', 3],
    ['medium', 1],
  ]);
}

function routineSignIn(world: World, r: Rng, ctx: DayContext, state: PersonState, slot: Slot, time: Micros): void {
  const { person, risk } = ctx.plan;
  const policies = world.tenant.policies;
  const origin = ctx.plan.origin;
  const device = slot.form === 'phone' ? person.phone : person.computer;
  const app = pickApp(r, person, slot.form);
  const client = deviceClient(device, app);
  const network = slot.network;
  const firstUse = !state.seenIps.has(network.ip);
  state.seenIps.add(network.ip);

  // What Identity Protection says about this sign-in, decided up front because it drives Conditional Access.
  const realtime: PlannedRisk[] = [];
  let travelArrival = false;
  if (risk) {
    const travelling = network.kind === 'hotel';
    const unusual = travelling || slot.vpn || network.kind === 'public';
    if (slot.vpn && r.chance(risk.anonymizedOnVpn)) realtime.push({ type: 'anonymizedIPAddress', level: organicLevel(r, risk) });
    if ((firstUse && unusual && r.chance(risk.unfamiliarOnNewNetwork)) || (!firstUse && travelling && r.chance(risk.unfamiliarOnTravelRepeat))) {
      realtime.push({ type: 'unfamiliarFeatures', level: organicLevel(r, risk) });
    }
    if (ctx.trip && !state.tripArrived.has(ctx.trip) && travelling) {
      state.tripArrived.add(ctx.trip);
      travelArrival = distanceKm(state.lastPlace, network.place) > 500 && r.chance(ctx.trip.unlikelyTravelOnArrival ?? risk.unlikelyTravelOnArrival);
    }
  }
  const dangling = realtime.length > 0 && risk !== null && r.chance(risk.dangling);
  const previousPlace = state.lastPlace;
  const previousNetwork = state.lastNetwork;
  const previousTime = state.lastTime;
  state.lastPlace = network.place;
  state.lastNetwork = network;

  let success: SignInEvent | null;
  let t = time;
  const correlationId = r.guid();

  if (realtime.length > 0 && !dangling && person.riskPolicyPilot) {
    // Risk-based Conditional Access: MFA challenge, then success; the detections self-remediate.
    if (r.chance(0.5)) {
      world.addSignIn(r, {
        user: person,
        time: t,
        app,
        network,
        client,
        error: signInErrors.mfaRequired,
        policies: [{ policy: policies.riskySignInPilot, result: 'success' }],
        correlationId,
        origin,
      });
      t += r.int(15 * SECOND, 70 * SECOND);
    }
    success = world.addSignIn(r, {
      user: person,
      time: t,
      app,
      network,
      client,
      mfa: 'completed',
      policies: [{ policy: policies.riskySignInPilot, result: 'success' }],
      correlationId,
      origin,
    });
    for (const planned of realtime) {
      const detection = world.addDetection(r, {
        user: person,
        type: planned.type,
        level: planned.level,
        signIn: success,
        detectedTime: t + r.int(2 * SECOND, 40 * SECOND),
        extraInfo: riskReasonsFor(planned.type),
        origin: `${origin}:risk`,
      });
      world.settle(detection, 'remediated', 'userPassedMFADrivenByRiskBasedPolicy', detection.detectedTime + r.int(SECOND, 20 * SECOND));
    }
  } else {
    success = ordinarySignIn(world, r, person, app, network, client, t, correlationId, origin);
    if (realtime.length > 0 && success) {
      const request = dangling ? { requestId: r.guid(), correlationId: r.guid(), network, userAgent: client.userAgent } : undefined;
      for (const planned of realtime) {
        world.addDetection(r, {
          user: person,
          type: planned.type,
          level: planned.level,
          ...(request ? { request, activityTime: success.time + r.int(5 * SECOND, 2 * MINUTE) } : { signIn: success }),
          extraInfo: riskReasonsFor(planned.type),
          origin: `${origin}:risk${dangling ? ':dangling' : ''}`,
        });
      }
    }
  }
  if (success) state.lastTime = success.time;

  if (travelArrival && success) {
    const detectedTime = success.time + r.int(2 * HOUR, 6 * HOUR);
    if (world.fits(detectedTime)) {
      world.addDetection(r, {
        user: person,
        type: 'unlikelyTravel',
        level: organicLevel(r, risk ?? DEFAULT_RISK),
        signIn: success,
        detectedTime,
        extraInfo: relatedLocationInfo(previousPlace, previousNetwork, previousTime, client.userAgent),
        origin: `${origin}:risk`,
      });
    }
  }
}

/** A sign-in with the everyday mishaps: a mistyped password, the "stay signed in?" interrupt, an MFA prompt. */
export function ordinarySignIn(
  world: World,
  r: Rng,
  person: Person,
  app: AppDef,
  network: Network,
  client: ClientInfo,
  time: Micros,
  correlationId: string,
  origin: string,
): SignInEvent | null {
  const policies = world.tenant.policies;
  const adminPortal = app.key === 'azurePortal';
  const caPolicies = adminPortal ? [{ policy: policies.mfaForAzureManagement, result: 'success' as const }] : [];
  let t = time;
  const roll = r.next();
  if (roll < 0.03) {
    world.addSignIn(r, { user: person, time: t, app, network, client, error: signInErrors.invalidPassword, correlationId, origin });
    t += r.int(10 * SECOND, 90 * SECOND);
  } else if (roll < 0.05 && app.client === 'browser') {
    world.addSignIn(r, { user: person, time: t, app, network, client, error: signInErrors.keepMeSignedIn, policies: caPolicies, correlationId, origin });
    t += r.int(3 * SECOND, 15 * SECOND);
  } else if (roll < 0.066 || (adminPortal && r.chance(0.3))) {
    world.addSignIn(r, { user: person, time: t, app, network, client, error: signInErrors.mfaRequired, policies: caPolicies, correlationId, origin });
    t += r.int(15 * SECOND, 60 * SECOND);
    if (r.chance(0.2)) {
      world.addSignIn(r, { user: person, time: t, app, network, client, error: signInErrors.mfaFailed, policies: caPolicies, correlationId, origin });
      return null;
    }
    return world.addSignIn(r, { user: person, time: t, app, network, client, mfa: 'completed', policies: caPolicies, correlationId, origin });
  }
  const mfa = adminPortal ? 'claim' : r.chance(0.1) ? 'claim' : undefined;
  return world.addSignIn(r, { user: person, time: t, app, network, client, ...(mfa ? { mfa } : {}), policies: caPolicies, correlationId, origin });
}

/** `riskReasons` as Identity Protection lists them in additionalInfo. */
export function riskReasonsFor(type: string): { Key: string; Value: unknown }[] {
  if (type === 'unfamiliarFeatures')
    return [{ Key: 'riskReasons', Value: ['UnfamiliarASN', 'UnfamiliarBrowser', 'UnfamiliarDevice', 'UnfamiliarIP', 'UnfamiliarLocation'] }];
  return [];
}

/** additionalInfo of an unlikelyTravel detection: where the user was before. */
export function relatedLocationInfo(previous: Place, previousNetwork: Network, previousTime: Micros, userAgent: string): { Key: string; Value: unknown }[] {
  return [
    { Key: 'relatedUserAgent', Value: userAgent },
    {
      Key: 'relatedLocation',
      Value: {
        clientIP: previousNetwork.ip,
        latitude: previous.latitude,
        longitude: previous.longitude,
        asn: previousNetwork.asn,
        countryCode: previous.countryOrRegion,
        countryName: previous.countryName,
        state: previous.state,
        city: previous.city,
      },
    },
    { Key: 'lastActivityOfRelatedLocation', Value: new Date(Math.floor(previousTime / 1000)).toISOString() },
  ];
}

/**
 * How the SOC and users settled the organic noise of one person: an admin dismisses all risk, the
 * user changes their password, Microsoft's AI confirms the sign-ins safe, or nothing happens yet.
 */
export function settleNoise(world: World, person: Person, rng: Rng): void {
  const open = world.detectionsOf(person).filter((detection) => detection.riskState === 'atRisk');
  if (open.length === 0) return;
  const r = rng.fork(`settle:${person.index}`);
  const latest = Math.max(...open.map((detection) => detection.detectedTime));
  const outcome = r.weighted<'adminDismiss' | 'passwordChange' | 'aiSafe' | 'open'>([
    ['adminDismiss', 45],
    ['passwordChange', 15],
    ['aiSafe', 20],
    ['open', 20],
  ]);
  if (outcome === 'open') return;
  if (outcome === 'aiSafe') {
    for (const detection of open) {
      if (detection.def.timing !== 'realtime') continue;
      world.settle(detection, 'dismissed', 'aiConfirmedSigninSafe', detection.detectedTime + r.int(MINUTE, 40 * MINUTE));
    }
    return;
  }
  const at = latest + r.int(3 * HOUR, 3 * DAY);
  if (!world.fits(at)) return;
  for (const detection of open) {
    if (detection.detectedTime > at) continue;
    if (outcome === 'adminDismiss') world.settle(detection, 'dismissed', 'adminDismissedAllRiskForUser', at);
    else world.settle(detection, 'remediated', 'userPerformedSecuredPasswordChange', at);
  }
}

export function isOpen(detection: DetectionEvent): boolean {
  return detection.riskState === 'atRisk';
}
