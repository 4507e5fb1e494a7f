/**
 * Everyday activity of one person on one UTC day, at whatever volume the allocation asks for:
 * interactive and non-interactive sign-ins, cloud-app file activity, mailbox activity, on-prem
 * logons, directory queries and changes, directory audits; and the organic noise that comes with
 * travel, cafés and consumer VPNs (low risk detections, low alerts, a false positive now and then).
 *
 * Everything a person-day produces comes from that person-day's own fork of the generator.
 */
import { alertUser, makeAlert, type AlertRecord } from './alerts.ts';
import {
  apps,
  riskEventTypes,
  signInErrors,
  successDetails,
  type AppDef,
  type AppKey,
  type RiskEventTypeKey,
  type RiskLevel,
  type SignInError,
} from './catalog.ts';
import {
  appClient,
  backgroundApps,
  CLOUD_APPS,
  type AccountRef,
  type CloudAppDef,
  type CloudAppEvent,
  type DirectoryAuditEvent,
  type LogonEvent,
  type MailboxEvent,
  type MdiDirectoryEvent,
  type QueryEvent,
  type SimDetection,
  type SimSignIn,
  type WorkloadSignInEvent,
} from './events.ts';
import type { Network } from './network.ts';
import { identityAt, siteDc, type Host, type Population, type ServiceAccount, type SimPerson, type Workload } from './population.ts';
import { dayStartMicros, localAt, sampleHour, stochasticRound, type Contexts, type DayContext, type PersonDay } from './rhythm.ts';
import type { Rng } from './rng.ts';
import type { Device } from './tenant.ts';
import { DAY, HOUR, MINUTE, SECOND, type Micros, type TimeWindow } from './time.ts';
import type { AdditionalInfoEntry, AppliedPolicy, ClientInfo, ConditionalAccessResult, RequestContext } from './world.ts';
import { deviceClient } from './world.ts';

export interface SimCore {
  population: Population;
  window: TimeWindow;
  days: number;
  contexts: Contexts;
}

/** Everything one UTC day produces, by table. */
export interface DayEvents {
  signIns: SimSignIn[];
  nonInteractive: SimSignIn[];
  workload: WorkloadSignInEvent[];
  detections: SimDetection[];
  logons: LogonEvent[];
  queries: QueryEvent[];
  mdiDirectory: MdiDirectoryEvent[];
  cloudApp: CloudAppEvent[];
  mailbox: MailboxEvent[];
  audits: DirectoryAuditEvent[];
  alerts: AlertRecord[];
}

export function emptyDay(): DayEvents {
  return {
    signIns: [],
    nonInteractive: [],
    workload: [],
    detections: [],
    logons: [],
    queries: [],
    mdiDirectory: [],
    cloudApp: [],
    mailbox: [],
    audits: [],
    alerts: [],
  };
}

/** Events per table for one person-day (rounded at random around the allocation). */
export interface DayCounts {
  interactive: number;
  nonInteractive: number;
  cloudApp: number;
  mailbox: number;
  logon: number;
  query: number;
  mdiDirectory: number;
  audit: number;
}

// ---------------------------------------------------------------------------------------------
// Sign-ins and detections

const CA_PRECEDENCE: Record<ConditionalAccessResult, number> = {
  failure: 3,
  success: 2,
  notApplied: 1,
  notEnabled: 0,
  reportOnlySuccess: 0,
  reportOnlyFailure: 0,
  reportOnlyInterrupted: 0,
};

export interface SignInSpec {
  user: SimPerson;
  time: Micros;
  app: AppDef;
  network: Network;
  client: ClientInfo;
  interactive: boolean;
  error?: SignInError;
  mfa?: 'claim' | 'completed';
  policies?: AppliedPolicy[];
  correlationId?: string;
  sessionId?: string;
  origin: string;
}

const NO_POLICIES: AppliedPolicy[] = [];
/** Shared by every sign-in without a detection; `makeDetection` gives a sign-in its own list. */
const NO_DETECTIONS: SimDetection[] = [];
const SUCCESS_STATUS = {
  plain: { errorCode: 0, failureReason: null, additionalDetails: null },
  claim: { errorCode: 0, failureReason: null, additionalDetails: successDetails.mfaByClaim },
  completed: { errorCode: 0, failureReason: null, additionalDetails: successDetails.mfaCompleted },
} as const;

/** A sign-in record, as World.addSignIn makes them, without keeping it anywhere. Its nested objects may be shared: never mutate them. */
export function makeSignIn(r: Rng, spec: SignInSpec): SimSignIn {
  const policies = spec.policies ?? NO_POLICIES;
  let conditionalAccessStatus: SimSignIn['conditionalAccessStatus'] = 'notApplied';
  for (const applied of policies)
    if (CA_PRECEDENCE[applied.result] > CA_PRECEDENCE[conditionalAccessStatus])
      conditionalAccessStatus = applied.result as SimSignIn['conditionalAccessStatus'];
  const mfaError = spec.error?.errorCode === signInErrors.mfaRequired.errorCode || spec.error?.errorCode === signInErrors.mfaFailed.errorCode;
  return {
    id: r.guid(),
    correlationId: spec.correlationId ?? r.guid(),
    time: spec.time,
    user: spec.user,
    app: spec.app,
    network: spec.network,
    client: spec.client,
    status: spec.error ?? SUCCESS_STATUS[spec.mfa ?? 'plain'],
    authenticationRequirement: spec.mfa || mfaError ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
    conditionalAccessStatus,
    appliedPolicies: policies,
    isInteractive: spec.interactive,
    origin: spec.origin,
    detections: NO_DETECTIONS,
    sessionId: spec.sessionId ?? '',
  };
}

export interface DetectionSpec {
  user: SimPerson;
  type: RiskEventTypeKey;
  level: RiskLevel;
  signIn?: SimSignIn;
  request?: RequestContext;
  activityTime?: Micros;
  detectedTime?: Micros;
  extraInfo?: AdditionalInfoEntry[];
  origin: string;
}

