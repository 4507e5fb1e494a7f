/**
 * Daily and weekly rhythm at any scale, computed per person and UTC day without carrying state
 * from one day to the next, so that days can be generated in any order (the simulator writes the
 * newest day first, as the exports list it) and the output stays the same.
 *
 * - A person's *local* day has a context: a working day (in the office or at home, maybe a café,
 *   maybe an evening session through a consumer VPN), a weekend, a day off, a business trip or a
 *   vacation. It is drawn from its own fork of the generator.
 * - Each UTC hour of a person has an intensity per kind of activity: `work` (what people do at their
 *   desk), `background` (token refreshes, which never fully stop), `onprem` (Active Directory
 *   traffic of hybrid users on working days).
 * - A table's share of the requested event volume is spread over person-days in proportion to the
 *   summed intensity of its kind, so the total comes out close to what was asked for.
 */
import { places, type Place, type PlaceKey } from './catalog.ts';
import type { Network } from './network.ts';
import type { Population, SimPerson } from './population.ts';
import type { Rng } from './rng.ts';
import { HOUR, offsetMinutesAt, type Micros, type TimeWindow } from './time.ts';

export interface Trip {
  place: Place;
  /** First and last day, as day indexes since the window's first UTC day. */
  firstDay: number;
  lastDay: number;
  purpose: 'business' | 'vacation';
  hotel: Network;
}

export interface PersonPlan {
  person: SimPerson;
  trips: Trip[];
  /** True for story characters and the pen-test account: their routine raises no organic detections or alerts. */
  quiet: boolean;
}

export type DayKind = 'work' | 'weekend' | 'off' | 'trip' | 'vacation';

export interface DayContext {
  kind: DayKind;
  /** Where the person is (its zone gives local time). */
  place: Place;
  /** Local working hours. */
  start: number;
  end: number;
  inOffice: boolean;
  /** Working from a café or co-working space instead of home. */
  cafe: Network | null;
  evening: boolean;
  /** Consumer VPN exit used in the evening session. */
  vpn: Network | null;
  weekendActive: boolean;
  trip: Trip | null;
  /** First day of a trip away from home. */
  arrival: boolean;
}

export type IntensityKind = 'work' | 'background' | 'onprem';
export const INTENSITY_KINDS: readonly IntensityKind[] = ['work', 'background', 'onprem'];

const TRAVEL_DESTINATIONS: Record<string, readonly PlaceKey[]> = {
  US: ['newYork', 'chicago', 'denver', 'toronto', 'london'],
  GB: ['manchester', 'berlin', 'madrid', 'newYork', 'munich'],
  DE: ['munich', 'london', 'madrid', 'zurich', 'frankfurt'],
  CA: ['newYork', 'chicago', 'seattle', 'london'],
  ES: ['london', 'berlin', 'zurich', 'amsterdam'],
  NL: ['london', 'berlin', 'frankfurt', 'madrid'],
};
const HOTEL_CHAINS = ['Wayfarer Hotels Wi-Fi', 'Harborview Inn Wi-Fi', 'Terminal Airport Wi-Fi'];

const MS_DAY = 86_400_000;

/** The window's first UTC midnight, in ms: the origin of day indexes. */
export function dayZeroMs(window: TimeWindow): number {
  const start = new Date(Math.floor(window.start / 1000));
  return Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
}

/** UTC days the window touches. */
export function dayCount(window: TimeWindow): number {
  return Math.floor((Math.floor(window.end / 1000) - dayZeroMs(window)) / MS_DAY) + 1;
}

export function dayStartMicros(window: TimeWindow, day: number): Micros {
  return (dayZeroMs(window) + day * MS_DAY) * 1000;
}

function weekdayOf(window: TimeWindow, day: number): number {
  return new Date(dayZeroMs(window) + day * MS_DAY).getUTCDay();
}

/** Where hotels are: one network per place and chain, shared by everyone who stays there. */
export class Hotels {
  private readonly byKey = new Map<string, Network>();
  constructor(private readonly population: Population) {}
  get(place: Place, chain: string): Network {
    const key = `${place.key}|${chain}`;
    let network = this.byKey.get(key);
    if (!network) {
      network = this.population.tenant.networks.allocateFlexible('hotel', place, chain);
      this.byKey.set(key, network);
    }
    return network;
  }
}

