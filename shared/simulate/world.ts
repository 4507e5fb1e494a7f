/**
 * The simulation's event model and the world that collects it.
 *
 * Generators add source-neutral events here (a sign-in, a risk detection); format writers turn
 * them into a product's export shape afterwards (see writers/graph.ts). Keeping the two apart lets
 * the same simulated tenant be written later as Log Analytics tables, tool CSVs or other products.
 */
import {
  browserProfiles,
  nativeClient,
  riskEventTypes,
  signInErrors,
  successDetails,
  type AppDef,
  type BrowserKey,
  type RiskDetail,
  type RiskEventTypeDef,
  type RiskEventTypeKey,
  type RiskLevel,
  type RiskState,
  type SignInError,
} from './catalog.ts';
import type { Network } from './network.ts';
import type { Rng } from './rng.ts';
import type { ConditionalAccessPolicy, Device, Person, Tenant } from './tenant.ts';
import { inWindow, MINUTE, SECOND, type Micros, type TimeWindow } from './time.ts';

export type ConditionalAccessResult = 'success' | 'failure' | 'notApplied' | 'notEnabled' | 'reportOnlySuccess' | 'reportOnlyFailure' | 'reportOnlyInterrupted';

export interface AppliedPolicy {
  policy: ConditionalAccessPolicy;
  result: ConditionalAccessResult;
}

/** The client side of a sign-in: Graph's deviceDetail plus the user agent. */
export interface ClientInfo {
  deviceId: string;
  displayName: string | null;
  operatingSystem: string;
  browser: string;
  isCompliant: boolean | null;
  isManaged: boolean | null;
  trustType: string | null;
  userAgent: string;
}

export type AuthenticationRequirement = 'singleFactorAuthentication' | 'multiFactorAuthentication';

export interface SignInEvent {
  id: string;
  correlationId: string;
  time: Micros;
  user: Person;
  app: AppDef;
  network: Network;
  client: ClientInfo;
  status: { errorCode: number; failureReason: string | null; additionalDetails: string | null };
  authenticationRequirement: AuthenticationRequirement;
  conditionalAccessStatus: 'success' | 'failure' | 'notApplied';
  appliedPolicies: AppliedPolicy[];
  isInteractive: boolean;
  /** Which generator made it (`routine`, `story:<key>`…): for ground truth and debugging, never written. */
  origin: string;
}

/** What a detection knows about the request it came from, when that request is not in the export. */
export interface RequestContext {
  requestId: string;
  correlationId: string;
  network: Network;
  userAgent: string;
}

export interface AdditionalInfoEntry {
  Key: string;
  Value: unknown;
}

export interface DetectionEvent {
  id: string;
  user: Person;
  def: RiskEventTypeDef;
  riskLevel: RiskLevel;
  riskState: RiskState;
  riskDetail: RiskDetail;
  source: string;
  tokenIssuerType: string;
  /** The exported sign-in it was raised on, if any. */
  signIn: SignInEvent | null;
  /** The request it was raised on (from `signIn`, or a request missing from the export); null for user-level detections. */
  request: RequestContext | null;
  activityTime: Micros;
  detectedTime: Micros;
  lastUpdatedTime: Micros;
  /** Entries after the userAgent one, in order. */
  extraInfo: AdditionalInfoEntry[];
  origin: string;
}

export interface SignInSpec {
  user: Person;
  time: Micros;
  app: AppDef;
  network: Network;
  client: ClientInfo;
  /** A failure; absent for success. */
  error?: SignInError;
  /** How a successful sign-in satisfied MFA, if it did. */
  mfa?: 'claim' | 'completed';
  policies?: AppliedPolicy[];
  correlationId?: string;
  origin: string;
}

export interface DetectionSpec {
  user: Person;
  type: RiskEventTypeKey;
  level: RiskLevel;
  signIn?: SignInEvent;
  request?: RequestContext;
  /** Defaults to the sign-in's time. Required for user-level detections. */
  activityTime?: Micros;
  /** Defaults to a realistic delay after the activity for the detection's timing. */
  detectedTime?: Micros;
  extraInfo?: AdditionalInfoEntry[];
  origin: string;
}

/** The client a person's own device presents for an app. */
export function deviceClient(device: Device, app: AppDef): ClientInfo {
  const base = {
    deviceId: device.deviceId,
    displayName: device.displayName,
    operatingSystem: device.operatingSystem,
    isCompliant: device.isCompliant,
    isManaged: device.isManaged,
    trustType: device.trustType,
  };
  if (app.client === 'browser' || app.client === 'script') {
    const profile = browserProfiles[device.browserKey];
    return { ...base, browser: profile.browser, userAgent: profile.userAgent };
  }
  return { ...base, ...nativeClient(app, device.operatingSystem) };
}

