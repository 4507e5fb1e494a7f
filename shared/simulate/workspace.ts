/**
 * The large simulated export folder: a tenant of any size, a month (or any number of days) of its
 * exports from Entra ID (Graph and Log Analytics), Defender for Identity and Defender for Cloud Apps
 * (advanced hunting), the unified audit log (a Windows PowerShell UTF-16 CSV), Defender alerts and
 * XDR incidents, with six attack stories planted and a ground truth that names every record.
 *
 * Pure and deterministic: `new Simulation(options).run()` yields the output as a stream of
 * operations (see sink.ts) day by day, newest day first (as the exports list records), holding only
 * one day of events in memory; the same options always give the same bytes. scripts/simulate.ts
 * writes the stream to disk; `generateWorkspace` collects it in memory for tests and the demo.
 */
import { buildIncidents, type AlertRecord } from './alerts.ts';
import { plantStories, type BackgroundTruth, type Planted, type RecordRef, type StoryTruth, type TableKey } from './attacks.ts';
import type { SimDetection } from './events.ts';
import { isDocumentationAddress } from './network.ts';
import { createPopulation, type Population, type SimPerson } from './population.ts';
import { orphanRiskyUsers, riskyUserOf, type RiskyUserRow } from './risk.ts';
import { Contexts, dayCount, Hotels, personDay, planTrips, stochasticRound, type PersonPlan } from './rhythm.ts';
import { Rng, type Seed } from './rng.ts';
import { emptyDay, generatePersonDay, generateServiceAccountDay, generateWorkloadDay, roundCounts, type DayEvents, type SimCore } from './routine.ts';
import { csvContainer, FileSeries, graphPageContainer, NDJSON, type Encoding, type FileInfo, type FileSpec, type OutputOp } from './sink.ts';
import { graphTime, utcMicros, windowEndingAt, type Micros, type TimeWindow } from './time.ts';
import { AUDITS_CONTEXT, graphDirectoryAudit, graphWorkloadSignIn, WORKLOAD_SIGNINS_CONTEXT } from './writers/entra.ts';
import { GRAPH_CONTEXT, graphRiskDetection, graphRiskyUser, graphSignIn } from './writers/graph.ts';
import { cloudAppEventsRow, identityDirectoryRow, identityLogonRow, identityQueryRow } from './writers/hunting.ts';
import { nonInteractiveHeader, nonInteractiveRow, signInLogsHeader, signInLogsRow } from './writers/log-analytics.ts';
import { ALERTS_CONTEXT, graphAlert, xdrIncident, XDR_INCIDENTS_CONTEXT } from './writers/security.ts';
import { pageRecordText } from './writers/text.ts';
import { ualHeader, ualRow } from './writers/ual.ts';

export interface WorkspaceOptions {
  seed?: Seed;
  /** People in the tenant (at least 20). */
  users?: number;
  /** Days of exports, ending at `end`. */
  days?: number;
  /** Routine activity records to aim for (sign-ins, logons, cloud-app and mailbox events…); the total comes out close. */
  events?: number;
  /** The last instant of the window (µs since the epoch, UTC). */
  end?: Micros;
  /** Bulk tables roll to a new numbered part before a file would exceed this. */
  maxFileBytes?: number;
  /** Interactive sign-ins of the most recent days are exported from Graph, older ones from Log Analytics. */
  graphSignInDays?: number;
}

export type ResolvedOptions = Required<WorkspaceOptions>;

export const DEFAULT_OPTIONS: ResolvedOptions = {
  seed: 1,
  users: 200,
  days: 30,
  events: 100_000,
  end: utcMicros(2026, 10, 31, 23, 59, 59),
  maxFileBytes: 500 * 1024 * 1024,
  graphSignInDays: 7,
};

/** The built-in demo's seed and window: resources/demo is this simulator's output at DEMO_SCALE_OPTIONS (`npm run demo`). */
export const DEMO_SEED = 20261122;
export const DEMO_WINDOW_DAYS = 30;
export const DEMO_WINDOW_END = utcMicros(2026, 10, 31, 23, 59, 59);

