/**
 * More Microsoft Graph shapes for the large simulation:
 *   - `directoryAudit` (`/auditLogs/directoryAudits`), in the documentation example's order with the
 *     newer `operationType` and lower-case `type` of target resources;
 *   - workload sign-ins from the beta `signIns` endpoint (service principals and managed
 *     identities): user fields are empty strings, `servicePrincipalId`, `clientCredentialType`,
 *     `managedServiceIdentity` and `signInEventTypes` say whose sign-in it is.
 */
import type { DirectoryAuditEvent, WorkloadSignInEvent } from '../events.ts';
import { graphTime } from '../time.ts';
import { graphLocation } from './graph.ts';

export const AUDITS_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits';
export const WORKLOAD_SIGNINS_CONTEXT = 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns';

export function graphDirectoryAudit(event: DirectoryAuditEvent) {
  const initiatedBy =
    'user' in event.initiatedBy
      ? {
          app: null,
          user: {
            id: event.initiatedBy.user.objectId,
            displayName: null,
            userPrincipalName: event.initiatedBy.user.userPrincipalName,
            ipAddress: event.initiatedBy.ipAddress,
            userType: null,
            homeTenantId: null,
            homeTenantName: null,
          },
        }
      : {
          app: {
            appId: null,
            displayName: event.initiatedBy.app.displayName,
            servicePrincipalId: event.initiatedBy.app.servicePrincipalId,
            servicePrincipalName: null,
          },
          user: null,
        };
  return {
    id: event.id,
    category: event.category,
    correlationId: event.correlationId,
    result: event.result,
    resultReason: event.resultReason,
    activityDisplayName: event.activity,
    activityDateTime: graphTime(event.time),
    loggedByService: event.service,
    operationType: event.operationType,
    initiatedBy,
    targetResources: event.targets.map((target) => ({
      id: target.id,
      displayName: target.displayName,
      type: target.type,
      userPrincipalName: target.userPrincipalName,
      groupType: null,
      modifiedProperties: target.modifiedProperties,
    })),
    additionalDetails: event.additionalDetails,
  };
}

const WORKLOAD_ERRORS: Record<number, string> = {
  7000215: 'Invalid client secret is provided.',
  7000222: 'The provided client secret keys are expired.',
};

export function graphWorkloadSignIn(event: WorkloadSignInEvent) {
  const w = event.workload;
  const managed = w.kind === 'managedIdentity';
  return {
    id: event.id,
    createdDateTime: graphTime(event.time),
    userDisplayName: '',
    userPrincipalName: '',
    userId: '',
    appId: w.appId,
    appDisplayName: w.displayName,
    ipAddress: w.network ? w.network.ip : '',
    clientAppUsed: '',
    correlationId: event.correlationId,
    conditionalAccessStatus: 'notApplied',
    isInteractive: false,
    riskDetail: 'none',
    riskLevelAggregated: 'none',
    riskLevelDuringSignIn: 'none',
    riskState: 'none',
    resourceDisplayName: w.resource.displayName,
    resourceId: w.resource.id,
    servicePrincipalId: w.servicePrincipalId,
    servicePrincipalName: w.displayName,
    clientCredentialType: w.credential,
    managedServiceIdentity: {
      msiType: managed ? w.msiType : 'none',
      associatedResourceId: w.associatedResourceId,
      federatedTokenId: null,
      federatedTokenIssuer: null,
    },
    signInEventTypes: [managed ? 'managedIdentity' : 'servicePrincipal'],
    tokenIssuerType: managed ? 'UnknownFutureValue' : 'AzureAD',
    status: { errorCode: event.errorCode, failureReason: event.errorCode ? (WORKLOAD_ERRORS[event.errorCode] ?? 'Other') : null, additionalDetails: null },
    location: w.network ? graphLocation(w.network.place) : { city: null, state: null, countryOrRegion: null, geoCoordinates: null },
  };
}