function detectionDelay(r: Rng, timing: 'realtime' | 'nearRealtime' | 'offline'): Micros {
  if (timing === 'realtime') return r.int(4 * SECOND, 3 * MINUTE);
  if (timing === 'nearRealtime') return r.int(2 * MINUTE, 20 * MINUTE);
  return r.int(90 * MINUTE, 7 * 60 * MINUTE);
}

/** A risk detection, at risk until settled; attached to its sign-in when it has one. */
export function makeDetection(r: Rng, spec: DetectionSpec, window: TimeWindow): SimDetection {
  const def = riskEventTypes[spec.type];
  const request: RequestContext | null = spec.signIn
    ? { requestId: spec.signIn.id, correlationId: spec.signIn.correlationId, network: spec.signIn.network, userAgent: spec.signIn.client.userAgent }
    : (spec.request ?? null);
  const activityTime = spec.activityTime ?? spec.signIn?.time;
  if (activityTime === undefined) throw new Error(`${def.type} detection needs an activity time`);
  const detectedTime = Math.min(window.end, spec.detectedTime ?? activityTime + detectionDelay(r, def.timing));
  const detection: SimDetection = {
    id: r.hex(64),
    user: spec.user,
    def,
    riskLevel: spec.level,
    riskState: 'atRisk',
    riskDetail: 'none',
    source: 'IdentityProtection',
    tokenIssuerType: 'AzureAD',
    signIn: spec.signIn ?? null,
    request,
    activityTime,
    detectedTime,
    lastUpdatedTime: detectedTime,
    extraInfo: spec.extraInfo ?? [],
    origin: spec.origin,
  };
  if (spec.signIn) {
    if (spec.signIn.detections === NO_DETECTIONS) spec.signIn.detections = [];
    spec.signIn.detections.push(detection);
  }
  return detection;
}

/** Settles a detection at `at` when that is inside the window; otherwise it stays open. */
export function settleDetection(
  detection: SimDetection,
  state: SimDetection['riskState'],
  detail: SimDetection['riskDetail'],
  at: Micros,
  window: TimeWindow,
): boolean {
  const when = Math.max(at, detection.detectedTime);
  if (when > window.end) return false;
  detection.riskState = state;
  detection.riskDetail = detail;
  detection.lastUpdatedTime = when;
  return true;
}

export const UNFAMILIAR_REASONS: AdditionalInfoEntry[] = [
  { Key: 'riskReasons', Value: ['UnfamiliarASN', 'UnfamiliarBrowser', 'UnfamiliarDevice', 'UnfamiliarIP', 'UnfamiliarLocation'] },
];

// ---------------------------------------------------------------------------------------------
// Where and on what

/** The network a person uses at a local hour of a day context. */
export function networkAt(ctx: DayContext, person: SimPerson, hour: number, form: 'computer' | 'phone', r: Rng): Network {
  const roll = r.next();
  if (ctx.trip) return form === 'phone' && roll < 0.15 ? person.mobileNetwork : ctx.trip.hotel;
  const working = (ctx.kind === 'work' || ctx.kind === 'trip') && hour >= ctx.start && hour < ctx.end;
  if (!working && ctx.vpn && hour >= 19 && form === 'computer') return ctx.vpn;
  if (working && ctx.inOffice)
    return form === 'phone' && roll < 0.3
      ? person.mobileNetwork
      : (person.officeNetworks[Math.floor(r.next() * person.officeNetworks.length)] ?? person.homeNetwork);
  if (working && ctx.cafe) return form === 'phone' && roll < 0.3 ? person.mobileNetwork : ctx.cafe;
  return form === 'phone' && roll < 0.3 ? person.mobileNetwork : person.homeNetwork;
}

function formAt(ctx: DayContext, hour: number, r: Rng): 'computer' | 'phone' {
  const working = (ctx.kind === 'work' || ctx.kind === 'trip') && hour >= ctx.start && hour < ctx.end;
  const phoneRate = ctx.kind === 'vacation' ? 0.9 : ctx.kind === 'weekend' || ctx.kind === 'off' ? 0.6 : working ? 0.18 : 0.45;
  return r.chance(phoneRate) ? 'phone' : 'computer';
}

const clients = new WeakMap<Device, Map<string, ClientInfo>>();

/** The client a device presents for an app: one shared (read-only) object per device and app. */
export function clientFor(device: Device, app: AppDef): ClientInfo {
  let byApp = clients.get(device);
  if (!byApp) {
    byApp = new Map();
    clients.set(device, byApp);
  }
  let client = byApp.get(app.key);
  if (!client) {
    client =
      app.key === 'windowsSignIn' || app.key === 'oneDriveSync'
        ? {
            deviceId: device.deviceId,
            displayName: device.displayName,
            operatingSystem: device.operatingSystem,
            isCompliant: device.isCompliant,
            isManaged: device.isManaged,
            trustType: device.trustType,
            ...appClient(app, device.operatingSystem),
          }
        : deviceClient(device, app);
    byApp.set(app.key, client);
  }
  return client;
}

function pickApp(r: Rng, person: SimPerson, form: 'computer' | 'phone'): AppDef {
  const allowed = person.apps.filter(([key]) => {
    const app = apps[key];
    if (form === 'phone') return app.client === 'mobile' || (app.client === 'browser' && key !== 'azurePortal' && key !== 'officeShell');
    return app.client === 'browser' || app.client === 'desktop';
  });
  const key: AppKey = allowed.length > 0 ? r.weighted(allowed) : 'exchangeOnline';
  return apps[key];
}

/** A time inside UTC hour `hour` of the day. */
function timeIn(dayStart: Micros, hour: number, r: Rng): Micros {
  return dayStart + hour * HOUR + r.int(0, HOUR - 1);
}

// ---------------------------------------------------------------------------------------------
// The person-day

interface Attempt {
  time: Micros;
  ctx: DayContext;
  hour: number;
  form: 'computer' | 'phone';
  network: Network;
  app: AppDef;
}