/** The demo's size: a few dozen people, every planted story once, about 4 MB of exports. */
export const DEMO_SCALE_OPTIONS: ResolvedOptions = {
  ...DEFAULT_OPTIONS,
  seed: DEMO_SEED,
  users: 40,
  days: DEMO_WINDOW_DAYS,
  events: 1500,
  end: DEMO_WINDOW_END,
};

/** How the requested volume is shared between tables (sums to 1). */
export const VOLUME_SHARES = {
  interactive: 0.06,
  nonInteractive: 0.33,
  cloudApp: 0.25,
  mailbox: 0.1,
  logon: 0.15,
  query: 0.035,
  mdiDirectory: 0.005,
  audit: 0.005,
  workload: 0.065,
} as const;

/** Where each table goes, and in which shape. */
export const TABLE_FILES: Record<TableKey, Omit<FileSpec, 'table'>> = {
  signIns: {
    stem: 'entra/graph/signIns',
    ext: 'json',
    rolling: true,
    encoding: 'utf8',
    container: graphPageContainer(GRAPH_CONTEXT.signIns),
    format: 'Microsoft Graph signIn page (v1.0), interactive sign-ins of the most recent days, newest first',
  },
  nonInteractiveSignIns: {
    stem: 'entra/log-analytics/AADNonInteractiveUserSignInLogs',
    ext: 'csv',
    rolling: true,
    encoding: 'utf8',
    container: csvContainer(nonInteractiveHeader()),
    format: 'Log Analytics CSV export of AADNonInteractiveUserSignInLogs (UTF-8 BOM, CRLF, TimeGenerated [UTC])',
  },
  workloadSignIns: {
    stem: 'entra/graph/servicePrincipalSignIns',
    ext: 'json',
    rolling: true,
    encoding: 'utf8',
    container: graphPageContainer(WORKLOAD_SIGNINS_CONTEXT),
    format: 'Microsoft Graph beta signIn page: service principal and managed identity sign-ins',
  },
  riskDetections: {
    stem: 'entra/graph/riskDetections',
    ext: 'json',
    rolling: false,
    encoding: 'utf8',
    container: graphPageContainer(GRAPH_CONTEXT.riskDetections),
    format: 'Microsoft Graph riskDetection page',
  },
  riskyUsers: {
    stem: 'entra/graph/riskyUsers',
    ext: 'json',
    rolling: false,
    encoding: 'utf8',
    container: graphPageContainer(GRAPH_CONTEXT.riskyUsers),
    format: 'Microsoft Graph riskyUser page',
  },
  directoryAudits: {
    stem: 'entra/graph/directoryAudits',
    ext: 'json',
    rolling: false,
    encoding: 'utf8',
    container: graphPageContainer(AUDITS_CONTEXT),
    format: 'Microsoft Graph directoryAudit page',
  },
  alerts: {
    stem: 'defender/graph/alerts_v2',
    ext: 'json',
    rolling: false,
    encoding: 'utf8',
    container: graphPageContainer(ALERTS_CONTEXT),
    format: 'Microsoft Graph security alerts_v2 page (Defender for Identity, Defender for Cloud Apps, Entra ID Protection)',
  },
  incidents: {
    stem: 'defender/xdr/incidents',
    ext: 'json',
    rolling: false,
    encoding: 'utf8',
    container: graphPageContainer(XDR_INCIDENTS_CONTEXT),
    format: 'Defender XDR /api/incidents page with alerts and entities',
  },
  identityLogonEvents: {
    stem: 'defender/advanced-hunting/IdentityLogonEvents',
    ext: 'ndjson',
    rolling: true,
    encoding: 'utf8',
    container: NDJSON,
    format: 'Advanced hunting IdentityLogonEvents, NDJSON',
  },
  identityQueryEvents: {
    stem: 'defender/advanced-hunting/IdentityQueryEvents',
    ext: 'ndjson',
    rolling: true,
    encoding: 'utf8',
    container: NDJSON,
    format: 'Advanced hunting IdentityQueryEvents, NDJSON',
  },
  identityDirectoryEvents: {
    stem: 'defender/advanced-hunting/IdentityDirectoryEvents',
    ext: 'ndjson',
    rolling: true,
    encoding: 'utf8',
    container: NDJSON,
    format: 'Advanced hunting IdentityDirectoryEvents, NDJSON',
  },
  cloudAppEvents: {
    stem: 'defender/advanced-hunting/CloudAppEvents',
    ext: 'ndjson',
    rolling: true,
    encoding: 'utf8',
    container: NDJSON,
    format: 'Advanced hunting CloudAppEvents, NDJSON',
  },
  unifiedAuditLog: {
    stem: 'm365/unified-audit-log/UnifiedAuditLog',
    ext: 'csv',
    rolling: true,
    encoding: 'utf16le',
    container: csvContainer(ualHeader()),
    format: 'Search-UnifiedAuditLog | Export-Csv from Windows PowerShell (UTF-16 LE with BOM, all fields quoted, CRLF)',
  },
};

