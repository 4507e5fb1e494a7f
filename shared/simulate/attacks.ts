/**
 * The attack stories planted in the large simulation, and the background that is not an attack
 * but looks like one (a pen test, a false positive, renamed accounts). Each story is built up front
 * from its own fork of the generator: its records are bucketed by UTC day and merged into the
 * day-by-day stream, and its ground truth names every record id, the alerts, and how they should
 * be grouped into incidents.
 *
 *  1. leakedCredentials    leaked credentials, a risky sign-in from a new country and ISP, mailbox
 *                          searches and a mass download of archives;
 *  2. passwordSpray        one source tries many accounts, one succeeds;
 *  3. federationChange     a risky admin sign-in, then the domain is switched to an attacker's
 *                          federation server;
 *  4. onPremHybrid         Defender for Identity sees brute force, pass-the-hash and DCSync by an
 *                          on-prem account (SID and DOMAIN\sam) that belongs to a hybrid cloud user;
 *  5. confirmedCompromised an administrator confirms a user compromised in Identity Protection;
 *  6. noisyBenign          a frequent traveller with many low alerts, all benign.
 */
import { alertUser, makeAlert, type AlertRecord, type AlertSpec } from './alerts.ts';
import { atLocal, relatedLocationInfo } from './behaviour.ts';
import { apps, browserProfiles, distanceKm, places, signInErrors, type AppDef, type BrowserKey, type Place, type RiskLevel } from './catalog.ts';
import type {
  AccountRef,
  CloudAppEvent,
  DirectoryAuditEvent,
  LogonEvent,
  MailboxEvent,
  MdiDirectoryEvent,
  QueryEvent,
  SimDetection,
  SimSignIn,
} from './events.ts';
import { CLOUD_APPS } from './events.ts';
import type { Network } from './network.ts';
import { AD_NETBIOS, identityAt, siteDc, type Host, type Population, type SimPerson } from './population.ts';
import { dayStartMicros, type Hotels, type PersonPlan, type Trip } from './rhythm.ts';
import type { Rng } from './rng.ts';
import {
  accountOf,
  auditId,
  cloudReportId,
  documentUrl,
  emptyDay,
  mailboxEvent,
  makeDetection,
  makeSignIn,
  mdiReportId,
  settleDetection,
  UNFAMILIAR_REASONS,
  type DayEvents,
  type SimCore,
} from './routine.ts';
import { DAY, HOUR, MINUTE, SECOND, type Micros } from './time.ts';
import { deviceClient, foreignClient, type ClientInfo } from './world.ts';

export type ScenarioKey = 'leakedCredentials' | 'passwordSpray' | 'federationChange' | 'onPremHybrid' | 'confirmedCompromised' | 'noisyBenign';

/** The logical tables records live in (the ground truth names them). */
export type TableKey =
  | 'signIns'
  | 'nonInteractiveSignIns'
  | 'workloadSignIns'
  | 'riskDetections'
  | 'riskyUsers'
  | 'directoryAudits'
  | 'alerts'
  | 'incidents'
  | 'identityLogonEvents'
  | 'identityQueryEvents'
  | 'identityDirectoryEvents'
  | 'cloudAppEvents'
  | 'unifiedAuditLog';

export interface RecordRef {
  table: TableKey;
  id: string;
  /** What the record is in the story (`bridge`, `leak`, `download`…). */
  role?: string;
  /** The file it was written to (filled in while writing). */
  file?: string;
}

export interface ExpectedIncident {
  name: string;
  /** Alerts that belong together. */
  alertIds: string[];
  /** Alerts and risk detections that belong together: the grouping to check. */
  recordIds: string[];
  /** Activities that explain the incident (what a correlation rule should point at). */
  evidenceIds: string[];
}

export interface UserRef {
  userId: string;
  userPrincipalName: string;
  displayName: string;
  sid: string | null;
  samAccount: string | null;
}

export interface StoryTruth {
  scenario: ScenarioKey;
  title: string;
  description: string;
  verdict: 'compromised' | 'benign';
  user: UserRef;
  relatedUsers: UserRef[];
  attackerIps: string[];
  records: RecordRef[];
  expectedIncidents: ExpectedIncident[];
  /** The risky-user row the story leaves (null: the user has no Identity Protection risk). */
  expectedRiskyUser: { riskLevel: RiskLevel; riskState: string; riskDetail: string } | null;
  /** How an investigation tool should rank the user. */
  expectation: string;
  start: Micros;
  end: Micros;
}

export interface BackgroundTruth {
  kind: 'penTest' | 'falsePositive' | 'rename';
  description: string;
  user: UserRef;
  records: RecordRef[];
  expectedIncidents: ExpectedIncident[];
}

export interface Planted {
  byDay: Map<number, DayEvents>;
  stories: StoryTruth[];
  background: BackgroundTruth[];
  /** Every story and background character (their routine raises no organic noise). */
  characters: Set<SimPerson>;
}

export function userRef(person: SimPerson): UserRef {
  return {
    userId: person.objectId,
    userPrincipalName: person.userPrincipalName,
    displayName: person.displayName,
    sid: person.sid || null,
    samAccount: person.hybrid ? `${AD_NETBIOS}\\${person.samAccountName}` : null,
  };
}

/** Collects one story's records into the day buckets and its ground truth. */
class Recorder {
  readonly records: RecordRef[] = [];
  readonly alerts: AlertRecord[] = [];
  readonly detections: SimDetection[] = [];
  readonly ips = new Set<string>();
  private readonly times: Micros[] = [];

  constructor(
    private readonly core: SimCore,
    private readonly byDay: Map<number, DayEvents>,
  ) {}

  private bucket(time: Micros): DayEvents {
    const day = Math.floor((time - dayStartMicros(this.core.window, 0)) / DAY);
    let events = this.byDay.get(day);
    if (!events) {
      events = emptyDay();
      this.byDay.set(day, events);
    }
    return events;
  }

  private note(table: TableKey, id: string, time: Micros, role?: string): void {
    if (time < this.core.window.start || time > this.core.window.end)
      throw new RangeError(`planted ${table} record at ${new Date(time / 1000).toISOString()} is outside the window`);
    this.records.push(role ? { table, id, role } : { table, id });
    this.times.push(time);
  }

  signIn(event: SimSignIn, role?: string): SimSignIn {
    (event.isInteractive ? this.bucket(event.time).signIns : this.bucket(event.time).nonInteractive).push(event);
    this.note(event.isInteractive ? 'signIns' : 'nonInteractiveSignIns', event.id, event.time, role);
    if (event.network.kind !== 'office' && event.network.kind !== 'home' && event.network.kind !== 'mobile' && event.network.kind !== 'hotel')
      this.ips.add(event.network.ip);
    return event;
  }

  detection(event: SimDetection, role?: string): SimDetection {
    this.bucket(event.activityTime).detections.push(event);
    this.detections.push(event);
    this.note('riskDetections', event.id, event.activityTime, role);
    return event;
  }

  alert(alert: AlertRecord, role?: string): AlertRecord {
    this.bucket(alert.created).alerts.push(alert);
    this.alerts.push(alert);
    this.note('alerts', alert.id, alert.created, role);
    return alert;
  }

  mailbox(event: MailboxEvent, role?: string): void {
    this.bucket(event.time).mailbox.push(event);
    this.note('unifiedAuditLog', event.id, event.time, role);
  }

  cloudApp(event: CloudAppEvent, role?: string): void {
    this.bucket(event.time).cloudApp.push(event);
    this.note('cloudAppEvents', event.id, event.time, role);
  }