type Hook = 'arrival' | 'vpn' | 'cafe' | 'mobile';

/** Generates one person's day into `out`; noise alerts go to `out.alerts`. */
export function generatePersonDay(core: SimCore, person: SimPerson, day: number, pd: PersonDay, counts: DayCounts, out: DayEvents, r: Rng): void {
  const { window } = core;
  const dayStart = dayStartMicros(window, day);
  const plan = core.contexts.plan(person);
  const origin = 'routine';

  const sample = (kind: 'work' | 'background' | 'onprem'): { time: Micros; ctx: DayContext; hour: number } | null => {
    const h = sampleHour(r, pd.hourly[kind], pd.totals[kind]);
    if (h < 0) return null;
    const time = timeIn(dayStart, h, r);
    if (time < window.start || time > window.end) return null;
    const ctx = pd.contextOfHour[h] as DayContext;
    return { time, ctx, hour: localAt(window, ctx.place, time).hour };
  };

  // Interactive sign-ins: attempts first, in time order, so the first one from a new place is known.
  const attempts: Attempt[] = [];
  for (let i = 0; i < counts.interactive; i++) {
    const at = sample('work');
    if (!at) continue;
    const form = formAt(at.ctx, at.hour, r);
    const network = networkAt(at.ctx, person, at.hour, form, r);
    attempts.push({ ...at, form, network, app: pickApp(r, person, form) });
  }
  attempts.sort((a, b) => a.time - b.time);
  const hooked = new Set<Hook>();
  // Carrier-grade NAT hands phones addresses Identity Protection has not seen: a little low noise for everyone.
  if (plan.quiet || !r.chance(0.06)) hooked.add('mobile');
  for (const attempt of attempts) {
    const who = identityAt(person, attempt.time);
    const device = attempt.form === 'phone' ? person.phone : person.computer;
    const client = clientFor(device, attempt.app);
    let hook: Hook | null = null;
    if (!plan.quiet) {
      if (attempt.ctx.arrival && attempt.network === attempt.ctx.trip?.hotel && !hooked.has('arrival')) hook = 'arrival';
      else if (attempt.ctx.vpn && attempt.network === attempt.ctx.vpn && !hooked.has('vpn')) hook = 'vpn';
      else if (attempt.ctx.cafe && attempt.network === attempt.ctx.cafe && !hooked.has('cafe')) hook = 'cafe';
      else if (attempt.network === person.mobileNetwork && !hooked.has('mobile')) hook = 'mobile';
    }
    if (hook) hooked.add(hook);
    interactiveSignIn(core, r, who, attempt, client, hook, out, origin);
  }

  // Non-interactive: token refreshes of the day's desktop and phone sessions.
  const sessions = { computer: r.guid(), phone: r.guid() };
  const correlations = { computer: r.guid(), phone: r.guid() };
  for (let i = 0; i < counts.nonInteractive; i++) {
    const at = sample('background');
    if (!at) continue;
    const working = (at.ctx.kind === 'work' || at.ctx.kind === 'trip') && at.hour >= at.ctx.start && at.hour < at.ctx.end;
    const form = working ? (r.chance(0.75) ? 'computer' : 'phone') : r.chance(0.8) ? 'phone' : 'computer';
    const network = networkAt(at.ctx, person, at.hour, form, r);
    const device = form === 'phone' ? person.phone : person.computer;
    const app: AppDef =
      form === 'phone'
        ? r.weighted<AppDef>([
            [backgroundApps.outlookMobile, 3],
            [backgroundApps.teamsMobile, 2],
          ])
        : r.weighted<AppDef>([
            [backgroundApps.windowsSignIn, 3],
            [backgroundApps.teams, 3],
            [backgroundApps.officeDesktop, 3],
            [backgroundApps.oneDriveSync, 2],
          ]);
    const client = clientFor(device, app);
    const roll = r.next();
    const error: SignInError | undefined = roll < 0.005 ? REFRESH_ERRORS.expired : roll < 0.01 ? REFRESH_ERRORS.frequency : undefined;
    out.nonInteractive.push(
      makeSignIn(r, {
        user: identityAt(person, at.time),
        time: at.time,
        app,
        network,
        client,
        interactive: false,
        ...(error ? { error } : { mfa: 'claim' as const }),
        correlationId: correlations[form],
        sessionId: sessions[form],
        origin,
      }),
    );
  }

  for (let i = 0; i < counts.cloudApp; i++) {
    const at = sample('work');
    if (!at) continue;
    const form = r.chance(0.82) ? 'computer' : 'phone';
    out.cloudApp.push(cloudAppEvent(core, r, identityAt(person, at.time), at.time, networkAt(at.ctx, person, at.hour, form, r), form, origin));
  }

  for (let i = 0; i < counts.mailbox; i++) {
    const at = sample('work');
    if (!at) continue;
    const form = formAt(at.ctx, at.hour, r);
    out.mailbox.push(mailboxEvent(core, r, identityAt(person, at.time), at.time, networkAt(at.ctx, person, at.hour, form, r), form, origin));
  }

  if (person.hybrid) {
    for (let i = 0; i < counts.logon; i++) {
      const at = sample('onprem');
      if (!at) continue;
      out.logons.push(personLogon(core, r, person, at.time, origin));
    }
    for (let i = 0; i < counts.query; i++) {
      const at = sample('onprem');
      if (!at) continue;
      out.queries.push(personQuery(core, r, person, at.time, origin));
    }
    for (let i = 0; i < counts.mdiDirectory; i++) {
      const at = sample('onprem');
      if (!at) continue;
      out.mdiDirectory.push(personDirectoryChange(core, r, person, at.time, origin));
    }
  }

  for (let i = 0; i < counts.audit; i++) {
    const at = sample('work');
    if (!at) continue;
    out.audits.push(routineAudit(core, r, person, at.time, at.ctx, origin));
  }
}