/** An unknown, unmanaged machine running the given browser or tool (an attacker's, a kiosk…). */
export function foreignClient(browserKey: BrowserKey): ClientInfo {
  const profile = browserProfiles[browserKey];
  return {
    deviceId: '',
    displayName: null,
    operatingSystem: profile.operatingSystem,
    browser: profile.browser,
    isCompliant: null,
    isManaged: null,
    trustType: null,
    userAgent: profile.userAgent,
  };
}

const CA_PRECEDENCE: Record<ConditionalAccessResult, number> = {
  failure: 3,
  success: 2,
  notApplied: 1,
  notEnabled: 0,
  reportOnlySuccess: 0,
  reportOnlyFailure: 0,
  reportOnlyInterrupted: 0,
};

export class World {
  readonly signIns: SignInEvent[] = [];
  readonly detections: DetectionEvent[] = [];

  constructor(
    readonly tenant: Tenant,
    readonly window: TimeWindow,
  ) {}

  /** Adds a sign-in; ids come from the caller's stream so generators stay independent. */
  addSignIn(rng: Rng, spec: SignInSpec): SignInEvent {
    this.assertInWindow(spec.time, `sign-in (${spec.origin})`);
    const policies = spec.policies ?? [];
    let conditionalAccessStatus: SignInEvent['conditionalAccessStatus'] = 'notApplied';
    for (const applied of policies) {
      if (CA_PRECEDENCE[applied.result] > CA_PRECEDENCE[conditionalAccessStatus])
        conditionalAccessStatus = applied.result as SignInEvent['conditionalAccessStatus'];
    }
    const mfaError = spec.error?.errorCode === signInErrors.mfaRequired.errorCode || spec.error?.errorCode === signInErrors.mfaFailed.errorCode;
    const event: SignInEvent = {
      id: rng.guid(),
      correlationId: spec.correlationId ?? rng.guid(),
      time: spec.time,
      user: spec.user,
      app: spec.app,
      network: spec.network,
      client: spec.client,
      status: spec.error
        ? { errorCode: spec.error.errorCode, failureReason: spec.error.failureReason, additionalDetails: spec.error.additionalDetails }
        : {
            errorCode: 0,
            failureReason: null,
            additionalDetails: spec.mfa === 'claim' ? successDetails.mfaByClaim : spec.mfa === 'completed' ? successDetails.mfaCompleted : null,
          },
      authenticationRequirement: spec.mfa || mfaError ? 'multiFactorAuthentication' : 'singleFactorAuthentication',
      conditionalAccessStatus,
      appliedPolicies: policies,
      isInteractive: true,
      origin: spec.origin,
    };
    this.signIns.push(event);
    return event;
  }

  /** Adds a risk detection, at risk until something settles it. */
  addDetection(rng: Rng, spec: DetectionSpec): DetectionEvent {
    const def = riskEventTypes[spec.type];
    const request: RequestContext | null = spec.signIn
      ? { requestId: spec.signIn.id, correlationId: spec.signIn.correlationId, network: spec.signIn.network, userAgent: spec.signIn.client.userAgent }
      : (spec.request ?? null);
    if (def.activity === 'signin' && !request) throw new Error(`${def.type} detection needs a sign-in or a request`);
    const activityTime = spec.activityTime ?? spec.signIn?.time;
    if (activityTime === undefined) throw new Error(`${def.type} detection needs an activity time`);
    const detectedTime = spec.detectedTime ?? activityTime + defaultDetectionDelay(rng, def);
    this.assertInWindow(activityTime, `detection activity (${spec.origin})`);
    this.assertInWindow(detectedTime, `detection (${spec.origin})`);
    const event: DetectionEvent = {
      id: rng.hex(64),
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
    this.detections.push(event);
    return event;
  }

  /** Changes a detection's state (remediation, dismissal, confirmation) at a given instant. */
  settle(detection: DetectionEvent, state: RiskState, detail: RiskDetail, at: Micros): void {
    const when = Math.max(at, detection.detectedTime);
    this.assertInWindow(when, `risk state change (${detection.origin})`);
    detection.riskState = state;
    detection.riskDetail = detail;
    detection.lastUpdatedTime = when;
  }

  signInsOf(person: Person): SignInEvent[] {
    return this.signIns.filter((event) => event.user === person);
  }

  detectionsOf(person: Person): DetectionEvent[] {
    return this.detections.filter((event) => event.user === person);
  }

  fits(t: Micros): boolean {
    return inWindow(this.window, t);
  }

  private assertInWindow(t: Micros, what: string): void {
    if (!inWindow(this.window, t)) throw new RangeError(`${what} at ${new Date(Math.floor(t / 1000)).toISOString()} falls outside the simulated window`);
  }
}

function defaultDetectionDelay(rng: Rng, def: RiskEventTypeDef): Micros {
  switch (def.timing) {
    case 'realtime':
      return rng.int(4 * SECOND, 3 * MINUTE);
    case 'nearRealtime':
      return rng.int(2 * MINUTE, 20 * MINUTE);
    case 'offline':
      return rng.int(90 * MINUTE, 7 * 60 * MINUTE);
  }
}