  logon(event: LogonEvent, role?: string): void {
    this.bucket(event.time).logons.push(event);
    this.note('identityLogonEvents', event.id, event.time, role);
  }

  query(event: QueryEvent, role?: string): void {
    this.bucket(event.time).queries.push(event);
    this.note('identityQueryEvents', event.id, event.time, role);
  }

  mdiDirectory(event: MdiDirectoryEvent, role?: string): void {
    this.bucket(event.time).mdiDirectory.push(event);
    this.note('identityDirectoryEvents', event.id, event.time, role);
  }

  audit(event: DirectoryAuditEvent, role?: string): void {
    this.bucket(event.time).audits.push(event);
    this.note('directoryAudits', event.id, event.time, role);
  }

  /** The incident grouping of alerts (and their detections); evidence are activity records. */
  incident(name: string, alerts: AlertRecord[], detections: SimDetection[], evidence: string[]): ExpectedIncident {
    const alertIds = alerts.map((alert) => alert.id);
    return { name, alertIds, recordIds: [...alertIds, ...detections.map((d) => d.id)], evidenceIds: evidence };
  }

  span(): { start: Micros; end: Micros } {
    return { start: Math.min(...this.times), end: Math.max(...this.times) };
  }

  idsOf(table: TableKey, role?: string): string[] {
    return this.records.filter((record) => record.table === table && (role === undefined || record.role === role)).map((record) => record.id);
  }
}

interface Cast {
  leaked: SimPerson;
  sprayVictim: SimPerson;
  sprayTargets: SimPerson[];
  federationAdmin: SimPerson;
  onPrem: SimPerson;
  confirmed: SimPerson;
  noisy: SimPerson;
  falsePositive: SimPerson;
  pentest: SimPerson;
}

function castStories(population: Population, rng: Rng): Cast {
  const r = rng.fork('cast');
  const taken = new Set<SimPerson>();
  const eligible = () => population.people.filter((p) => p.role !== 'pentest' && !p.rename && !taken.has(p));
  const take = (preferred: (p: SimPerson) => boolean, fallback: (p: SimPerson) => boolean = () => true): SimPerson => {
    const pool = eligible().filter(preferred);
    const chosen = r.pick(pool.length > 0 ? pool : eligible().filter(fallback).length > 0 ? eligible().filter(fallback) : eligible());
    taken.add(chosen);
    return chosen;
  };
  const pentest = population.people.find((p) => p.role === 'pentest') as SimPerson;
  const federationAdmin = take(
    (p) => p.role === 'admin' && p.directoryRoles.includes('Global Administrator'),
    (p) => p.department === 'IT',
  );
  const leaked = take((p) => p.department === 'Finance' && p.role === 'user' && !p.vpnUser && !p.traveller);
  const onPrem = take(
    (p) => p.hybrid && p.role === 'user' && p.department !== 'IT' && !p.vpnUser,
    (p) => p.hybrid,
  );
  const confirmed = take((p) => p.role === 'user' && !p.vpnUser && !p.traveller);
  const noisy = take(
    (p) => p.riskPolicyPilot && p.traveller && p.role === 'user',
    (p) => p.role === 'user',
  );
  const sprayVictim = take((p) => p.role === 'user' && !p.riskPolicyPilot && !p.vpnUser);
  const falsePositive = take(
    (p) => p.hybrid && p.role === 'user',
    (p) => p.hybrid,
  );
  const others = eligible();
  const sprayTargets = r.sample(others, Math.min(24, others.length));
  sprayTargets.splice(r.int(2, sprayTargets.length), 0, sprayVictim);
  return { leaked, sprayVictim, sprayTargets, federationAdmin, onPrem, confirmed, noisy, falsePositive, pentest };
}

/** additionalInfo of an unlikelyTravel detection: where the user was before (their home network). */
function relatedLocationInfoOf(previous: Network, previousTime: Micros, browserKey: BrowserKey) {
  return relatedLocationInfo(previous.place, previous, previousTime, browserProfiles[browserKey].userAgent);
}

const ARCHIVE_NAMES = [
  'Finance-archive-{y}-Q{q}.zip',
  'Payroll_export_{n}.7z',
  'Contracts_{y}.zip',
  'Vendor_bank_details_{n}.zip',
  'Board_minutes_{y}.7z',
  'Tax_filings_{y}.zip',
  'Backup_{dept}_{n}.7z',
];
const ATTACKER_SEARCHES = ['password', 'wire transfer', 'invoice', 'bank details', 'payroll', 'vpn', 'gift card', 'W-2', 'urgent payment', 'credentials'];

export interface PlantContext {
  core: SimCore;
  plans: Map<SimPerson, PersonPlan>;
  hotels: Hotels;
  rng: Rng;
}