const REFRESH_ERRORS = {
  expired: { errorCode: 50133, failureReason: 'Session is invalid due to expiration or recent password change.', additionalDetails: null },
  frequency: {
    errorCode: 70044,
    failureReason: 'The session has expired or is invalid due to sign-in frequency checks by conditional access.',
    additionalDetails: null,
  },
} as const satisfies Record<string, SignInError>;

/** One interactive sign-in with its everyday mishaps, and the organic risk of a first sign-in from somewhere new. */
function interactiveSignIn(
  core: SimCore,
  r: Rng,
  person: SimPerson,
  attempt: Attempt,
  client: ClientInfo,
  hook: Hook | null,
  out: DayEvents,
  origin: string,
): void {
  const { window } = core;
  const policies = core.population.tenant.policies;
  const { app, network } = attempt;
  const correlationId = r.guid();
  let t = attempt.time;
  // What Identity Protection says about it, decided first because it drives Conditional Access.
  const planned: { type: RiskEventTypeKey; level: RiskLevel }[] = [];
  const roll = r.next();
  const level: RiskLevel = r.chance(0.75) ? 'low' : 'medium';
  if (hook === 'arrival' && roll < 0.65) planned.push({ type: 'unfamiliarFeatures', level });
  if (hook === 'vpn' && roll < 0.55) planned.push({ type: 'anonymizedIPAddress', level });
  if ((hook === 'cafe' && roll < 0.2) || hook === 'mobile') planned.push({ type: 'unfamiliarFeatures', level: 'low' });
  const add = (signIn: SimSignIn) => {
    out.signIns.push(signIn);
    return signIn;
  };
  let success: SimSignIn | null = null;
  const remediateByMfa = planned.length > 0 && person.riskPolicyPilot;
  if (remediateByMfa) {
    const pilot = [{ policy: policies.riskySignInPilot, result: 'success' as const }];
    if (r.chance(0.5)) {
      add(
        makeSignIn(r, {
          user: person,
          time: t,
          app,
          network,
          client,
          interactive: true,
          error: signInErrors.mfaRequired,
          policies: pilot,
          correlationId,
          origin,
        }),
      );
      t += r.int(15 * SECOND, 70 * SECOND);
    }
    success = add(makeSignIn(r, { user: person, time: t, app, network, client, interactive: true, mfa: 'completed', policies: pilot, correlationId, origin }));
  } else {
    const adminPortal = app.key === 'azurePortal';
    const caPolicies = adminPortal ? [{ policy: policies.mfaForAzureManagement, result: 'success' as const }] : [];
    const mishap = r.next();
    if (mishap < 0.03) {
      add(makeSignIn(r, { user: person, time: t, app, network, client, interactive: true, error: signInErrors.invalidPassword, correlationId, origin }));
      t += r.int(10 * SECOND, 90 * SECOND);
    } else if (mishap < 0.05 && app.client === 'browser') {
      add(
        makeSignIn(r, {
          user: person,
          time: t,
          app,
          network,
          client,
          interactive: true,
          error: signInErrors.keepMeSignedIn,
          policies: caPolicies,
          correlationId,
          origin,
        }),
      );
      t += r.int(3 * SECOND, 15 * SECOND);
    } else if (mishap < 0.066 || (adminPortal && r.chance(0.3))) {
      add(
        makeSignIn(r, {
          user: person,
          time: t,
          app,
          network,
          client,
          interactive: true,
          error: signInErrors.mfaRequired,
          policies: caPolicies,
          correlationId,
          origin,
        }),
      );
      t += r.int(15 * SECOND, 60 * SECOND);
      if (r.chance(0.2)) {
        add(
          makeSignIn(r, {
            user: person,
            time: t,
            app,
            network,
            client,
            interactive: true,
            error: signInErrors.mfaFailed,
            policies: caPolicies,
            correlationId,
            origin,
          }),
        );
        return;
      }
      success = add(
        makeSignIn(r, { user: person, time: t, app, network, client, interactive: true, mfa: 'completed', policies: caPolicies, correlationId, origin }),
      );
    }
    if (!success) {
      const mfa = adminPortal ? 'claim' : r.chance(0.1) ? 'claim' : undefined;
      success = add(
        makeSignIn(r, { user: person, time: t, app, network, client, interactive: true, ...(mfa ? { mfa } : {}), policies: caPolicies, correlationId, origin }),
      );
    }
  }
  if (!success || planned.length === 0 || success.time > window.end) return;

  const noise = `${origin}:noise`;
  for (const plan of planned) {
    const detection = makeDetection(
      r,
      {
        user: person,
        type: plan.type,
        level: plan.level,
        signIn: success,
        detectedTime: success.time + r.int(2 * SECOND, 40 * SECOND),
        extraInfo: plan.type === 'unfamiliarFeatures' ? UNFAMILIAR_REASONS : [],
        origin: noise,
      },
      window,
    );
    if (remediateByMfa)
      settleDetection(detection, 'remediated', 'userPassedMFADrivenByRiskBasedPolicy', detection.detectedTime + r.int(SECOND, 20 * SECOND), window);
    else settleNoiseDetection(r, detection, window);
    out.detections.push(detection);
    // Identity Protection raises a low alert for many of these: the noise that fires for many users.
    if (plan.type === 'unfamiliarFeatures' && r.chance(0.5)) {
      const settled = detection.riskState !== 'atRisk';
      out.alerts.push(
        makeAlert(
          r,
          {
            key: 'idpUnfamiliar',
            users: [alertUser(person, { showSid: false })],
            firstActivity: success.time,
            created: detection.detectedTime + r.int(SECOND, 5 * MINUTE),
            severity: 'low',
            status: settled ? 'resolved' : 'new',
            ...(settled
              ? { resolvedAt: detection.lastUpdatedTime, classification: 'informationalExpectedActivity' as const, determination: 'confirmedUserActivity' }
              : {}),
            ips: [{ ip: network.ip, country: network.place.countryOrRegion }],
            incidentKey: `noise:${detection.id}`,
            providerAlertId: detection.id,
            origin: noise,
          },
          window.end,
        ),
      );
    }
  }
  // Cloud Apps: a low alert when the country is new for the person, and now and then an impossible-travel false positive on a VPN.
  if (hook === 'arrival' && network.place.countryOrRegion !== person.office.countryOrRegion && r.chance(0.6)) {
    out.alerts.push(
      makeAlert(
        r,
        {
          key: 'mdcaInfrequentCountry',
          users: [alertUser(person, { showSid: false })],
          firstActivity: success.time,
          severity: 'low',
          status: r.chance(0.7) ? 'resolved' : 'new',
          classification: 'informationalExpectedActivity',
          determination: 'confirmedUserActivity',
          ips: [{ ip: network.ip, country: network.place.countryOrRegion }],
          incidentKey: `noise:country:${person.objectId}:${success.id}`,
          origin: noise,
        },
        window.end,
      ),
    );
  }
  if ((hook === 'vpn' && r.chance(0.5)) || (hook === 'arrival' && r.chance(0.1))) {
    out.alerts.push(
      makeAlert(
        r,
        {
          key: 'mdcaImpossibleTravel',
          users: [alertUser(person, { showSid: false })],
          firstActivity: success.time - r.int(HOUR, 3 * HOUR),
          lastActivity: success.time,
          severity: 'medium',
          status: 'resolved',
          classification: 'falsePositive',
          determination: 'notMalicious',
          ips: [{ ip: network.ip, country: network.place.countryOrRegion }],
          incidentKey: `noise:travel:${success.id}`,
          origin: `${origin}:falsePositive`,
        },
        window.end,
      ),
    );
  }
}