/** Consumer VPN exits shared by everyone who uses one. */
export function consumerVpnExits(population: Population): Network[] {
  const existing = population.tenant.networks.all().filter((network) => network.kind === 'vpn' && network.isp === 'Nimbus VPN');
  if (existing.length > 0) return existing;
  return (['frankfurt', 'zurich', 'amsterdam', 'london'] as const).map((key) => population.tenant.networks.allocate('vpn', places[key], 'Nimbus VPN'));
}

/** Business trips for travellers, an occasional one for others, vacations now and then. */
export function planTrips(population: Population, window: TimeWindow, hotels: Hotels, rng: Rng): Map<SimPerson, PersonPlan> {
  const plans = new Map<SimPerson, PersonPlan>();
  const days = dayCount(window);
  for (const person of population.people) {
    const r = rng.fork(`trips:${person.index}`);
    const trips: Trip[] = [];
    const destinations = TRAVEL_DESTINATIONS[person.office.countryOrRegion] ?? TRAVEL_DESTINATIONS.US ?? [];
    const perMonth = person.role === 'pentest' ? 0 : person.traveller ? r.float(1, 2.2) : r.chance(0.12) ? 1 : 0;
    const tripCount = Math.min(Math.floor(days / 5), Math.round((perMonth * days) / 30));
    const span = tripCount > 0 ? Math.floor(days / tripCount) : days;
    for (let i = 0; i < tripCount; i++) {
      const firstDay = i * span + r.int(0, Math.max(0, span - 4));
      const place = places[r.pick(destinations)];
      trips.push({ place, firstDay, lastDay: Math.min(days - 1, firstDay + r.int(1, 3)), purpose: 'business', hotel: hotels.get(place, r.pick(HOTEL_CHAINS)) });
    }
    plans.set(person, { person, trips, quiet: person.role === 'pentest' });
  }
  return plans;
}

/** Draws local-day contexts; each (person, local day) has its own fork, so the order of calls never matters. */
export class Contexts {
  private readonly vpn: Network[];
  constructor(
    private readonly population: Population,
    private readonly window: TimeWindow,
    private readonly plans: Map<SimPerson, PersonPlan>,
    private readonly rng: Rng,
  ) {
    this.vpn = consumerVpnExits(population);
  }

  plan(person: SimPerson): PersonPlan {
    const plan = this.plans.get(person);
    if (!plan) throw new Error(`no plan for ${person.userPrincipalName}`);
    return plan;
  }

  /** The context of a person's local day `day` (a day index; -1 and `days` are valid: the window's edges). */
  of(person: SimPerson, day: number): DayContext {
    const plan = this.plan(person);
    const r = this.rng.fork(`ctx:${person.index}:${day}`);
    const h = person.habits;
    // Every draw happens whatever the branch, so one decision never shifts another.
    const weekendActive = r.chance(h.weekendRate);
    const dayOff = r.chance(h.dayOffRate);
    const inOffice = r.chance(h.officeRate);
    const start = r.gaussianClamped(h.startHour, 0.4, 6.5, 11);
    const end = start + r.gaussianClamped(h.dayLength, 0.5, 6, 11);
    const cafeRoll = r.next();
    const evening = r.chance(h.eveningRate);
    const vpnRoll = r.next();
    const cafes = this.population.tenant.publicWifi.get(person.office.key as PlaceKey) ?? [];
    const cafePick = cafes.length > 0 ? r.pick(cafes) : null;
    const vpnPick = r.pick(this.vpn);

    const trip = plan.trips.find((t) => day >= t.firstDay && day <= t.lastDay) ?? null;
    const weekday = weekdayOf(this.window, day);
    const weekend = weekday === 0 || weekday === 6;
    const base: DayContext = {
      kind: 'work',
      place: person.office,
      start,
      end,
      inOffice: false,
      cafe: null,
      evening: false,
      vpn: null,
      weekendActive: false,
      trip,
      arrival: false,
    };
    if (trip) {
      const arrival = day === trip.firstDay;
      if (trip.purpose === 'vacation') return { ...base, kind: 'vacation', place: trip.place, arrival };
      if (weekend) return { ...base, kind: 'weekend', place: trip.place, weekendActive: true, arrival };
      return { ...base, kind: 'trip', place: trip.place, evening, arrival };
    }
    if (weekend) return { ...base, kind: 'weekend', weekendActive, vpn: person.vpnUser && vpnRoll < 0.3 ? vpnPick : null };
    if (dayOff) return { ...base, kind: 'off' };
    const working = inOffice && person.officeNetworks.length > 0;
    return {
      ...base,
      inOffice: working,
      cafe: !working && cafePick && cafeRoll < h.publicWifiRate ? cafePick : null,
      evening,
      vpn: person.vpnUser && evening && vpnRoll < 0.6 ? vpnPick : null,
    };
  }
}