/** Plans every story and the background; adjusts the characters' plans before the routine runs. */
export function plantStories(ctx: PlantContext): Planted {
  const { core, plans } = ctx;
  const { population, window, days } = core;
  const byDay = new Map<number, DayEvents>();
  const cast = castStories(population, ctx.rng);
  const characters = new Set<SimPerson>([
    cast.leaked,
    cast.sprayVictim,
    cast.federationAdmin,
    cast.onPrem,
    cast.confirmed,
    cast.noisy,
    cast.falsePositive,
    cast.pentest,
  ]);
  for (const person of characters) {
    const plan = plans.get(person);
    if (plan) plan.quiet = true;
  }
  // The victims of stories 1, 3 and 5 are not in the risk-policy pilot: their risky sign-ins are not self-remediated.
  for (const person of [cast.leaked, cast.federationAdmin, cast.confirmed, cast.sprayVictim]) person.riskPolicyPilot = false;
  // The on-prem story's account: Defender for Identity does not resolve its cloud identity on its own.
  cast.onPrem.mdiShowsUpn = false;
  cast.onPrem.mdiShowsObjectId = false;
  if (!cast.federationAdmin.directoryRoles.includes('Global Administrator')) {
    cast.federationAdmin.role = 'admin';
    cast.federationAdmin.directoryRoles = ['Global Administrator'];
  }

  const at = (frac: number) => Math.max(0, Math.min(days - 1, Math.round(frac * (days - 1))));
  const clamp = (t: Micros) => Math.min(window.end - HOUR, Math.max(window.start + MINUTE, t));
  const utc = (day: number, hour: number, r: Rng) => clamp(dayStartMicros(window, day) + Math.round(hour * HOUR) + r.int(0, SECOND - 1));
  const local = (place: Place, day: number, hour: number, r: Rng) => clamp(atLocal(window, place, day, hour) + r.int(0, SECOND - 1));
  const alertOf = (r: Rng, spec: AlertSpec) => makeAlert(r, spec, window.end);

  const stories: StoryTruth[] = [];
  const background: BackgroundTruth[] = [];
  const finish = (rec: Recorder, fields: Omit<StoryTruth, 'records' | 'attackerIps' | 'start' | 'end'>): StoryTruth => ({
    ...fields,
    attackerIps: [...rec.ips],
    records: rec.records,
    ...rec.span(),
  });

  // -------------------------------------------------------------------------------------------
  // (1) Leaked credentials → risky sign-in from a new country and ISP → mailbox searches and a mass download.
  {
    const r = ctx.rng.fork('story:leakedCredentials');
    const origin = 'story:leakedCredentials';
    const rec = new Recorder(core, byDay);
    const victim = cast.leaked;
    const attackDay = Math.max(0, days - 3);
    const leakDay = Math.max(0, attackDay - 3);
    const leakTime = utc(leakDay, r.float(3, 10), r);
    const leak = rec.detection(
      makeDetection(
        r,
        { user: victim, type: 'leakedCredentials', level: 'high', activityTime: leakTime, detectedTime: leakTime + r.int(10 * MINUTE, 2 * HOUR), origin },
        window,
      ),
      'leak',
    );
    const leakAlert = rec.alert(
      alertOf(r, {
        key: 'idpLeaked',
        users: [alertUser(victim, { showSid: false })],
        firstActivity: leakTime,
        created: leak.detectedTime + r.int(MINUTE, 10 * MINUTE),
        severity: 'high',
        providerAlertId: leak.id,
        incidentKey: 'story:leakedCredentials',
        origin,
      }),
      'leak',
    );

    const attacker = population.tenant.networks.allocateFlexible('hosting', places.bucharest, 'Carpathia Hosting');
    const browser = foreignClient('linuxChrome');
    // In short windows the attack may fall on the day of the leak: it always comes after the leak is known.
    const t0 = clamp(Math.max(utc(attackDay, r.float(1, 3), r), leak.detectedTime + r.int(HOUR, 3 * HOUR)));
    const first = rec.signIn(
      makeSignIn(r, { user: victim, time: t0, app: apps.officeShell, network: attacker, client: browser, interactive: true, origin }),
      'riskySignIn',
    );
    const unfamiliar = rec.detection(
      makeDetection(r, { user: victim, type: 'unfamiliarFeatures', level: 'high', signIn: first, extraInfo: UNFAMILIAR_REASONS, origin }, window),
      'riskySignIn',
    );
    const previous = victim.homeNetwork;
    const travel = rec.detection(
      makeDetection(
        r,
        {
          user: victim,
          type: 'unlikelyTravel',
          level: 'high',
          signIn: first,
          detectedTime: t0 + r.int(2 * HOUR, 5 * HOUR),
          extraInfo: relatedLocationInfoOf(previous, t0 - r.int(6 * HOUR, 14 * HOUR), victim.computer.browserKey),
          origin,
        },
        window,
      ),
      'riskySignIn',
    );
    const riskyAlert = rec.alert(
      alertOf(r, {
        key: 'idpUnfamiliar',
        users: [alertUser(victim, { showSid: false })],
        firstActivity: t0,
        created: unfamiliar.detectedTime + r.int(SECOND, 3 * MINUTE),
        severity: 'high',
        ips: [{ ip: attacker.ip, country: 'RO' }],
        providerAlertId: unfamiliar.id,
        incidentKey: 'story:leakedCredentials',
        origin,
      }),
      'riskySignIn',
    );
    const mail = rec.signIn(
      makeSignIn(r, {
        user: victim,
        time: t0 + r.int(40 * SECOND, 90 * SECOND),
        app: apps.exchangeOnline,
        network: attacker,
        client: browser,
        interactive: true,
        origin,
      }),
      'signIn',
    );
    // Token refreshes from the attacker's session.
    let t = mail.time;
    const session = r.guid();
    for (let i = 0, n = r.int(8, 14); i < n; i++) {
      t += r.int(4 * MINUTE, 12 * MINUTE);
      rec.signIn(
        makeSignIn(r, {
          user: victim,
          time: clamp(t),
          app: r.pick<AppDef>([apps.exchangeOnline, apps.sharePointOnline, apps.officeShell]),
          network: attacker,
          client: browser,
          interactive: false,
          mfa: 'claim',
          correlationId: mail.correlationId,
          sessionId: session,
          origin,
        }),
        'tokenRefresh',
      );
    }
    // Mailbox searches, then the mail they found.
    t = mail.time + r.int(2 * MINUTE, 5 * MINUTE);
    for (let i = 0, n = r.int(6, 10); i < n; i++) {
      t += r.int(40 * SECOND, 3 * MINUTE);
      rec.mailbox(
        mailboxEvent(core, r, victim, clamp(t), attacker, 'computer', origin, {
          operation: 'SearchQueryInitiatedExchange',
          details: { QueryText: ATTACKER_SEARCHES[i % ATTACKER_SEARCHES.length], QuerySource: 'Owa', ScenarioName: 'Mail' },
          clientInfo: 'Client=OWA;Action=ViaProxy',
        }),
        'mailboxSearch',
      );
      rec.mailbox(
        mailboxEvent(core, r, victim, clamp(t + r.int(5 * SECOND, 30 * SECOND)), attacker, 'computer', origin, {
          operation: 'MailItemsAccessed',
          clientInfo: 'Client=OWA;Action=ViaProxy',
        }),
        'mailboxRead',
      );
    }
    // The mass download of archives from the finance site and OneDrive.
    t += r.int(5 * MINUTE, 15 * MINUTE);
    const downloadsStart = t;
    const years = [2023, 2024, 2025];
    for (let i = 0, n = r.int(40, 70); i < n; i++) {
      t += r.int(5 * SECOND, 40 * SECOND);
      const name = r
        .pick(ARCHIVE_NAMES)
        .replace('{y}', String(r.pick(years)))
        .replace('{q}', String(r.int(1, 4)))
        .replace('{n}', String(r.int(1, 40)).padStart(2, '0'))
        .replace('{dept}', victim.site);
      const app = r.chance(0.75) ? CLOUD_APPS.sharePoint : CLOUD_APPS.oneDrive;
      const auditRecordId = r.guid();
      rec.cloudApp(
        {
          kind: 'cloudApp',
          id: cloudReportId(core, app, auditRecordId),
          auditId: auditRecordId,
          time: clamp(t),
          person: victim,
          app,
          action: 'FileDownloaded',
          activityType: 'Download',
          objectName: name,
          objectUrl: documentUrl(population, victim, app, name),
          network: attacker,
          client: browser,
          deviceType: 'Desktop',
          uncommon: ['ISP', 'CountryCode', 'IPAddress', 'UserAgent'],
          origin,
        },
        'massDownload',
      );
    }
    const downloadAlert = rec.alert(
      alertOf(r, {
        key: 'mdcaMassDownload',
        users: [alertUser(victim, { showSid: false })],
        firstActivity: downloadsStart,
        lastActivity: clamp(t),
        severity: 'medium',
        ips: [{ ip: attacker.ip, country: 'RO' }],
        incidentKey: 'story:leakedCredentials',
        origin,
      }),
      'massDownload',
    );
    stories.push(
      finish(rec, {
        scenario: 'leakedCredentials',
        title: 'Leaked credentials, then mailbox searches and a mass download',
        description: `${victim.displayName}'s password appears in a leak; ${attackDay - leakDay} days later someone signs in from a hosting provider in Romania (a new country and ISP for them), searches the mailbox for payment and password mail and downloads dozens of archives from SharePoint and OneDrive.`,
        verdict: 'compromised',
        user: userRef(victim),
        relatedUsers: [],
        expectedIncidents: [
          rec.incident(
            'Leaked credentials followed by collection and exfiltration',
            [leakAlert, riskyAlert, downloadAlert],
            [leak, unfamiliar, travel],
            [...rec.idsOf('unifiedAuditLog', 'mailboxSearch'), ...rec.idsOf('cloudAppEvents', 'massDownload')],
          ),
        ],
        expectedRiskyUser: { riskLevel: 'high', riskState: 'atRisk', riskDetail: 'none' },
        expectation:
          'top of the investigation-priority ranking; the correlated detections "risky sign-in followed by Exchange searches" and "… followed by a mass download of archives" fire',
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // (2) Password spray with one success.
  {
    const r = ctx.rng.fork('story:passwordSpray');
    const origin = 'story:passwordSpray';
    const rec = new Recorder(core, byDay);
    const victim = cast.sprayVictim;
    const net = population.tenant.networks.allocateFlexible('hosting', places.saoPaulo, 'Pampa Cloud Hosting');
    const tool = foreignClient('pythonRequests');
    const sprayDay = at(0.3);
    let t = utc(sprayDay, r.float(2, 5), r);
    let success: SimSignIn | null = null;
    const lockedOut = cast.sprayTargets.find((p) => p !== victim) ?? null;
    for (let round = 0; round < 2; round++) {
      for (const target of cast.sprayTargets) {
        if (target === victim && round > 0) continue;
        const hit = target === victim;
        const error = hit ? undefined : round === 1 && target === lockedOut ? signInErrors.accountLocked : signInErrors.invalidPassword;
        const event = rec.signIn(
          makeSignIn(r, {
            user: identityAt(target, t),
            time: t,
            app: apps.aadPowerShell,
            network: net,
            client: tool,
            interactive: true,
            ...(error ? { error } : {}),
            origin,
          }),
          hit ? 'spraySuccess' : 'sprayAttempt',
        );
        if (hit) success = event;
        t += r.int(20 * SECOND, 75 * SECOND);
      }
    }
    if (!success) throw new Error('the spray victim was not among the targets');
    const spray = rec.detection(
      makeDetection(
        r,
        { user: victim, type: 'passwordSpray', level: 'high', signIn: success, detectedTime: success.time + r.int(3 * HOUR, 8 * HOUR), origin },
        window,
      ),
      'spraySuccess',
    );
    const sprayAlert = rec.alert(
      alertOf(r, {
        key: 'idpSpray',
        users: [alertUser(victim, { showSid: false })],
        firstActivity: success.time,
        created: spray.detectedTime + r.int(MINUTE, 10 * MINUTE),
        severity: 'high',
        ips: [{ ip: net.ip, country: 'BR' }],
        providerAlertId: spray.id,
        incidentKey: 'story:passwordSpray',
        origin,
      }),
      'spraySuccess',
    );
    const browser = foreignClient('windowsFirefox');
    const look = rec.signIn(
      makeSignIn(r, {
        user: victim,
        time: success.time + r.int(8 * MINUTE, 20 * MINUTE),
        app: apps.exchangeOnline,
        network: net,
        client: browser,
        interactive: true,
        origin,
      }),
      'attackerSignIn',
    );
    const unfamiliar = rec.detection(
      makeDetection(r, { user: victim, type: 'unfamiliarFeatures', level: 'medium', signIn: look, extraInfo: UNFAMILIAR_REASONS, origin }, window),
      'attackerSignIn',
    );
    const unfamiliarAlert = rec.alert(
      alertOf(r, {
        key: 'idpUnfamiliar',
        users: [alertUser(victim, { showSid: false })],
        firstActivity: look.time,
        created: unfamiliar.detectedTime + r.int(SECOND, 3 * MINUTE),
        severity: 'medium',
        ips: [{ ip: net.ip, country: 'BR' }],
        providerAlertId: unfamiliar.id,
        incidentKey: 'story:passwordSpray',
        origin,
      }),
      'attackerSignIn',
    );
    let m = look.time;
    for (let i = 0, n = r.int(4, 8); i < n; i++) {
      m += r.int(MINUTE, 4 * MINUTE);
      rec.mailbox(
        mailboxEvent(core, r, victim, clamp(m), net, 'computer', origin, { operation: 'MailItemsAccessed', clientInfo: 'Client=OWA;Action=ViaProxy' }),
        'mailboxRead',
      );
    }
    stories.push(
      finish(rec, {
        scenario: 'passwordSpray',
        title: 'Password spray with one success',
        description: `One address in Brazil tries a password against ${cast.sprayTargets.length} accounts within the hour (one gets locked out); it works for ${victim.displayName}, whose mailbox is then read from the same address.`,
        verdict: 'compromised',
        user: userRef(victim),
        relatedUsers: cast.sprayTargets.filter((p) => p !== victim).map(userRef),
        expectedIncidents: [
          rec.incident(
            'Password spray followed by mailbox access',
            [sprayAlert, unfamiliarAlert],
            [spray, unfamiliar],
            rec.idsOf('signIns', 'sprayAttempt').slice(0, 5),
          ),
        ],
        expectedRiskyUser: { riskLevel: 'high', riskState: 'atRisk', riskDetail: 'none' },
        expectation: 'high in the ranking; the other targets, who only saw failed attempts, do not rank high',
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // (3) A risky admin sign-in followed by a domain federation change.
  {
    const r = ctx.rng.fork('story:federationChange');
    const origin = 'story:federationChange';
    const rec = new Recorder(core, byDay);
    const admin = cast.federationAdmin;
    const tor = population.tenant.networks.allocateFlexible('anonymizer', places.amsterdam, 'Tor exit relay');
    const browser = foreignClient('windowsFirefox');
    const day = at(0.45);
    const t0 = utc(day, r.float(20, 22.5), r);
    const policy = [{ policy: population.tenant.policies.mfaForAzureManagement, result: 'success' as const }];
    // The admin approved an MFA prompt they did not start (MFA fatigue).
    rec.signIn(
      makeSignIn(r, {
        user: admin,
        time: t0,
        app: apps.azurePortal,
        network: tor,
        client: browser,
        interactive: true,
        error: signInErrors.mfaRequired,
        policies: policy,
        origin,
      }),
      'mfaPrompt',
    );
    const portal = rec.signIn(
      makeSignIn(r, {
        user: admin,
        time: t0 + r.int(40 * SECOND, 3 * MINUTE),
        app: apps.azurePortal,
        network: tor,
        client: browser,
        interactive: true,
        mfa: 'completed',
        policies: policy,
        origin,
      }),
      'riskySignIn',
    );
    const anonymous = rec.detection(
      makeDetection(r, { user: admin, type: 'anonymizedIPAddress', level: 'medium', signIn: portal, origin }, window),
      'riskySignIn',
    );
    const unfamiliar = rec.detection(
      makeDetection(r, { user: admin, type: 'unfamiliarFeatures', level: 'high', signIn: portal, extraInfo: UNFAMILIAR_REASONS, origin }, window),
      'riskySignIn',
    );
    const ips = [{ ip: tor.ip, country: 'NL' }];
    const anonymousAlert = rec.alert(
      alertOf(r, {
        key: 'idpAnonymous',
        users: [alertUser(admin, { showSid: false })],
        firstActivity: portal.time,
        created: anonymous.detectedTime + r.int(SECOND, 3 * MINUTE),
        severity: 'medium',
        ips,
        providerAlertId: anonymous.id,
        incidentKey: 'story:federationChange',
        origin,
      }),
      'riskySignIn',
    );
    const unfamiliarAlert = rec.alert(
      alertOf(r, {
        key: 'idpUnfamiliar',
        users: [alertUser(admin, { showSid: false })],
        firstActivity: portal.time,
        created: unfamiliar.detectedTime + r.int(SECOND, 3 * MINUTE),
        severity: 'high',
        ips,
        providerAlertId: unfamiliar.id,
        incidentKey: 'story:federationChange',
        origin,
      }),
      'riskySignIn',
    );
    const shell = rec.signIn(
      makeSignIn(r, {
        user: admin,
        time: portal.time + r.int(4 * MINUTE, 9 * MINUTE),
        app: apps.aadPowerShell,
        network: tor,
        client: browser,
        interactive: true,
        mfa: 'claim',
        origin,
      }),
      'signIn',
    );
    const domain = population.tenant.domain;
    const sts = 'sts.nwt-login.example';
    const auditAt = shell.time + r.int(6 * MINUTE, 20 * MINUTE);
    const correlation = r.guid();
    const domainTarget = { id: null, displayName: domain, type: 'Other', userPrincipalName: null };
    const agent = [{ key: 'User-Agent', value: browser.userAgent }];
    const setAuth: DirectoryAuditEvent = {
      kind: 'directoryAudit',
      id: auditId(r, correlation),
      time: auditAt,
      category: 'DirectoryManagement',
      correlationId: correlation,
      result: 'success',
      resultReason: '',
      activity: 'Set domain authentication',
      service: 'Core Directory',
      operationType: 'Update',
      initiatedBy: { user: admin, ipAddress: tor.ip },
      targets: [
        {
          ...domainTarget,
          modifiedProperties: [
            { displayName: 'LiveType', oldValue: '"Managed"', newValue: '"Federated"' },
            { displayName: 'Included Updated Properties', oldValue: null, newValue: '"LiveType"' },
          ],
        },
      ],
      additionalDetails: agent,
      origin,
    };
    rec.audit(setAuth, 'federationChange');
    const cert = `MIIC${r.hex(60).toUpperCase()}`;
    const setFederation: DirectoryAuditEvent = {
      ...setAuth,
      id: auditId(r, correlation),
      time: auditAt + r.int(20 * SECOND, 2 * MINUTE),
      activity: 'Set federation settings on domain',
      targets: [
        {
          ...domainTarget,
          modifiedProperties: [
            { displayName: 'IssuerUri', oldValue: null, newValue: `"http://${sts}/adfs/services/trust"` },
            { displayName: 'PassiveLogOnUri', oldValue: null, newValue: `"https://${sts}/adfs/ls/"` },
            { displayName: 'ActiveLogOnUri', oldValue: null, newValue: `"https://${sts}/adfs/services/trust/2005/usernamemixed"` },
            { displayName: 'SigningCertificate', oldValue: null, newValue: `"${cert}"` },
            { displayName: 'PreferredAuthenticationProtocol', oldValue: null, newValue: '"WsFed"' },
          ],
        },
      ],
    };
    rec.audit(setFederation, 'federationChange');
    stories.push(
      finish(rec, {
        scenario: 'federationChange',
        title: 'Risky admin sign-in, then a domain federation change',
        description: `Someone signs in as ${admin.displayName} (${admin.directoryRoles.join(', ')}) through a Tor exit, gets an MFA prompt approved, and minutes later switches ${domain} to federated authentication with an unknown token issuer (${sts}): a backdoor for signing in as anyone.`,
        verdict: 'compromised',
        user: userRef(admin),
        relatedUsers: [],
        expectedIncidents: [
          rec.incident(
            'Risky sign-in followed by a federation change',
            [anonymousAlert, unfamiliarAlert],
            [anonymous, unfamiliar],
            rec.idsOf('directoryAudits', 'federationChange'),
          ),
        ],
        expectedRiskyUser: { riskLevel: 'high', riskState: 'atRisk', riskDetail: 'none' },
        expectation:
          'top of the ranking; the correlated detection "risky sign-in followed by a domain federation or trust change" fires and names both directory audits',
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // (4) Defender for Identity: brute force, pass-the-hash and DCSync by a hybrid user's on-prem account.
  {
    const r = ctx.rng.fork('story:onPremHybrid');
    const origin = 'story:onPremHybrid';
    const rec = new Recorder(core, byDay);
    const victim = cast.onPrem;
    const dc = siteDc(population, victim);
    const subnet = victim.workstation.ip.split('.')[1] ?? '10';
    const hostName = `DESKTOP-${r.hex(7).toUpperCase()}`;
    const attackerHost: Host = {
      name: hostName,
      fqdn: `${hostName.toLowerCase()}.${population.ad.dnsDomain}`,
      ip: `10.${subnet}.200.${r.int(10, 250)}`,
      os: 'Windows 10',
    };
    const day = at(0.62);
    const onPremAccount: AccountRef = {
      name: victim.samAccountName,
      domain: population.ad.dnsDomain,
      upn: '',
      sid: victim.sid,
      objectId: '',
      displayName: victim.displayName,
    };
    const logon = (
      time: Micros,
      success: boolean,
      logonType: string,
      protocol: string,
      target: Host | null,
      device: Host,
      account: AccountRef,
    ): LogonEvent => ({
      kind: 'logon',
      id: mdiReportId(core, r, time),
      time,
      account,
      success,
      failureReason: success ? '' : 'WrongPassword',
      logonType,
      protocol,
      device,
      destination: dc,
      destinationPort: protocol === 'Kerberos' ? 88 : 445,
      port: r.int(49152, 65535),
      targetDevice: target,
      origin,
    });
    // The bridge: the user's own morning logon, where the sensor resolved the UPN next to the SID.
    const morning = local(victim.office, day, victim.habits.startHour, r);
    rec.logon(
      logon(morning, true, 'Interactive', 'Kerberos', null, victim.workstation, accountOf(core, victim, morning, { upn: true, objectId: false })),
      'bridge',
    );
    // Brute force from an unknown machine, late in the evening.
    let t = local(victim.office, day, r.float(20, 22), r);
    const bruteStart = t;
    for (let i = 0, n = r.int(25, 45); i < n; i++) {
      t += r.int(2 * SECOND, 8 * SECOND);
      rec.logon(logon(t, false, 'Credentials validation', 'Ntlm', null, attackerHost, onPremAccount), 'bruteForce');
    }
    t += r.int(2 * SECOND, 8 * SECOND);
    rec.logon(logon(t, true, 'Credentials validation', 'Ntlm', null, attackerHost, onPremAccount), 'bruteForceSuccess');
    const users = [alertUser(victim, { showObjectId: false, showUpn: false, showSid: true })];
    const brute = rec.alert(
      alertOf(r, {
        key: 'mdiBruteForce',
        users,
        firstActivity: bruteStart,
        lastActivity: t,
        severity: 'medium',
        devices: [attackerHost],
        incidentKey: 'story:onPremHybrid',
        origin,
      }),
      'bruteForce',
    );
    // Reconnaissance of privileged groups.
    const base = `DC=${population.ad.dnsDomain.split('.').join(',DC=')}`;
    for (const group of ['Domain Admins', 'Enterprise Admins', 'Backup Operators', 'Account Operators']) {
      t += r.int(20 * SECOND, 2 * MINUTE);
      rec.query(
        {
          kind: 'query',
          id: mdiReportId(core, r, t),
          time: t,
          account: onPremAccount,
          action: 'LDAP query',
          queryType: 'Group membership',
          queryTarget: group,
          query: `Search Scope: WholeSubtree, Base Object:${base}, Search Filter:(&(objectCategory=group)(cn=${group}))`,
          protocol: 'Ldap',
          device: attackerHost,
          destination: dc,
          destinationPort: 389,
          port: r.int(49152, 65535),
          targetAccountUpn: '',
          targetAccountDisplayName: '',
          origin,
        },
        'recon',
      );
    }
    // Pass-the-hash: NTLM to several servers the user never uses.
    t += r.int(20 * MINUTE, 60 * MINUTE);
    const pthStart = t;
    for (const server of r.sample(population.ad.servers, Math.min(5, population.ad.servers.length))) {
      t += r.int(30 * SECOND, 4 * MINUTE);
      rec.logon(logon(t, true, 'Resource access', 'Ntlm', server, attackerHost, onPremAccount), 'passTheHash');
    }
    const pth = rec.alert(
      alertOf(r, {
        key: 'mdiPassTheHash',
        users,
        firstActivity: pthStart,
        lastActivity: t,
        severity: 'high',
        devices: [attackerHost],
        incidentKey: 'story:onPremHybrid',
        origin,
      }),
      'passTheHash',
    );
    // DCSync: replication requests from a workstation.
    t += r.int(30 * MINUTE, 90 * MINUTE);
    const syncStart = t;
    for (let i = 0; i < 2; i++) {
      t += r.int(5 * SECOND, 3 * MINUTE);
      rec.mdiDirectory(
        {
          kind: 'mdiDirectory',
          id: mdiReportId(core, r, t),
          time: clamp(t),
          account: onPremAccount,
          action: 'Directory Services replication',
          protocol: 'Drsr',
          device: attackerHost,
          destination: dc,
          destinationPort: 49668,
          port: r.int(49152, 65535),
          targetAccountUpn: '',
          targetAccountDisplayName: '',
          targetDeviceName: '',
          additional: {
            'ARG.TASK': 'Directory Services replication',
            'ACTOR.ACCOUNT': victim.displayName,
            SourceComputerOperatingSystem: 'windows 10 enterprise',
            DestinationComputerOperatingSystem: 'windows server 2022 datacenter',
          },
          origin,
        },
        'dcSync',
      );
    }
    const dcsync = rec.alert(
      alertOf(r, {
        key: 'mdiDcSync',
        users,
        firstActivity: clamp(syncStart),
        lastActivity: clamp(t),
        severity: 'high',
        devices: [attackerHost],
        incidentKey: 'story:onPremHybrid',
        origin,
      }),
      'dcSync',
    );
    rec.ips.add(attackerHost.ip);
    stories.push(
      finish(rec, {
        scenario: 'onPremHybrid',
        title: 'Brute force, pass-the-hash and DCSync by a hybrid user’s on-prem account',
        description: `Defender for Identity sees ${population.ad.netbios}\\${victim.samAccountName} (${victim.sid}) brute-forced from an unknown machine ${hostName}, then used with NTLM against servers and for a DCSync. Its rows carry only the SID and DOMAIN\\sam; one morning logon carries the SID with the UPN ${victim.userPrincipalName}, and the Defender XDR incident names the cloud account: the same person as the cloud user.`,
        verdict: 'compromised',
        user: userRef(victim),
        relatedUsers: [],
        expectedIncidents: [
          rec.incident(
            'On-prem credential theft',
            [brute, pth, dcsync],
            [],
            [...rec.idsOf('identityLogonEvents', 'bruteForceSuccess'), ...rec.idsOf('identityDirectoryEvents', 'dcSync')],
          ),
        ],
        expectedRiskyUser: null,
        expectation:
          'high in the ranking as one user: the on-prem account (SID, DOMAIN\\sam) is joined to the cloud user through the bridging logon row or the XDR user entity',
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // (5) Confirmed compromised upstream.
  {
    const r = ctx.rng.fork('story:confirmedCompromised');
    const origin = 'story:confirmedCompromised';
    const rec = new Recorder(core, byDay);
    const victim = cast.confirmed;
    const net = population.tenant.networks.allocateFlexible('hosting', places.lagos, 'Lagoon Datacenter');
    const browser = foreignClient('windowsChrome');
    const day = at(0.4);
    const t0 = local(victim.office, day, r.float(21.5, 23), r);
    const first = rec.signIn(
      makeSignIn(r, { user: victim, time: t0, app: apps.exchangeOnline, network: net, client: browser, interactive: true, origin }),
      'riskySignIn',
    );
    const unfamiliar = rec.detection(
      makeDetection(r, { user: victim, type: 'unfamiliarFeatures', level: 'medium', signIn: first, extraInfo: UNFAMILIAR_REASONS, origin }, window),
      'riskySignIn',
    );
    let t = t0;
    for (let i = 0, n = r.int(3, 5); i < n; i++) {
      t += r.int(5 * MINUTE, 15 * MINUTE);
      rec.signIn(
        makeSignIn(r, {
          user: victim,
          time: clamp(t),
          app: r.pick<AppDef>([apps.exchangeOnline, apps.sharePointOnline]),
          network: net,
          client: browser,
          interactive: true,
          origin,
        }),
        'signIn',
      );
      rec.mailbox(
        mailboxEvent(core, r, victim, clamp(t + r.int(20 * SECOND, 2 * MINUTE)), net, 'computer', origin, {
          operation: 'MailItemsAccessed',
          clientInfo: 'Client=OWA;Action=ViaProxy',
        }),
        'mailboxRead',
      );
    }
    const malicious = rec.detection(
      makeDetection(
        r,
        { user: victim, type: 'maliciousIPAddress', level: 'medium', signIn: first, detectedTime: t0 + r.int(4 * HOUR, 8 * HOUR), origin },
        window,
      ),
      'riskySignIn',
    );
    const confirmAt = clamp(Math.max(malicious.detectedTime + 30 * MINUTE, local(victim.office, Math.min(days - 1, day + 1), r.float(9.5, 12), r)));
    const confirmation = rec.detection(
      makeDetection(
        r,
        {
          user: victim,
          type: 'adminConfirmedUserCompromised',
          level: 'high',
          activityTime: confirmAt,
          detectedTime: confirmAt + r.int(2 * SECOND, 30 * SECOND),
          origin,
        },
        window,
      ),
      'confirmation',
    );
    for (const detection of rec.detections)
      settleDetection(
        detection,
        'confirmedCompromised',
        'adminConfirmedUserCompromised',
        detection === confirmation ? detection.detectedTime : confirmAt,
        window,
      );
    const ips = [{ ip: net.ip, country: 'NG' }];
    const tp = { status: 'inProgress' as const, classification: 'truePositive' as const, determination: 'compromisedAccount' };
    const alerts = [
      rec.alert(
        alertOf(r, {
          key: 'idpUnfamiliar',
          users: [alertUser(victim, { showSid: false })],
          firstActivity: t0,
          created: unfamiliar.detectedTime + r.int(SECOND, 3 * MINUTE),
          severity: 'medium',
          ips,
          providerAlertId: unfamiliar.id,
          incidentKey: 'story:confirmedCompromised',
          origin,
          ...tp,
        }),
        'riskySignIn',
      ),
      rec.alert(
        alertOf(r, {
          key: 'idpMaliciousIp',
          users: [alertUser(victim, { showSid: false })],
          firstActivity: t0,
          created: malicious.detectedTime + r.int(SECOND, 3 * MINUTE),
          severity: 'medium',
          ips,
          providerAlertId: malicious.id,
          incidentKey: 'story:confirmedCompromised',
          origin,
          ...tp,
        }),
        'riskySignIn',
      ),
      rec.alert(
        alertOf(r, {
          key: 'idpAdminConfirmed',
          users: [alertUser(victim, { showSid: false })],
          firstActivity: confirmAt,
          created: confirmation.detectedTime + r.int(SECOND, MINUTE),
          severity: 'high',
          providerAlertId: confirmation.id,
          incidentKey: 'story:confirmedCompromised',
          origin,
          ...tp,
        }),
        'confirmation',
      ),
    ];
    // The password was reset with the confirmation: the attacker's next attempts fail.
    let retry = confirmAt + r.int(6 * HOUR, 10 * HOUR);
    for (let i = 0; i < 2 && retry < window.end - MINUTE; i++) {
      rec.signIn(
        makeSignIn(r, {
          user: victim,
          time: retry,
          app: apps.exchangeOnline,
          network: net,
          client: browser,
          interactive: true,
          error: signInErrors.invalidPassword,
          origin,
        }),
        'failedRetry',
      );
      retry += r.int(30 * SECOND, 90 * SECOND);
    }
    stories.push(
      finish(rec, {
        scenario: 'confirmedCompromised',
        title: 'Confirmed compromised upstream',
        description: `${victim.displayName}'s mailbox is opened late in the evening from a hosting address in Nigeria; the next morning an administrator confirms the user compromised in Identity Protection, and the attacker's later attempts fail.`,
        verdict: 'compromised',
        user: userRef(victim),
        relatedUsers: [],
        expectedIncidents: [rec.incident('Confirmed compromised account', alerts, rec.detections, rec.idsOf('unifiedAuditLog', 'mailboxRead'))],
        expectedRiskyUser: { riskLevel: 'high', riskState: 'confirmedCompromised', riskDetail: 'adminConfirmedUserCompromised' },
        expectation: 'at the very top whatever the score (confirmed compromised)',
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // (6) The noisy but benign traveller: many low alerts, each cleared.
  {
    const r = ctx.rng.fork('story:noisyBenign');
    const origin = 'story:noisyBenign';
    const rec = new Recorder(core, byDay);
    const person = cast.noisy;
    person.traveller = true;
    const plan = plans.get(person);
    const far = (['london', 'toronto', 'singapore', 'madrid', 'newYork', 'chicago', 'munich', 'zurich'] as const)
      .map((key) => places[key])
      .filter((place) => distanceKm(place, person.office) > 500);
    const tripCount = Math.max(2, Math.min(5, Math.floor(days / 6)));
    const span = Math.floor(days / tripCount);
    const trips: Trip[] = [];
    for (let i = 0; i < tripCount; i++) {
      const firstDay = Math.min(days - 1, i * span + r.int(0, Math.max(0, span - 3)));
      const place = far[(i + r.int(0, far.length - 1)) % far.length] as Place;
      trips.push({
        place,
        firstDay,
        lastDay: Math.min(days - 1, firstDay + r.int(1, 2)),
        purpose: 'business',
        hotel: ctx.hotels.get(place, r.pick(['Wayfarer Hotels Wi-Fi', 'Harborview Inn Wi-Fi'])),
      });
    }
    if (plan) plan.trips = trips;
    const incidents: ExpectedIncident[] = [];
    const benign = { status: 'resolved' as const, classification: 'informationalExpectedActivity' as const, determination: 'confirmedUserActivity' };
    const pilot = [{ policy: population.tenant.policies.riskySignInPilot, result: 'success' as const }];
    let previousPlace = person.office;
    for (const [i, trip] of trips.entries()) {
      const tripAlerts: AlertRecord[] = [];
      const tripDetections: SimDetection[] = [];
      for (const dayIndex of new Set([trip.firstDay, Math.min(trip.lastDay, trip.firstDay + 1)])) {
        const tIn = local(trip.place, dayIndex, r.float(8.5, 10.5), r);
        const app = apps.exchangeOnline;
        const client: ClientInfo = deviceClient(person.computer, app);
        const correlationId = r.guid();
        rec.signIn(
          makeSignIn(r, {
            user: person,
            time: tIn,
            app,
            network: trip.hotel,
            client,
            interactive: true,
            error: signInErrors.mfaRequired,
            policies: pilot,
            correlationId,
            origin,
          }),
          'mfaPrompt',
        );
        const ok = rec.signIn(
          makeSignIn(r, {
            user: person,
            time: tIn + r.int(15 * SECOND, 60 * SECOND),
            app,
            network: trip.hotel,
            client,
            interactive: true,
            mfa: 'completed',
            policies: pilot,
            correlationId,
            origin,
          }),
          'travelSignIn',
        );
        const detection = rec.detection(
          makeDetection(
            r,
            {
              user: person,
              type: 'unfamiliarFeatures',
              level: 'low',
              signIn: ok,
              detectedTime: ok.time + r.int(2 * SECOND, 40 * SECOND),
              extraInfo: UNFAMILIAR_REASONS,
              origin,
            },
            window,
          ),
          'travelSignIn',
        );
        settleDetection(detection, 'remediated', 'userPassedMFADrivenByRiskBasedPolicy', detection.detectedTime + r.int(SECOND, 20 * SECOND), window);
        tripDetections.push(detection);
        tripAlerts.push(
          rec.alert(
            alertOf(r, {
              key: 'idpUnfamiliar',
              users: [alertUser(person, { showSid: false })],
              firstActivity: ok.time,
              created: detection.detectedTime + r.int(SECOND, 2 * MINUTE),
              severity: 'low',
              ips: [{ ip: trip.hotel.ip, country: trip.place.countryOrRegion }],
              providerAlertId: detection.id,
              incidentKey: `story:noisyBenign:${i}`,
              origin,
              ...benign,
              resolvedAt: detection.lastUpdatedTime + r.int(MINUTE, 2 * HOUR),
            }),
            'lowAlert',
          ),
        );
        if (dayIndex === trip.firstDay) {
          if (trip.place.countryOrRegion !== person.office.countryOrRegion) {
            tripAlerts.push(
              rec.alert(
                alertOf(r, {
                  key: 'mdcaInfrequentCountry',
                  users: [alertUser(person, { showSid: false })],
                  firstActivity: ok.time,
                  severity: 'low',
                  ips: [{ ip: trip.hotel.ip, country: trip.place.countryOrRegion }],
                  incidentKey: `story:noisyBenign:${i}`,
                  origin,
                  ...benign,
                }),
                'lowAlert',
              ),
            );
          }
          if (i % 2 === 0 && distanceKm(previousPlace, trip.place) > 500) {
            const travel = rec.detection(
              makeDetection(
                r,
                {
                  user: person,
                  type: 'unlikelyTravel',
                  level: 'low',
                  signIn: ok,
                  extraInfo: relatedLocationInfoOf(person.homeNetwork, ok.time - r.int(8 * HOUR, 16 * HOUR), person.computer.browserKey),
                  origin,
                },
                window,
              ),
              'travelSignIn',
            );
            settleDetection(travel, 'dismissed', 'adminDismissedAllRiskForUser', travel.detectedTime + r.int(2 * HOUR, 10 * HOUR), window);
            tripDetections.push(travel);
            tripAlerts.push(
              rec.alert(
                alertOf(r, {
                  key: 'mdcaImpossibleTravel',
                  users: [alertUser(person, { showSid: false })],
                  firstActivity: ok.time - r.int(2 * HOUR, 6 * HOUR),
                  lastActivity: ok.time,
                  severity: 'low',
                  ips: [{ ip: trip.hotel.ip, country: trip.place.countryOrRegion }],
                  incidentKey: `story:noisyBenign:${i}`,
                  origin,
                  status: 'resolved',
                  classification: 'falsePositive',
                  determination: 'notMalicious',
                }),
                'lowAlert',
              ),
            );
          }
        }
      }
      previousPlace = trip.place;
      incidents.push(rec.incident(`Trip ${i + 1}: ${trip.place.city}`, tripAlerts, tripDetections, []));
    }
    stories.push(
      finish(rec, {
        scenario: 'noisyBenign',
        title: 'Noisy but benign traveller',
        description: `${person.displayName} travels every week; each trip raises low alerts (unfamiliar sign-in properties, activity from an infrequent country, impossible travel) that MFA or an administrator clears. Nothing here is an attack.`,
        verdict: 'benign',
        user: userRef(person),
        relatedUsers: [],
        expectedIncidents: incidents,
        expectedRiskyUser: null,
        expectation: 'must NOT rank high: many low, resolved alerts that fire for many users add up to little',
      }),
    );
  }

  // -------------------------------------------------------------------------------------------
  // Background: the pen test (a benign true positive), a false positive, renamed accounts.
  {
    const r = ctx.rng.fork('background:penTest');
    const origin = 'background:penTest';
    const rec = new Recorder(core, byDay);
    const tester = cast.pentest;
    const kali: Host = { name: 'PT-KALI01', fqdn: `pt-kali01.${population.ad.dnsDomain}`, ip: '10.10.250.5', os: 'Linux' };
    const dc = population.ad.dcs[0] as Host;
    const account = accountOf(core, tester, window.start, { upn: true, objectId: true });
    const day = at(0.15);
    let t = utc(day, r.float(14, 16), r);
    const start = t;
    const hybrids = population.people.filter((p) => p.hybrid && p !== tester);
    const targets = r.sample(hybrids, Math.min(30, hybrids.length));
    for (const target of targets) {
      t += r.int(SECOND, 6 * SECOND);
      rec.query(
        {
          kind: 'query',
          id: mdiReportId(core, r, t),
          time: t,
          account,
          action: 'SAMR query',
          queryType: 'QueryUser',
          queryTarget: target.samAccountName,
          query: `QueryUser ${target.samAccountName}`,
          protocol: 'Samr',
          device: kali,
          destination: dc,
          destinationPort: 445,
          port: r.int(49152, 65535),
          targetAccountUpn: target.userPrincipalName,
          targetAccountDisplayName: target.displayName,
          origin,
        },
        'enumeration',
      );
    }
    const enumEnd = t;
    const base = `DC=${population.ad.dnsDomain.split('.').join(',DC=')}`;
    for (const filter of [
      '(adminCount=1)',
      '(servicePrincipalName=*)',
      '(&(objectCategory=group)(cn=Domain Admins))',
      '(userAccountControl:1.2.840.113556.1.4.803:=4194304)',
    ]) {
      t += r.int(10 * SECOND, MINUTE);
      rec.query(
        {
          kind: 'query',
          id: mdiReportId(core, r, t),
          time: t,
          account,
          action: 'LDAP query',
          queryType: 'Find objects',
          queryTarget: filter,
          query: `Search Scope: WholeSubtree, Base Object:${base}, Search Filter:${filter}`,
          protocol: 'Ldap',
          device: kali,
          destination: dc,
          destinationPort: 389,
          port: r.int(49152, 65535),
          targetAccountUpn: '',
          targetAccountDisplayName: '',
          origin,
        },
        'ldapRecon',
      );
    }
    const benignTp = { status: 'resolved' as const, classification: 'informationalExpectedActivity' as const, determination: 'securityTesting' };
    const users = [alertUser(tester)];
    const alerts = [
      rec.alert(
        alertOf(r, {
          key: 'mdiAccountEnum',
          users,
          firstActivity: start,
          lastActivity: enumEnd,
          severity: 'medium',
          devices: [kali],
          incidentKey: 'background:penTest',
          origin,
          ...benignTp,
        }),
        'enumeration',
      ),
      rec.alert(
        alertOf(r, {
          key: 'mdiLdapRecon',
          users,
          firstActivity: enumEnd,
          lastActivity: t,
          severity: 'medium',
          devices: [kali],
          incidentKey: 'background:penTest',
          origin,
          ...benignTp,
        }),
        'ldapRecon',
      ),
    ];
    background.push({
      kind: 'penTest',
      description: `The contracted pen test: ${tester.displayName} enumerates accounts over SAMR and queries LDAP for privileged objects from ${kali.name}. Defender for Identity alerts; the SOC closes them as expected activity (security testing): a benign true positive.`,
      user: userRef(tester),
      records: rec.records,
      expectedIncidents: [rec.incident('Pen test reconnaissance', alerts, [], [])],
    });
  }
  {
    const r = ctx.rng.fork('background:falsePositive');
    const origin = 'background:falsePositive';
    const rec = new Recorder(core, byDay);
    const person = cast.falsePositive;
    const day = at(0.5);
    let t = local(person.office, day, person.habits.startHour + 0.2, r);
    const start = t;
    const account = accountOf(core, person, t);
    // A mapped drive still holding the old password after a password change.
    for (let i = 0, n = r.int(20, 30); i < n; i++) {
      t += r.int(2 * SECOND, 20 * SECOND);
      rec.logon(
        {
          kind: 'logon',
          id: mdiReportId(core, r, t),
          time: t,
          account,
          success: false,
          failureReason: 'WrongPassword',
          logonType: 'Credentials validation',
          protocol: 'Ntlm',
          device: person.workstation,
          destination: siteDc(population, person),
          destinationPort: 445,
          port: r.int(49152, 65535),
          targetDevice: null,
          origin,
        },
        'staleCredential',
      );
    }
    const alert = rec.alert(
      alertOf(r, {
        key: 'mdiBruteForce',
        users: [alertUser(person)],
        firstActivity: start,
        lastActivity: t,
        severity: 'low',
        devices: [person.workstation],
        incidentKey: 'background:falsePositive',
        origin,
        status: 'resolved',
        classification: 'falsePositive',
        determination: 'notMalicious',
      }),
      'falsePositive',
    );
    background.push({
      kind: 'falsePositive',
      description: `${person.displayName}'s workstation retries an old password (a mapped drive) after a password change; Defender for Identity raises a brute-force alert that the SOC closes as a false positive.`,
      user: userRef(person),
      records: rec.records,
      expectedIncidents: [rec.incident('Stale credential retries', [alert], [], [])],
    });
  }
  for (const person of population.people) {
    if (!person.rename) continue;
    const r = ctx.rng.fork(`background:rename:${person.index}`);
    const rec = new Recorder(core, byDay);
    const correlationId = r.guid();
    const time = Math.min(window.end - MINUTE, Math.max(window.start + MINUTE, person.rename.at));
    rec.audit(
      {
        kind: 'directoryAudit',
        id: auditId(r, correlationId),
        time,
        category: 'UserManagement',
        correlationId,
        result: 'success',
        resultReason: '',
        activity: 'Update user',
        service: 'Core Directory',
        operationType: 'Update',
        initiatedBy: person.hybrid
          ? { app: { displayName: 'Microsoft Entra Connect', servicePrincipalId: r.guid() } }
          : { user: population.people.find((p) => p.role === 'admin') ?? person, ipAddress: (person.officeNetworks[0] ?? person.homeNetwork).ip },
        targets: [
          {
            id: person.objectId,
            displayName: null,
            type: 'User',
            userPrincipalName: person.userPrincipalName,
            modifiedProperties: [
              { displayName: 'UserPrincipalName', oldValue: `["${person.rename.previousUpn}"]`, newValue: `["${person.userPrincipalName}"]` },
              { displayName: 'DisplayName', oldValue: `["${person.rename.previousDisplayName}"]`, newValue: `["${person.displayName}"]` },
              { displayName: 'Included Updated Properties', oldValue: null, newValue: '"UserPrincipalName, DisplayName"' },
            ],
          },
        ],
        additionalDetails: [],
        origin: 'background:rename',
      },
      'rename',
    );
    background.push({
      kind: 'rename',
      description: `${person.rename.previousUpn} was renamed ${person.userPrincipalName}: records before ${new Date(person.rename.at / 1000).toISOString()} carry the old UPN, the object id${person.hybrid ? ' and SID' : ''} stay the same.`,
      user: userRef(person),
      records: rec.records,
      expectedIncidents: [],
    });
  }

  return { byDay, stories, background, characters };
}