/** How the SOC or the user settles an organic detection: dismissed, remediated, confirmed safe by AI, or left open. */
function settleNoiseDetection(r: Rng, detection: SimDetection, window: TimeWindow): void {
  const outcome = r.weighted<'adminDismiss' | 'passwordChange' | 'aiSafe' | 'open'>([
    ['adminDismiss', 45],
    ['passwordChange', 15],
    ['aiSafe', 20],
    ['open', 20],
  ]);
  if (outcome === 'open') return;
  if (outcome === 'aiSafe') {
    if (detection.def.timing === 'realtime')
      settleDetection(detection, 'dismissed', 'aiConfirmedSigninSafe', detection.detectedTime + r.int(MINUTE, 40 * MINUTE), window);
    return;
  }
  const at = detection.detectedTime + r.int(3 * HOUR, 3 * DAY);
  if (outcome === 'adminDismiss') settleDetection(detection, 'dismissed', 'adminDismissedAllRiskForUser', at, window);
  else settleDetection(detection, 'remediated', 'userPerformedSecuredPasswordChange', at, window);
}

// ---------------------------------------------------------------------------------------------
// Cloud apps and mailbox

const FILE_ACTIONS: readonly (readonly [string, string, number])[] = [
  ['FileAccessed', 'Basic', 38],
  ['FilePreviewed', 'Basic', 14],
  ['FileModified', 'Edit', 15],
  ['FileUploaded', 'Upload', 8],
  ['FileDownloaded', 'Download', 10],
  ['FileSyncDownloadedFull', 'Download', 4],
  ['PageViewed', 'Basic', 7],
  ['SharingSet', 'Share', 2],
  ['FileDeleted', 'Delete', 2],
];
const TEAMS_ACTIONS: readonly (readonly [string, string, number])[] = [
  ['MessagesListed', 'Basic', 5],
  ['TeamsSessionStarted', 'Basic', 3],
  ['ChatCreated', 'Basic', 1],
];

/** The URL of a document in a person's departmental site or OneDrive. */
export function documentUrl(population: Population, person: SimPerson, app: CloudAppDef, file: string): string {
  if (app.workload === 'OneDrive') {
    const local = (person.userPrincipalName.split('@')[0] ?? '').replace(/\./g, '_');
    return `https://${population.sharePointHost.replace('.sharepoint.com', '-my.sharepoint.com')}/personal/${local}_${population.tenant.domain.replace(/\./g, '_')}/Documents/${file}`;
  }
  return `https://${population.sharePointHost}/sites/${person.site}/Shared Documents/${file}`;
}

export function cloudAppEvent(
  core: SimCore,
  r: Rng,
  person: SimPerson,
  time: Micros,
  network: Network,
  form: 'computer' | 'phone',
  origin: string,
): CloudAppEvent {
  const app: CloudAppDef = r.weighted<CloudAppDef>([
    [CLOUD_APPS.sharePoint, 45],
    [CLOUD_APPS.oneDrive, 35],
    [CLOUD_APPS.teams, 20],
  ]);
  const [action, activityType] = app.workload === 'MicrosoftTeams' ? weightedAction(r, TEAMS_ACTIONS) : weightedAction(r, FILE_ACTIONS);
  const file = r.pick(person.documents);
  const device = form === 'phone' ? person.phone : person.computer;
  const client = clientFor(device, apps.sharePointOnline);
  const objectName = app.workload === 'MicrosoftTeams' ? (action === 'TeamsSessionStarted' ? '' : `${person.site} team chat`) : file;
  const auditRecordId = r.guid();
  return {
    kind: 'cloudApp',
    id: cloudReportId(core, app, auditRecordId),
    auditId: auditRecordId,
    time,
    person,
    app,
    action,
    activityType,
    objectName,
    objectUrl: app.workload === 'MicrosoftTeams' ? '' : documentUrl(core.population, person, app, file),
    network,
    client,
    deviceType: form === 'phone' ? 'Mobile' : 'Desktop',
    uncommon: [],
    origin,
  };
}

function weightedAction(r: Rng, table: readonly (readonly [string, string, number])[]): [string, string] {
  const entry = r.weighted(table.map((row) => [row, row[2]] as const));
  return [entry[0], entry[1]];
}