/** Where interactive sign-ins of older days go (the same logical table, another export). */
export const SIGNIN_LOGS_FILE: Omit<FileSpec, 'table'> = {
  stem: 'entra/log-analytics/SigninLogs',
  ext: 'csv',
  rolling: true,
  encoding: 'utf8',
  container: csvContainer(signInLogsHeader()),
  format: 'Log Analytics CSV export of SigninLogs, interactive sign-ins of the older days (UTF-8 BOM, CRLF, [UTC] times)',
};

/** The field that holds each table's record id, per file format. */
export const ID_FIELDS: Record<TableKey | 'signInLogs', string> = {
  signIns: 'id',
  signInLogs: 'Id',
  nonInteractiveSignIns: 'Id',
  workloadSignIns: 'id',
  riskDetections: 'id',
  riskyUsers: 'id',
  directoryAudits: 'id',
  alerts: 'id',
  incidents: 'incidentId',
  identityLogonEvents: 'ReportId',
  identityQueryEvents: 'ReportId',
  identityDirectoryEvents: 'ReportId',
  cloudAppEvents: 'ReportId',
  unifiedAuditLog: 'Identity',
};

export const GROUND_TRUTH_FILE = 'ground-truth.json';
export const README_FILE = 'README.md';

export interface StoryTruthRecord extends Omit<StoryTruth, 'start' | 'end'> {
  start: string;
  end: string;
}

export interface PersonTruth {
  userId: string;
  userPrincipalName: string;
  previousUserPrincipalName: string | null;
  renamedAt: string | null;
  displayName: string;
  department: string;
  jobTitle: string;
  country: string;
  office: string;
  hybrid: boolean;
  sid: string | null;
  samAccount: string | null;
  role: string;
  directoryRoles: string[];
}

export interface WorkspaceTruth {
  generator: string;
  options: { seed: Seed; users: number; days: number; events: number; end: string; maxFileBytes: number; graphSignInDays: number };
  window: { start: string; end: string };
  tenant: {
    tenantId: string;
    displayName: string;
    domain: string;
    workspaceId: string;
    onPremDomain: { netbios: string; dnsDomain: string; domainSid: string };
    userCount: number;
  };
  /** Every export file with its records and bytes (the README and this file excluded). */
  files: FileInfo[];
  /** Records per logical table (interactive sign-ins of both exports under `signIns`). */
  counts: Record<TableKey, number>;
  totals: { records: number; routineActivities: number; bytes: number };
  idFields: Record<string, string>;
  stories: StoryTruthRecord[];
  background: BackgroundTruth[];
  noise: {
    description: string;
    detectionIds: string[];
    lowAlertIds: string[];
    falsePositiveAlertIds: string[];
    userIds: string[];
  };
  orphanRiskyUserIds: string[];
  people: PersonTruth[];
  serviceAccounts: { samAccount: string; sid: string; server: string }[];
  workloads: { servicePrincipalId: string; appId: string; displayName: string; kind: string; credential: string }[];
}

type Counts = Record<TableKey, number>;

