/**
 * Microsoft Graph writers: simulated events as the JSON pages Graph returns (and Graph Explorer or
 * a script saves). Property order follows Graph's responses, because exports keep it and parsers
 * and diff tools see it:
 *   - signIn: the v1.0 order, with the beta-only `authenticationRequirement` placed where the
 *     beta endpoint puts it. `userAgent` (beta only) is left out: it keeps the demo page under
 *     its size budget, and the detections' additionalInfo carries the user agent;
 *   - riskDetection: the order of the documentation example, `@odata.type` first;
 *   - riskyUser: the order of the recorded export (alphabetical after `id`).
 */
import type { Place } from '../catalog.ts';
import type { RiskyUserRow } from '../risk.ts';
import { signInRisk } from '../risk.ts';
import { graphTime } from '../time.ts';
import type { DetectionEvent, SignInEvent } from '../world.ts';

export const GRAPH_CONTEXT = {
  signIns: 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns',
  riskDetections: 'https://graph.microsoft.com/v1.0/$metadata#identityProtection/riskDetections',
  riskyUsers: 'https://graph.microsoft.com/v1.0/$metadata#identityProtection/riskyUsers',
} as const;

export interface GraphPage<T> {
  '@odata.context': string;
  value: T[];
}

export function graphPage<T>(context: string, value: T[]): GraphPage<T> {
  return { '@odata.context': context, value };
}

/** JSON as Graph Explorer saves it: two-space indentation, a final newline. */
export function toJsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Graph's signIn `location`; coordinates go through float32 as Graph's do (47.606201171875…). */
export function graphLocation(place: Place) {
  return {
    city: place.city,
    state: place.state,
    countryOrRegion: place.countryOrRegion,
    geoCoordinates: {
      altitude: null,
      latitude: Math.fround(place.latitude),
      longitude: Math.fround(place.longitude),
    },
  };
}

const EMPTY_LOCATION = { city: null, state: null, countryOrRegion: null, geoCoordinates: null };

export function graphSignIn(event: SignInEvent, detections: readonly DetectionEvent[]) {
  const risk = signInRisk(detections);
  return {
    id: event.id,
    createdDateTime: graphTime(event.time),
    userDisplayName: event.user.displayName,
    userPrincipalName: event.user.userPrincipalName,
    userId: event.user.objectId,
    appId: event.app.appId,
    appDisplayName: event.app.appDisplayName,
    ipAddress: event.network.ip,
    clientAppUsed: event.app.clientAppUsed,
    correlationId: event.correlationId,
    conditionalAccessStatus: event.conditionalAccessStatus,
    isInteractive: event.isInteractive,
    riskDetail: risk.riskDetail,
    riskLevelAggregated: risk.riskLevelAggregated,
    riskLevelDuringSignIn: risk.riskLevelDuringSignIn,
    riskState: risk.riskState,
    riskEventTypes: risk.riskEventTypes,
    riskEventTypes_v2: risk.riskEventTypes_v2,
    resourceDisplayName: event.app.resourceDisplayName,
    resourceId: event.app.resourceId,
    authenticationRequirement: event.authenticationRequirement,
    status: {
      errorCode: event.status.errorCode,
      failureReason: event.status.failureReason,
      additionalDetails: event.status.additionalDetails,
    },
    deviceDetail: {
      deviceId: event.client.deviceId,
      displayName: event.client.displayName,
      operatingSystem: event.client.operatingSystem,
      browser: event.client.browser,
      isCompliant: event.client.isCompliant,
      isManaged: event.client.isManaged,
      trustType: event.client.trustType,
    },
    location: graphLocation(event.network.place),
    appliedConditionalAccessPolicies: event.appliedPolicies.map((applied) => ({
      id: applied.policy.id,
      displayName: applied.policy.displayName,
      enforcedGrantControls: [...applied.policy.enforcedGrantControls],
      enforcedSessionControls: [...applied.policy.enforcedSessionControls],
      result: applied.result,
    })),
  };
}

/** `additionalInfo`: a JSON *string* holding a `[{Key, Value}]` array. */
export function additionalInfoText(detection: DetectionEvent): string {
  const entries: { Key: string; Value: unknown }[] = [];
  if (detection.request) entries.push({ Key: 'userAgent', Value: detection.request.userAgent });
  entries.push(...detection.extraInfo);
  if (detection.def.mitreTechniques) entries.push({ Key: 'mitreTechniques', Value: detection.def.mitreTechniques });
  entries.push({ Key: 'alertUrl', Value: null });
  return JSON.stringify(entries);
}

export function graphRiskDetection(detection: DetectionEvent) {
  const request = detection.request;
  return {
    '@odata.type': '#microsoft.graph.riskDetection',
    id: detection.id,
    requestId: request ? request.requestId : null,
    correlationId: request ? request.correlationId : null,
    riskEventType: detection.def.type,
    riskState: detection.riskState,
    riskLevel: detection.riskLevel,
    riskDetail: detection.riskDetail,
    source: detection.source,
    detectionTimingType: detection.def.timing,
    activity: detection.def.activity,
    tokenIssuerType: detection.tokenIssuerType,
    ipAddress: request ? request.network.ip : null,
    location: request ? graphLocation(request.network.place) : EMPTY_LOCATION,
    activityDateTime: graphTime(detection.activityTime),
    detectedDateTime: graphTime(detection.detectedTime),
    lastUpdatedDateTime: graphTime(detection.lastUpdatedTime),
    userId: detection.user.objectId,
    userDisplayName: detection.user.displayName,
    userPrincipalName: detection.user.userPrincipalName,
    additionalInfo: additionalInfoText(detection),
  };
}

export function graphRiskyUser(row: RiskyUserRow) {
  return {
    id: row.id,
    isDeleted: row.isDeleted,
    isProcessing: row.isProcessing,
    riskDetail: row.riskDetail,
    riskLastUpdatedDateTime: graphTime(row.riskLastUpdated),
    riskLevel: row.riskLevel,
    riskState: row.riskState,
    userDisplayName: row.userDisplayName,
    userPrincipalName: row.userPrincipalName,
  };
}

/** Graph lists sign-ins newest first. */
export function newestFirst<T extends { time: number; id: string }>(events: readonly T[]): T[] {
  return [...events].sort((a, b) => b.time - a.time || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