const SEARCH_TERMS = ['meeting notes', 'Q3 budget', 'invoice', 'travel', 'offsite', 'contract', 'roadmap', 'expenses'];
const MAIL_OPS: readonly (readonly [string, number])[] = [
  ['MailItemsAccessed', 62],
  ['Send', 14],
  ['MoveToDeletedItems', 10],
  ['Update', 6],
  ['SoftDelete', 4],
  ['SearchQueryInitiatedExchange', 3],
  ['New-InboxRule', 0.3],
];

/** The unified-audit-log record types of the mailbox operations (numbers as in AuditData, names as in the CSV). */
export const MAIL_RECORD_TYPES: Record<string, readonly [number, string]> = {
  MailItemsAccessed: [50, 'ExchangeItemAggregated'],
  Send: [2, 'ExchangeItem'],
  Update: [2, 'ExchangeItem'],
  MoveToDeletedItems: [3, 'ExchangeItemGroup'],
  SoftDelete: [3, 'ExchangeItemGroup'],
  SearchQueryInitiatedExchange: [132, 'ExchangeSearch'],
  'New-InboxRule': [1, 'ExchangeAdmin'],
};

export function clientInfoString(form: 'computer' | 'phone', r: Rng): string {
  if (form === 'phone') return 'Client=REST;Client=RESTSystem;;';
  return r.chance(0.6) ? 'Client=MSExchangeRPC' : 'Client=OWA;Action=ViaProxy';
}

export function messageId(r: Rng): string {
  return `<${r.hex(16).toUpperCase()}@NWTPR${r.int(10, 99)}MB${r.int(1000, 9999)}.namprd${r.int(10, 20)}.prod.outlook.com>`;
}

export function mailboxEvent(
  core: SimCore,
  r: Rng,
  person: SimPerson,
  time: Micros,
  network: Network,
  form: 'computer' | 'phone',
  origin: string,
  forced?: { operation: string; details?: Record<string, unknown>; clientInfo?: string },
): MailboxEvent {
  const operation = forced?.operation ?? r.weighted(MAIL_OPS);
  const [recordType, recordTypeName] = MAIL_RECORD_TYPES[operation] ?? [2, 'ExchangeItem'];
  let details: Record<string, unknown>;
  switch (operation) {
    case 'MailItemsAccessed': {
      const count = r.int(1, 12);
      details = {
        OperationProperties: [
          { Name: 'MailAccessType', Value: r.chance(0.7) ? 'Bind' : 'Sync' },
          { Name: 'IsThrottled', Value: 'False' },
        ],
        Folders: [
          {
            FolderItems: Array.from({ length: Math.min(count, 3) }, () => ({ InternetMessageId: messageId(r), SizeInBytes: r.int(4_000, 180_000) })),
            Id: `LgAAAAA${r.hex(24).toUpperCase()}AAAB`,
            Path: r.pick(['\\Inbox', '\\Inbox', '\\Sent Items', '\\Archive']),
          },
        ],
        OperationCount: count,
      };
      break;
    }
    case 'Send':
    case 'Update':
      details = {
        Item: {
          Id: `RgAAAAA${r.hex(24).toUpperCase()}AAAJ`,
          InternetMessageId: messageId(r),
          ParentFolder: { Id: `LgAAAAA${r.hex(24).toUpperCase()}AAAB`, Path: operation === 'Send' ? '\\Sent Items' : '\\Inbox' },
          SizeInBytes: r.int(4_000, 90_000),
          Subject: r.pick(['Re: weekly sync', 'Updated numbers', 'Agenda', 'Follow-up', 'Quick question', 'Fwd: contract']),
        },
      };
      break;
    case 'MoveToDeletedItems':
    case 'SoftDelete':
      details = {
        AffectedItems: [
          {
            Id: `RgAAAAA${r.hex(24).toUpperCase()}AAAJ`,
            InternetMessageId: messageId(r),
            ParentFolder: { Id: `LgAAAAA${r.hex(24).toUpperCase()}AAAB`, Path: '\\Inbox' },
            Subject: r.pick(['Newsletter', 'Out of office', 'Reminder', 'Canceled: standup']),
          },
        ],
        CrossMailboxOperation: false,
        Folder: { Id: `LgAAAAA${r.hex(24).toUpperCase()}AAAB`, Path: '\\Inbox' },
      };
      break;
    case 'SearchQueryInitiatedExchange':
      details = { QueryText: r.pick(SEARCH_TERMS), QuerySource: 'Outlook', ScenarioName: 'Mail' };
      break;
    case 'New-InboxRule':
      details = {
        Parameters: [
          { Name: 'Name', Value: r.pick(['Newsletters', 'Receipts', 'Team updates']) },
          { Name: 'From', Value: `noreply@${r.pick(['vendor', 'travel', 'news'])}.example` },
          { Name: 'MoveToFolder', Value: 'Archive' },
          { Name: 'StopProcessingRules', Value: 'True' },
        ],
      };
      break;
    default:
      details = {};
  }
  if (forced?.details) details = forced.details;
  return {
    kind: 'mailbox',
    id: r.guid(),
    time,
    person,
    operation,
    recordType,
    recordTypeName,
    network,
    clientInfo: forced?.clientInfo ?? clientInfoString(form, r),
    appId: form === 'phone' ? apps.outlookMobile.appId : '00000002-0000-0ff1-ce00-000000000000',
    sessionId: r.guid(),
    details,
    origin,
  };
}

// ---------------------------------------------------------------------------------------------
// On-prem Active Directory

/** How a Defender for Identity row names a hybrid person: SID and `sam` always, UPN and object id when resolved. */
export function accountOf(core: SimCore, person: SimPerson, time: Micros, show?: { upn?: boolean; objectId?: boolean }): AccountRef {
  const who = identityAt(person, time);
  return {
    name: person.samAccountName,
    domain: core.population.ad.dnsDomain,
    upn: (show?.upn ?? person.mdiShowsUpn) ? who.userPrincipalName : '',
    sid: person.sid,
    objectId: (show?.objectId ?? person.mdiShowsObjectId) ? person.objectId : '',
    displayName: who.displayName,
  };
}