function zeroCounts(): Counts {
  return {
    signIns: 0,
    nonInteractiveSignIns: 0,
    workloadSignIns: 0,
    riskDetections: 0,
    riskyUsers: 0,
    directoryAudits: 0,
    alerts: 0,
    incidents: 0,
    identityLogonEvents: 0,
    identityQueryEvents: 0,
    identityDirectoryEvents: 0,
    cloudAppEvents: 0,
    unifiedAuditLog: 0,
  };
}

export function resolveOptions(options: WorkspaceOptions = {}): ResolvedOptions {
  const resolved = { ...DEFAULT_OPTIONS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as ResolvedOptions;
  if (!Number.isInteger(resolved.users) || resolved.users < 20)
    throw new RangeError(`users must be an integer, at least 20 (the stories need a cast), got ${resolved.users}`);
  if (!Number.isInteger(resolved.days) || resolved.days < 2 || resolved.days > 366)
    throw new RangeError(`days must be an integer from 2 to 366, got ${resolved.days}`);
  if (!Number.isInteger(resolved.events) || resolved.events < 0) throw new RangeError(`events must be a non-negative integer, got ${resolved.events}`);
  if (!(resolved.maxFileBytes >= 64 * 1024)) throw new RangeError(`maxFileBytes must be at least 64 KiB, got ${resolved.maxFileBytes}`);
  return resolved;
}

const byTimeDesc = <T extends { time: number; id: string }>(a: T, b: T) => b.time - a.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export class Simulation {
  readonly options: ResolvedOptions;
  readonly window: TimeWindow;
  readonly days: number;
  readonly population: Population;
  private readonly rng: Rng;
  private readonly core: SimCore;
  private readonly planted: Planted;
  private readonly plans: Map<SimPerson, PersonPlan>;
  /** Summed intensity per kind over all person-days, and the service accounts' and workloads' weights. */
  private readonly sums = { work: 0, background: 0, onpremPeople: 0, onpremAll: 0, workload: 0 };
  private readonly counts: Counts = zeroCounts();
  private files: FileInfo[] = [];
  private readonly tracked = new Map<string, RecordRef[]>();
  private readonly detections: SimDetection[] = [];
  private readonly alerts: AlertRecord[] = [];
  private routineActivities = 0;
  private orphanIds: string[] = [];
  private finished = false;

  constructor(options: WorkspaceOptions = {}) {
    this.options = resolveOptions(options);
    this.rng = new Rng(this.options.seed);
    this.window = windowEndingAt(this.options.end, this.options.days);
    this.days = dayCount(this.window);
    this.population = createPopulation(this.rng, this.options.users, this.window);
    const hotels = new Hotels(this.population);
    this.plans = planTrips(this.population, this.window, hotels, this.rng.fork('trips'));
    const contexts = new Contexts(this.population, this.window, this.plans, this.rng.fork('contexts'));
    this.core = { population: this.population, window: this.window, days: this.days, contexts };
    this.planted = plantStories({ core: this.core, plans: this.plans, hotels, rng: this.rng.fork('stories') });
    for (const story of this.planted.stories) for (const ref of story.records) this.track(ref);
    for (const item of this.planted.background) for (const ref of item.records) this.track(ref);

    // Planning pass: how busy everyone is, summed, so each table's share spreads over person-days.
    for (const person of this.population.people) {
      for (let day = 0; day < this.days; day++) {
        const pd = personDay(contexts, this.window, person, day);
        this.sums.work += pd.totals.work;
        this.sums.background += pd.totals.background;
        this.sums.onpremPeople += pd.totals.onprem;
      }
    }
    this.sums.onpremAll =
      this.sums.onpremPeople + this.population.serviceAccounts.reduce((sum, account) => sum + this.serviceWeight(account.rate) * this.days, 0);
    this.sums.workload = this.population.workloads.reduce((sum, w) => sum + w.rate * this.days, 0);
  }

  private track(ref: RecordRef): void {
    const list = this.tracked.get(ref.id);
    if (list) list.push(ref);
    else this.tracked.set(ref.id, [ref]);
  }

  private serviceWeight(rate: number): number {
    return rate * 2;
  }

  /** Generates one UTC day: everyone's routine, the workloads, and what the stories planted that day. */
  generateDay(day: number): DayEvents {
    const out = emptyDay();
    const { events } = this.options;
    const dayRng = this.rng.fork(`day:${day}`);
    const share = (fraction: number, weight: number, sum: number) => (sum > 0 ? (events * fraction * weight) / sum : 0);
    for (const person of this.population.people) {
      const r = dayRng.fork(`person:${person.index}`);
      const pd = personDay(this.core.contexts, this.window, person, day);
      const counts = roundCounts(r, {
        interactive: share(VOLUME_SHARES.interactive / 1.08, pd.totals.work, this.sums.work),
        nonInteractive: share(VOLUME_SHARES.nonInteractive, pd.totals.background, this.sums.background),
        cloudApp: share(VOLUME_SHARES.cloudApp, pd.totals.work, this.sums.work),
        mailbox: share(VOLUME_SHARES.mailbox, pd.totals.work, this.sums.work),
        logon: share(VOLUME_SHARES.logon, pd.totals.onprem, this.sums.onpremAll),
        query: share(VOLUME_SHARES.query, pd.totals.onprem, this.sums.onpremPeople),
        mdiDirectory: share(VOLUME_SHARES.mdiDirectory, pd.totals.onprem, this.sums.onpremPeople),
        audit: share(VOLUME_SHARES.audit, pd.totals.work, this.sums.work),
      });
      generatePersonDay(this.core, person, day, pd, counts, out, r);
    }
    for (const account of this.population.serviceAccounts) {
      const r = dayRng.fork(`service:${account.index}`);
      generateServiceAccountDay(
        this.core,
        account,
        day,
        stochasticRound(r, share(VOLUME_SHARES.logon, this.serviceWeight(account.rate), this.sums.onpremAll)),
        out,
        r,
      );
    }
    for (const workload of this.population.workloads) {
      const r = dayRng.fork(`workload:${workload.index}`);
      generateWorkloadDay(this.core, workload, day, stochasticRound(r, share(VOLUME_SHARES.workload, workload.rate, this.sums.workload)), out, r);
    }
    this.routineActivities +=
      out.signIns.length +
      out.nonInteractive.length +
      out.workload.length +
      out.logons.length +
      out.queries.length +
      out.mdiDirectory.length +
      out.cloudApp.length +
      out.mailbox.length +
      out.audits.length;
    const planted = this.planted.byDay.get(day);
    if (planted) for (const key of Object.keys(out) as (keyof DayEvents)[]) (out[key] as unknown[]).push(...(planted[key] as unknown[]));
    return out;
  }

  /** The whole output, newest day first, as write and close operations (and a progress mark per day). */
  *run(): Generator<OutputOp> {
    if (this.finished) throw new Error('a Simulation runs once');
    const ops: OutputOp[] = [];
    const { maxFileBytes } = this.options;
    const series = {} as Record<TableKey, FileSeries>;
    for (const table of Object.keys(TABLE_FILES) as TableKey[]) series[table] = new FileSeries({ table, ...TABLE_FILES[table] }, maxFileBytes, ops);
    const signInLogs = new FileSeries({ table: 'signIns', ...SIGNIN_LOGS_FILE }, maxFileBytes, ops);
    const population = this.population;
    let written = 0;
    const put = (table: TableKey, target: FileSeries, id: string, text: string) => {
      const path = target.add(text);
      this.counts[table]++;
      written++;
      const refs = this.tracked.get(id);
      if (refs) for (const ref of refs) if (ref.table === table) ref.file = path;
    };
    const graphDays = Math.min(this.options.graphSignInDays, this.days);

    for (let day = this.days - 1; day >= 0; day--) {
      const out = this.generateDay(day);
      const toGraph = day >= this.days - graphDays;
      // Each record is serialized when it is written, and what a series flushes is handed on at once:
      // only one day of events (not of text) is ever held.
      for (const event of out.signIns.sort(byTimeDesc)) {
        if (toGraph) put('signIns', series.signIns, event.id, pageRecordText(graphSignIn(event, event.detections)));
        else put('signIns', signInLogs, event.id, signInLogsRow(event, population));
        if (ops.length) yield* ops.splice(0);
      }
      for (const event of out.nonInteractive.sort(byTimeDesc)) {
        put('nonInteractiveSignIns', series.nonInteractiveSignIns, event.id, nonInteractiveRow(event, population));
        if (ops.length) yield* ops.splice(0);
      }
      for (const event of out.workload.sort(byTimeDesc)) {
        put('workloadSignIns', series.workloadSignIns, event.id, pageRecordText(graphWorkloadSignIn(event)));
        if (ops.length) yield* ops.splice(0);
      }
      const detections = out.detections.sort((a, b) => b.activityTime - a.activityTime || (a.id < b.id ? -1 : 1));
      for (const detection of detections) put('riskDetections', series.riskDetections, detection.id, pageRecordText(graphRiskDetection(detection)));
      this.detections.push(...detections);
      for (const event of out.audits.sort(byTimeDesc)) put('directoryAudits', series.directoryAudits, event.id, pageRecordText(graphDirectoryAudit(event)));
      if (ops.length) yield* ops.splice(0);
      for (const event of out.logons.sort(byTimeDesc)) {
        put('identityLogonEvents', series.identityLogonEvents, event.id, identityLogonRow(event, population));
        if (ops.length) yield* ops.splice(0);
      }
      for (const event of out.queries.sort(byTimeDesc)) {
        put('identityQueryEvents', series.identityQueryEvents, event.id, identityQueryRow(event, population));
        if (ops.length) yield* ops.splice(0);
      }
      for (const event of out.mdiDirectory.sort(byTimeDesc))
        put('identityDirectoryEvents', series.identityDirectoryEvents, event.id, identityDirectoryRow(event, population));
      for (const event of out.cloudApp.sort(byTimeDesc)) {
        put('cloudAppEvents', series.cloudAppEvents, event.id, cloudAppEventsRow(event, population));
        if (ops.length) yield* ops.splice(0);
      }
      const mailbox = out.mailbox.sort(byTimeDesc);
      for (let i = 0; i < mailbox.length; i++) {
        const event = mailbox[i] as (typeof mailbox)[number];
        put('unifiedAuditLog', series.unifiedAuditLog, event.id, ualRow(event, population, i + 1, mailbox.length));
        if (ops.length) yield* ops.splice(0);
      }
      this.alerts.push(...out.alerts);
      for (const s of [...Object.values(series), signInLogs]) s.flush();
      yield* ops.splice(0);
      yield { type: 'progress', day, daysDone: this.days - day, days: this.days, records: written };
    }

    // Risky users: one row per person with detections, plus accounts the directory no longer resolves.
    const byUser = new Map<string, SimDetection[]>();
    for (const detection of this.detections) {
      const list = byUser.get(detection.user.objectId);
      if (list) list.push(detection);
      else byUser.set(detection.user.objectId, [detection]);
    }
    const rows: RiskyUserRow[] = [];
    for (const person of population.people) {
      const list = byUser.get(person.objectId);
      if (list) rows.push(riskyUserOf(person, list));
    }
    const orphans = orphanRiskyUsers(this.rng, this.window);
    this.orphanIds = orphans.map((row) => row.id);
    rows.push(...orphans);
    rows.sort((a, b) => b.riskLastUpdated - a.riskLastUpdated || (a.id < b.id ? -1 : 1));
    for (const row of rows) put('riskyUsers', series.riskyUsers, row.id, pageRecordText(graphRiskyUser(row)));

    // Alerts and the incidents that group them, newest first.
    const incidents = buildIncidents(this.alerts, this.rng);
    const alerts = [...this.alerts].sort((a, b) => b.created - a.created || (a.id < b.id ? -1 : 1));
    for (const alert of alerts) put('alerts', series.alerts, alert.id, pageRecordText(graphAlert(alert, population)));
    for (const incident of [...incidents].sort((a, b) => b.created - a.created || b.id - a.id))
      put('incidents', series.incidents, String(incident.id), pageRecordText(xdrIncident(incident, population)));

    this.files = [];
    for (const table of Object.keys(TABLE_FILES) as TableKey[]) {
      this.files.push(...series[table].finish());
      // The Log Analytics export of older interactive sign-ins exists only when some days are older than the Graph ones.
      if (table === 'signIns' && !signInLogs.isEmpty) this.files.push(...signInLogs.finish());
    }
    this.files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    yield* ops.splice(0);
    this.finished = true;
    const truth = this.groundTruth();
    yield { type: 'write', file: GROUND_TRUTH_FILE, encoding: 'utf8', text: `${JSON.stringify(truth, null, 2)}\n` };
    yield { type: 'close', file: GROUND_TRUTH_FILE };
    yield { type: 'write', file: README_FILE, encoding: 'utf8', text: workspaceReadme(truth) };
    yield { type: 'close', file: README_FILE };
  }

  /** The ground truth; complete once `run()` has finished. */
  groundTruth(): WorkspaceTruth {
    if (!this.finished) throw new Error('the ground truth is known once the run has finished');
    const population = this.population;
    const window = this.window;
    const storyAlertIds = new Set(
      [...this.planted.stories, ...this.planted.background].flatMap((s) => s.records.filter((r) => r.table === 'alerts').map((r) => r.id)),
    );
    const storyDetectionIds = new Set(this.planted.stories.flatMap((s) => s.records.filter((r) => r.table === 'riskDetections').map((r) => r.id)));
    const noiseDetections = this.detections.filter((d) => !storyDetectionIds.has(d.id));
    const noiseAlerts = this.alerts.filter((a) => !storyAlertIds.has(a.id));
    for (const address of population.tenant.networks.all())
      if (!isDocumentationAddress(address.ip)) throw new Error(`generated a non-documentation address ${address.ip}`);
    return {
      generator: 'Sightline export simulator (shared/simulate/workspace.ts)',
      options: { ...this.options, end: graphTime(this.options.end) },
      window: { start: graphTime(window.start), end: graphTime(window.end) },
      tenant: {
        tenantId: population.tenant.tenantId,
        displayName: population.tenant.displayName,
        domain: population.tenant.domain,
        workspaceId: population.workspaceId,
        onPremDomain: { netbios: population.ad.netbios, dnsDomain: population.ad.dnsDomain, domainSid: population.ad.domainSid },
        userCount: population.people.length,
      },
      files: this.files,
      counts: { ...this.counts },
      totals: {
        records: Object.values(this.counts).reduce((a, b) => a + b, 0),
        routineActivities: this.routineActivities,
        bytes: this.files.reduce((sum, file) => sum + file.bytes, 0),
      },
      idFields: ID_FIELDS,
      stories: this.planted.stories.map((story) => ({ ...story, start: graphTime(story.start), end: graphTime(story.end) })),
      background: this.planted.background,
      noise: {
        description:
          'Everyday noise: unfamiliar-sign-in and anonymizer detections on trips, cafés and consumer VPNs (remediated by MFA in the pilot, dismissed, or left open), low Identity Protection and Cloud Apps alerts that fire for many users, and impossible-travel false positives on VPNs.',
        detectionIds: noiseDetections.map((d) => d.id),
        lowAlertIds: noiseAlerts.filter((a) => a.classification !== 'falsePositive').map((a) => a.id),
        falsePositiveAlertIds: noiseAlerts.filter((a) => a.classification === 'falsePositive').map((a) => a.id),
        userIds: [...new Set([...noiseDetections.map((d) => d.user.objectId), ...noiseAlerts.flatMap((a) => a.users.map((u) => u.person.objectId))])].sort(),
      },
      orphanRiskyUserIds: this.orphanIds,
      people: population.people.map((person) => ({
        userId: person.objectId,
        userPrincipalName: person.userPrincipalName,
        previousUserPrincipalName: person.rename?.previousUpn ?? null,
        renamedAt: person.rename ? graphTime(person.rename.at) : null,
        displayName: person.displayName,
        department: person.department,
        jobTitle: person.jobTitle,
        country: person.office.countryOrRegion,
        office: person.office.city,
        hybrid: person.hybrid,
        sid: person.sid || null,
        samAccount: person.hybrid ? `${population.ad.netbios}\\${person.samAccountName}` : null,
        role: person.role,
        directoryRoles: person.directoryRoles,
      })),
      serviceAccounts: population.serviceAccounts.map((account) => ({
        samAccount: `${population.ad.netbios}\\${account.samAccountName}`,
        sid: account.sid,
        server: account.server.fqdn,
      })),
      workloads: population.workloads.map((w) => ({
        servicePrincipalId: w.servicePrincipalId,
        appId: w.appId,
        displayName: w.displayName,
        kind: w.kind,
        credential: w.credential,
      })),
    };
  }
}

export interface WorkspaceFile {
  path: string;
  encoding: Encoding;
  content: string;
}

export interface Workspace {
  files: WorkspaceFile[];
  groundTruth: WorkspaceTruth;
}

/** Runs a simulation in memory (for tests and small workspaces such as the demo). */
export function generateWorkspace(options: WorkspaceOptions = {}): Workspace {
  const simulation = new Simulation(options);
  const texts = new Map<string, { encoding: Encoding; parts: string[] }>();
  for (const op of simulation.run()) {
    if (op.type === 'progress') continue;
    let entry = texts.get(op.file);
    if (!entry) {
      entry = { encoding: op.type === 'write' ? op.encoding : 'utf8', parts: [] };
      texts.set(op.file, entry);
    }
    if (op.type === 'write') entry.parts.push(op.text);
  }
  const files = [...texts.entries()]
    .map(([path, entry]) => ({ path, encoding: entry.encoding, content: entry.parts.join('') }))
    .sort((a, b) => (a.path < b.path ? -1 : 1));
  return { files, groundTruth: simulation.groundTruth() };
}

export function workspaceReadme(truth: WorkspaceTruth): string {
  const files = truth.files.map((file) => `| \`${file.path}\` | ${file.format} | ${file.records} | ${file.bytes} |`).join('\n');
  const stories = truth.stories
    .map(
      (story, i) =>
        `${i + 1}. **${story.title}** (\`${story.scenario}\`, ${story.verdict}): ${story.user.userPrincipalName}. ${story.description} *Expected:* ${story.expectation}.`,
    )
    .join('\n');
  const o = truth.options;
  const extra = [
    o.end !== graphTime(DEFAULT_OPTIONS.end) ? ` --end ${o.end}` : '',
    o.maxFileBytes !== DEFAULT_OPTIONS.maxFileBytes ? ` --max-file-mb ${o.maxFileBytes / 1024 / 1024}` : '',
    o.graphSignInDays !== DEFAULT_OPTIONS.graphSignInDays ? ` --graph-days ${o.graphSignInDays}` : '',
  ].join('');
  return `# Simulated export folder

**Generated, fictional data.** Made by \`npm run simulate -- --seed ${String(o.seed)} --users ${o.users} --days ${o.days} --events ${o.events}${extra}\`
(scripts/simulate.ts over shared/simulate/workspace.ts). The same options always give byte-identical files.

The tenant **${truth.tenant.displayName}** (\`${truth.tenant.domain}\`, on-prem \`${truth.tenant.onPremDomain.netbios}\` / \`${truth.tenant.onPremDomain.dnsDomain}\`),
its ${truth.tenant.userCount} people, devices and identifiers are invented. Public addresses come only from the documentation ranges
(192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24, 2001:db8::/32); on-prem machines use private 10.0.0.0/8 addresses. The files copy the
*shape* (field names, order, encodings) of real exports, never their data.

Window: ${truth.window.start} to ${truth.window.end}. \`${GROUND_TRUTH_FILE}\` is the answer key (not an export): every story's record ids, the
expected incident grouping, the noise, the people and their identifiers.

| file | format | records | bytes |
| --- | --- | --- | --- |
${files}

## Stories

${stories}

Around them: working days and weekends in each person's time zone, trips, cafés and consumer VPNs that raise low detections and alerts
(most cleared), a pen test closed as expected activity, a brute-force false positive, renamed accounts whose older records carry the old UPN,
service principals and managed identities signing in with empty user fields, and on-prem service accounts.
`;
}