/** How busy a person is at a local hour, 0..1, for each kind of activity. */
export function intensity(kind: IntensityKind, ctx: DayContext, hour: number, hybrid: boolean): number {
  const w = workIntensity(ctx, hour);
  switch (kind) {
    case 'work':
      return w;
    case 'background':
      return 0.7 * w + 0.05;
    case 'onprem':
      if (!hybrid || (ctx.kind !== 'work' && ctx.kind !== 'trip')) return 0;
      return hour >= ctx.start && hour < ctx.end ? 1 : 0;
  }
}

function workIntensity(ctx: DayContext, hour: number): number {
  switch (ctx.kind) {
    case 'work':
    case 'trip':
      if (hour >= ctx.start && hour < ctx.end) return hour >= 12 && hour < 13 ? 0.6 : 1;
      if (ctx.evening && hour >= 19.5 && hour < 22.5) return 0.35;
      if (hour >= ctx.start - 1 && hour < ctx.start) return 0.12;
      return 0;
    case 'weekend':
      return ctx.weekendActive && hour >= 10 && hour < 21 ? 0.3 : 0;
    case 'off':
      return hour >= 10 && hour < 20 ? 0.02 : 0;
    case 'vacation':
      return hour >= 9 && hour < 22 ? 0.1 : 0;
  }
}

/** Which local day and hour a UTC instant falls on in a zone, as day index (from the window's day zero) and fractional hour. */
export function localAt(window: TimeWindow, place: Place, t: Micros): { day: number; hour: number } {
  const localMs = Math.floor(t / 1000) + offsetMinutesAt(place.zone, t) * 60_000;
  const rel = localMs - dayZeroMs(window);
  const day = Math.floor(rel / MS_DAY);
  return { day, hour: (rel - day * MS_DAY) / 3_600_000 };
}

/** A person's 24 hourly intensities of one UTC day for every kind, and the contexts they came from. */
export interface PersonDay {
  hourly: Record<IntensityKind, Float64Array>;
  totals: Record<IntensityKind, number>;
  /** The context of each UTC hour. */
  contextOfHour: DayContext[];
}

/** Computes a person's UTC day; `cache` holds contexts by local day for reuse across hours. */
export function personDay(contexts: Contexts, window: TimeWindow, person: SimPerson, day: number): PersonDay {
  const hourly = { work: new Float64Array(24), background: new Float64Array(24), onprem: new Float64Array(24) };
  const totals = { work: 0, background: 0, onprem: 0 };
  const contextOfHour: DayContext[] = [];
  const cache = new Map<number, DayContext>();
  const dayStart = dayStartMicros(window, day);
  for (let h = 0; h < 24; h++) {
    const t = dayStart + h * HOUR + HOUR / 2;
    const home = localAt(window, person.office, t);
    let ctx = cache.get(home.day);
    if (!ctx) {
      ctx = contexts.of(person, home.day);
      cache.set(home.day, ctx);
    }
    const local = ctx.place === person.office ? home : localAt(window, ctx.place, t);
    contextOfHour.push(ctx);
    for (const kind of INTENSITY_KINDS) {
      const value = intensity(kind, ctx, local.hour, person.hybrid) * person.activity;
      hourly[kind][h] = value;
      totals[kind] += value;
    }
  }
  return { hourly, totals, contextOfHour };
}

/** Rounds x up or down at random, keeping the expectation. */
export function stochasticRound(rng: Rng, x: number): number {
  const floor = Math.floor(x);
  return floor + (rng.next() < x - floor ? 1 : 0);
}

/** Samples an hour (0..23) in proportion to the weights; -1 when they are all zero. */
export function sampleHour(rng: Rng, weights: Float64Array, total: number): number {
  if (total <= 0) return -1;
  let roll = rng.next() * total;
  for (let h = 0; h < 24; h++) {
    roll -= weights[h] as number;
    if (roll < 0) return h;
  }
  for (let h = 23; h >= 0; h--) if ((weights[h] as number) > 0) return h;
  return -1;
}