export function serviceAccountRef(core: SimCore, account: ServiceAccount): AccountRef {
  return { name: account.samAccountName, domain: core.population.ad.dnsDomain, upn: '', sid: account.sid, objectId: '', displayName: account.samAccountName };
}

const LOGON_KINDS: readonly (readonly [string, string, number, number])[] = [
  // logonType, protocol, destination port, weight
  ['Resource access', 'Kerberos', 88, 52],
  ['Credentials validation', 'Kerberos', 88, 14],
  ['Credentials validation', 'Ntlm', 445, 12],
  ['Interactive', 'Kerberos', 88, 8],
  ['Resource access', 'Ntlm', 445, 6],
  ['Credentials validation', 'LDAP', 389, 4],
];

/** A Defender for Identity `ReportId`: `<guid>_<tenant number>_<epoch ms>_20940` (20940: the Active Directory app). */
export function mdiReportId(core: SimCore, r: Rng, time: Micros): string {
  return `${r.guid()}_${core.population.tenantNumber}_${Math.floor(time / 1000)}_20940`;
}

/** A Cloud Apps `ReportId`: `<tenant number>_<app id>_<audit record id>`. */
export function cloudReportId(core: SimCore, app: CloudAppDef, auditRecordId: string): string {
  return `${core.population.tenantNumber}_${app.id}_${auditRecordId}`;
}

function ephemeralPort(r: Rng): number {
  return r.int(49152, 65535);
}

export function personLogon(core: SimCore, r: Rng, person: SimPerson, time: Micros, origin: string): LogonEvent {
  const { population } = core;
  const [logonType, protocol, destinationPort] = r.weighted(LOGON_KINDS.map((row) => [row, row[3]] as const));
  const admin = person.role === 'admin';
  const remote = admin && r.chance(0.08);
  const failed = r.chance(0.025);
  return {
    kind: 'logon',
    id: mdiReportId(core, r, time),
    time,
    account: accountOf(core, person, time),
    success: !failed,
    failureReason: failed
      ? r.weighted([
          ['WrongPassword', 8],
          ['AccountLocked', 1],
          ['UnknownUser', 1],
        ])
      : '',
    logonType: remote ? 'Remote desktop' : logonType,
    protocol: remote ? 'Kerberos' : protocol,
    device: person.workstation,
    destination: siteDc(population, person),
    destinationPort: remote ? 3389 : destinationPort,
    port: ephemeralPort(r),
    targetDevice: logonType === 'Resource access' || remote ? r.pick(population.ad.servers) : null,
    origin,
  };
}

export function serviceLogon(core: SimCore, r: Rng, account: ServiceAccount, time: Micros, origin: string): LogonEvent {
  const { population } = core;
  const ntlm = r.chance(0.2);
  return {
    kind: 'logon',
    id: mdiReportId(core, r, time),
    time,
    account: serviceAccountRef(core, account),
    success: true,
    failureReason: '',
    logonType: ntlm ? 'Credentials validation' : 'Resource access',
    protocol: ntlm ? 'Ntlm' : 'Kerberos',
    device: account.server,
    destination: population.ad.dcs[0] as Host,
    destinationPort: ntlm ? 445 : 88,
    port: ephemeralPort(r),
    targetDevice: ntlm ? null : r.pick(population.ad.servers),
    origin,
  };
}

const QUERY_KINDS: readonly (readonly [QueryEvent['action'], string, string, number])[] = [
  ['LDAP query', 'Find user', 'Ldap', 35],
  ['LDAP query', 'Group membership', 'Ldap', 20],
  ['SAMR query', 'QueryUser', 'Samr', 15],
  ['SAMR query', 'QueryGroup', 'Samr', 8],
  ['DNS query', 'A', 'Dns', 22],
];

export function personQuery(core: SimCore, r: Rng, person: SimPerson, time: Micros, origin: string): QueryEvent {
  const { population } = core;
  const [action, queryType, protocol] = r.weighted(QUERY_KINDS.map((row) => [row, row[3]] as const));
  const dc = siteDc(population, person);
  const base = `DC=${population.ad.dnsDomain.split('.').join(',DC=')}`;
  let queryTarget: string;
  let query: string;
  if (action === 'DNS query') {
    const server = r.pick(population.ad.servers);
    queryTarget = server.fqdn;
    query = server.fqdn;
  } else if (queryType === 'Group membership' || queryType === 'QueryGroup') {
    const group = `${person.site}-Members`;
    queryTarget = group;
    query =
      action === 'LDAP query' ? `Search Scope: WholeSubtree, Base Object:${base}, Search Filter:(&(objectClass=group)(cn=${group}))` : `QueryGroup ${group}`;
  } else {
    queryTarget = person.samAccountName;
    query =
      action === 'LDAP query'
        ? `Search Scope: WholeSubtree, Base Object:${base}, Search Filter:(&(objectCategory=person)(sAMAccountName=${person.samAccountName}))`
        : `QueryUser ${person.samAccountName}`;
  }
  return {
    kind: 'query',
    id: mdiReportId(core, r, time),
    time,
    account: accountOf(core, person, time),
    action,
    queryType,
    queryTarget,
    query,
    protocol,
    device: person.workstation,
    destination: dc,
    destinationPort: action === 'DNS query' ? 53 : action === 'SAMR query' ? 445 : 389,
    port: ephemeralPort(r),
    targetAccountUpn: '',
    targetAccountDisplayName: '',
    origin,
  };
}

export function personDirectoryChange(core: SimCore, r: Rng, person: SimPerson, time: Micros, origin: string): MdiDirectoryEvent {
  const { population } = core;
  const admin = person.role === 'admin';
  const target = admin ? r.pick(population.people) : person;
  const action = admin
    ? r.weighted([
        ['Group Membership changed', 5],
        ['Account Password changed', 2],
        ['Account Unlock', 1],
      ])
    : 'Account Password changed';
  const additional: Record<string, string> =
    action === 'Group Membership changed'
      ? { 'TO.GROUP': `${target.site}-Members`, 'ACTOR.ACCOUNT': person.displayName }
      : { 'ACTOR.ACCOUNT': person.displayName };
  return {
    kind: 'mdiDirectory',
    id: mdiReportId(core, r, time),
    time,
    account: accountOf(core, person, time),
    action,
    protocol: action === 'Account Password changed' && !admin ? 'Kerberos' : 'Ldap',
    device: person.workstation,
    destination: siteDc(population, person),
    destinationPort: action === 'Account Password changed' && !admin ? 464 : 389,
    port: ephemeralPort(r),
    targetAccountUpn: identityAt(target, time).userPrincipalName,
    targetAccountDisplayName: identityAt(target, time).displayName,
    targetDeviceName: '',
    additional,
    origin,
  };
}

// ---------------------------------------------------------------------------------------------
// Directory audits and workloads

const SELF_AUDITS: readonly (readonly [string, string, string, number])[] = [
  // activity, category, service, weight
  ['Update user', 'UserManagement', 'Core Directory', 3],
  ['Change user password', 'UserManagement', 'Core Directory', 1],
  ['User registered security info', 'UserManagement', 'Authentication Methods', 1],
  ['Add registered owner to device', 'Device', 'Core Directory', 1],
];
const ADMIN_AUDITS: readonly (readonly [string, string, string, number])[] = [
  ['Add member to group', 'GroupManagement', 'Core Directory', 5],
  ['Remove member from group', 'GroupManagement', 'Core Directory', 2],
  ['Update user', 'UserManagement', 'Core Directory', 3],
  ['Reset user password', 'UserManagement', 'Core Directory', 2],
];

/** A directory audit id as Entra writes them: `Directory_<correlation>_<5 letters>_<8 digits>`. */
export function auditId(r: Rng, correlationId: string): string {
  const letters = Array.from({ length: 5 }, () => String.fromCharCode(65 + r.int(0, 25))).join('');
  return `Directory_${correlationId}_${letters}_${r.int(10_000_000, 99_999_999)}`;
}

function routineAudit(core: SimCore, r: Rng, person: SimPerson, time: Micros, ctx: DayContext, origin: string): DirectoryAuditEvent {
  const who = identityAt(person, time);
  const admin = person.role === 'admin';
  const [activity, category, service] = r.weighted((admin ? ADMIN_AUDITS : SELF_AUDITS).map((row) => [row, row[3]] as const));
  const correlationId = r.guid();
  const target = admin ? identityAt(r.pick(core.population.people), time) : who;
  const ip = networkAt(ctx, person, localAt(core.window, ctx.place, time).hour, 'computer', r).ip;
  const isGroup = category === 'GroupManagement';
  const group = { id: r.guid(), displayName: `${target.site}-Members`, type: 'Group', userPrincipalName: null, modifiedProperties: [] };
  const user = {
    id: target.objectId,
    displayName: null,
    type: 'User',
    userPrincipalName: target.userPrincipalName,
    modifiedProperties: activity === 'Update user' ? [{ displayName: 'TelephoneNumber', oldValue: '[]', newValue: `["+1 555 01${r.int(10, 99)}"]` }] : [],
  };
  return {
    kind: 'directoryAudit',
    id: auditId(r, correlationId),
    time,
    category,
    correlationId,
    result: 'success',
    resultReason: '',
    activity,
    service,
    operationType: isGroup ? (activity.startsWith('Add') ? 'Assign' : 'Unassign') : 'Update',
    initiatedBy: { user: who, ipAddress: ip },
    targets: isGroup ? [group, user] : [user],
    additionalDetails: [{ key: 'User-Agent', value: deviceClient(person.computer, apps.azurePortal).userAgent }],
    origin,
  };
}

/** Workload sign-ins of one day: spread over all hours, a little busier in working hours, a failure now and then. */
export function generateWorkloadDay(core: SimCore, workload: Workload, day: number, count: number, out: DayEvents, r: Rng): void {
  const { window } = core;
  const dayStart = dayStartMicros(window, day);
  for (let i = 0; i < count; i++) {
    const hour = r.chance(0.3) ? r.int(8, 17) : r.int(0, 23);
    const time = timeIn(dayStart, hour, r);
    if (time < window.start || time > window.end) continue;
    const roll = r.next();
    out.workload.push({
      kind: 'workloadSignIn',
      id: r.guid(),
      time,
      workload,
      correlationId: r.guid(),
      errorCode: roll < 0.004 ? 7000215 : roll < 0.006 ? 7000222 : 0,
      origin: 'routine',
    });
  }
}

/** On-prem-only service accounts: resource access around the clock. */
export function generateServiceAccountDay(core: SimCore, account: ServiceAccount, day: number, count: number, out: DayEvents, r: Rng): void {
  const { window } = core;
  const dayStart = dayStartMicros(window, day);
  for (let i = 0; i < count; i++) {
    const time = timeIn(dayStart, r.int(0, 23), r);
    if (time < window.start || time > window.end) continue;
    out.logons.push(serviceLogon(core, r, account, time, 'routine'));
  }
}

/** How many events of each table a person-day gets, from the allocation's expected values. */
export function roundCounts(r: Rng, expected: Record<keyof DayCounts, number>): DayCounts {
  return {
    interactive: stochasticRound(r, expected.interactive),
    nonInteractive: stochasticRound(r, expected.nonInteractive),
    cloudApp: stochasticRound(r, expected.cloudApp),
    mailbox: stochasticRound(r, expected.mailbox),
    logon: stochasticRound(r, expected.logon),
    query: stochasticRound(r, expected.query),
    mdiDirectory: stochasticRound(r, expected.mdiDirectory),
    audit: stochasticRound(r, expected.audit),
  };
}
