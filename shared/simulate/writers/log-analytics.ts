/**
 * Log Analytics portal CSV exports ("Export to CSV, all columns"): `SigninLogs` with the column
 * order of the recorded export (sign-in_adelete.csv, plus its `TimeGenerated`), and
 * `AADNonInteractiveUserSignInLogs` with the table's column order. Times are US display strings in
 * UTC with ` [UTC]` in the header, dynamic columns are JSON text (CSV-escaped with `""`), booleans
 * are TRUE/FALSE, the file starts with a UTF-8 BOM and lines end with CRLF.
 */
import { signInRisk } from '../risk.ts';
import type { SimSignIn } from '../events.ts';
import type { Population } from '../population.ts';
import { MINUTE, SECOND } from '../time.ts';
import { csvMinimal, crlfJson, laTime, offsetTime } from './text.ts';

export const SIGNIN_LOGS_COLUMNS = [
  'TenantId',
  'SourceSystem',
  'TimeGenerated [UTC]',
  'ResourceId',
  'OperationName',
  'OperationVersion',
  'Category',
  'ResultType',
  'ResultSignature',
  'ResultDescription',
  'DurationMs',
  'CorrelationId',
  'Resource',
  'ResourceGroup',
  'ResourceProvider',
  'Identity',
  'Level',
  'Location',
  'AlternateSignInName',
  'AppDisplayName',
  'AppId',
  'AuthenticationDetails',
  'AuthenticationMethodsUsed',
  'AuthenticationProcessingDetails',
  'AuthenticationRequirement',
  'AuthenticationRequirementPolicies',
  'ClientAppUsed',
  'ConditionalAccessPolicies_dynamic',
  'ConditionalAccessPolicies_string',
  'ConditionalAccessStatus',
  'CreatedDateTime [UTC]',
  'DeviceDetail_dynamic',
  'DeviceDetail_string',
  'IsInteractive',
  'Id',
  'IPAddress',
  'IsRisky',
  'LocationDetails_dynamic',
  'LocationDetails_string',
  'MfaDetail_dynamic',
  'MfaDetail_string',
  'NetworkLocationDetails',
  'OriginalRequestId',
  'ProcessingTimeInMilliseconds',
  'RiskDetail',
  'RiskEventTypes',
  'RiskEventTypes_V2',
  'RiskLevelAggregated',
  'RiskLevelDuringSignIn',
  'RiskState',
  'ResourceDisplayName',
  'ResourceIdentity',
  'ServicePrincipalId',
  'ServicePrincipalName',
  'Status_dynamic',
  'Status_string',
  'TokenIssuerName',
  'TokenIssuerType',
  'UserAgent',
  'UserDisplayName',
  'UserId',
  'UserPrincipalName',
  'AADTenantId',
  'UserType',
  'FlaggedForReview',
  'SignInIdentifier',
  'SignInIdentifierType',
  'ResourceTenantId',
  'HomeTenantId',
  'Type',
  'AdditionalDetails',
  'InitiatedBy',
] as const;

/** The table's columns (reference/table-schemas), billing columns left out, time columns with ` [UTC]`. */
export const NON_INTERACTIVE_COLUMNS = [
  'AADTenantId',
  'Agent',
  'AlternateSignInName',
  'AppDisplayName',
  'AppId',
  'AppliedEventListeners',
  'AppOwnerTenantId',
  'AuthenticationContextClassReferences',
  'AuthenticationDetails',
  'AuthenticationMethodsUsed',
  'AuthenticationProcessingDetails',
  'AuthenticationProtocol',
  'AuthenticationRequirement',
  'AuthenticationRequirementPolicies',
  'AuthenticatorAppLocation',
  'AutonomousSystemNumber',
  'Category',
  'ClientAppUsed',
  'ClientCredentialType',
  'ClientSessionId',
  'ConditionalAccessAudiences',
  'ConditionalAccessPolicies',
  'ConditionalAccessStatus',
  'CorrelationId',
  'CreatedDateTime [UTC]',
  'CrossTenantAccessType',
  'DeviceDetail',
  'DurationMs',
  'FederatedCredentialId',
  'GlobalSecureAccessIpAddress',
  'HomeTenantId',
  'HomeTenantName',
  'Id',
  'Identity',
  'IncomingTokenType',
  'IPAddress',
  'IsInteractive',
  'IsRisky',
  'IsTenantRestricted',
  'IsThroughGlobalSecureAccess',
  'Level',
  'Location',
  'LocationDetails',
  'MfaDetail',
  'NetworkLocationDetails',
  'OperationName',
  'OperationVersion',
  'OriginalRequestId',
  'OriginalTransferMethod',
  'ProcessingTimeInMs',
  'ResourceDisplayName',
  'ResourceGroup',
  'ResourceIdentity',
  'ResourceOwnerTenantId',
  'ResourceServicePrincipalId',
  'ResourceTenantId',
  'ResultDescription',
  'ResultSignature',
  'ResultType',
  'RiskDetail',
  'RiskEventTypes',
  'RiskEventTypes_V2',
  'RiskLevelAggregated',
  'RiskLevelDuringSignIn',
  'RiskState',
  'ServicePrincipalId',
  'SessionId',
  'SessionLifetimePolicies',
  'SignInEventTypes',
  'SignInIdentifierType',
  'SourceSystem',
  'Status',
  'TenantId',
  'TimeGenerated [UTC]',
  'TokenIssuerName',
  'TokenIssuerType',
  'TokenProtectionStatusDetails',
  'Type',
  'UniqueTokenIdentifier',
  'UserAgent',
  'UserDisplayName',
  'UserId',
  'UserPrincipalName',
  'UserType',
] as const;

const EOL = '\r\n';
const BOM = '\uFEFF';

export function signInLogsHeader(): string {
  return `${BOM}${SIGNIN_LOGS_COLUMNS.join(',')}${EOL}`;
}

export function nonInteractiveHeader(): string {
  return `${BOM}${NON_INTERACTIVE_COLUMNS.join(',')}${EOL}`;
}

function row(values: readonly string[]): string {
  return `${values.map(csvMinimal).join(',')}${EOL}`;
}

function bool(value: boolean): string {
  return value ? 'TRUE' : 'FALSE';
}

function locationDetails(event: SimSignIn): string {
  const place = event.network.place;
  return JSON.stringify({
    countryOrRegion: place.countryOrRegion,
    geoCoordinates: { longitude: Math.fround(place.longitude), latitude: Math.fround(place.latitude) },
    state: place.state,
    city: place.city,
  });
}

function status(event: SimSignIn): string {
  const s = event.status;
  if (s.errorCode === 0) return s.additionalDetails ? JSON.stringify({ errorCode: 0, additionalDetails: s.additionalDetails }) : '{"errorCode":0}';
  return JSON.stringify({ errorCode: s.errorCode, failureReason: s.failureReason, ...(s.additionalDetails ? { additionalDetails: s.additionalDetails } : {}) });
}

function policies(event: SimSignIn): string {
  return JSON.stringify(
    event.appliedPolicies.map((applied) => ({
      enforcedSessionControls: [...applied.policy.enforcedSessionControls],
      conditionsNotSatisfied: 0,
      enforcedGrantControls: [...applied.policy.enforcedGrantControls],
      conditionsSatisfied: applied.result === 'notApplied' ? 0 : 3,
      displayName: applied.policy.displayName,
      result: applied.result,
      id: applied.policy.id,
    })),
  );
}

function deviceDetail(event: SimSignIn): string {
  const c = event.client;
  return JSON.stringify({
    operatingSystem: c.operatingSystem,
    deviceId: c.deviceId,
    browser: c.browser,
    ...(c.displayName ? { displayName: c.displayName } : {}),
    ...(c.isCompliant !== null ? { isCompliant: c.isCompliant } : {}),
    ...(c.isManaged !== null ? { isManaged: c.isManaged } : {}),
    ...(c.trustType ? { trustType: c.trustType } : {}),
  });
}

/** The steps of an interactive sign-in as `AuthenticationDetails` lists them. */
function authenticationDetails(event: SimSignIn): unknown[] {
  const t = offsetTime(event.time);
  const failedPassword = event.status.errorCode === 50126;
  const first = {
    authenticationStepDateTime: t,
    authenticationMethod:
      event.status.additionalDetails === 'MFA requirement satisfied by claim in the token' || event.time % 3 === 0 ? 'Previously satisfied' : 'Password',
    succeeded: !failedPassword,
    authenticationStepResultDetail: failedPassword
      ? 'Invalid username or password or Invalid on-premise username or password.'
      : event.time % 3 === 0
        ? 'First factor requirement satisfied by claim in the token'
        : 'Correct password',
    authenticationStepRequirement: 'Primary authentication',
    StatusSequence: failedPassword ? 50126 : 0,
    RequestSequence: 0,
  };
  if (event.authenticationRequirement !== 'multiFactorAuthentication' || failedPassword) return [first];
  const mfaDone = event.status.errorCode === 0;
  return [
    first,
    {
      authenticationStepDateTime: t,
      authenticationMethod: 'Mobile app notification',
      succeeded: mfaDone,
      authenticationStepResultDetail: mfaDone
        ? event.status.additionalDetails === 'MFA requirement satisfied by claim in the token'
          ? 'MFA requirement satisfied by claim in the token'
          : 'MFA successfully completed'
        : 'MFA required in Azure AD',
      authenticationStepRequirement: 'Multi-factor authentication',
      StatusSequence: mfaDone ? 0 : event.status.errorCode,
      RequestSequence: mfaDone ? 0 : 1,
    },
  ];
}

function ingestion(event: SimSignIn): number {
  return event.time + MINUTE + (event.time % (90 * SECOND));
}

/** One `SigninLogs` row (interactive user sign-in). */
export function signInLogsRow(event: SimSignIn, population: Population): string {
  const risk = signInRisk(event.detections);
  const tenantId = population.tenant.tenantId;
  const user = event.user;
  const mfa = event.authenticationRequirement === 'multiFactorAuthentication' && event.status.errorCode === 0;
  return row([
    population.workspaceId,
    'Azure AD',
    laTime(ingestion(event)),
    `/tenants/${tenantId}/providers/Microsoft.aadiam`,
    'Sign-in activity',
    '1.0',
    'SignInLogs',
    String(event.status.errorCode),
    'None',
    event.status.failureReason ?? '',
    '0',
    event.correlationId,
    'Microsoft.aadiam',
    'Microsoft.aadiam',
    '',
    user.displayName,
    '4',
    event.network.place.countryOrRegion,
    '',
    event.app.appDisplayName,
    event.app.appId,
    crlfJson(authenticationDetails(event)),
    '',
    crlfJson([{ key: 'IsCAEToken', value: 'False' }]),
    event.authenticationRequirement,
    '[]',
    event.app.clientAppUsed,
    policies(event),
    '',
    event.conditionalAccessStatus,
    laTime(event.time),
    deviceDetail(event),
    '',
    bool(event.isInteractive),
    event.id,
    event.network.ip,
    risk.riskLevelAggregated === 'none' ? '' : 'TRUE',
    locationDetails(event),
    '',
    mfa ? JSON.stringify({ authMethod: 'Mobile app notification', authDetail: null }) : '{}',
    '',
    '[]',
    event.id,
    String(80 + (event.time % 400)),
    risk.riskDetail,
    JSON.stringify(risk.riskEventTypes),
    JSON.stringify(risk.riskEventTypes_v2),
    risk.riskLevelAggregated,
    risk.riskLevelDuringSignIn,
    risk.riskState,
    event.app.resourceDisplayName,
    event.app.resourceId,
    '',
    '',
    status(event),
    '',
    '',
    'AzureAD',
    event.client.userAgent,
    user.displayName,
    user.objectId,
    user.userPrincipalName,
    tenantId,
    'Member',
    '',
    '',
    '',
    tenantId,
    tenantId,
    'SigninLogs',
    '',
    '',
  ]);
}

/** One `AADNonInteractiveUserSignInLogs` row (a token refresh on the user's behalf). */
export function nonInteractiveRow(event: SimSignIn, population: Population): string {
  const risk = signInRisk(event.detections);
  const tenantId = population.tenant.tenantId;
  const user = event.user;
  const values: Record<(typeof NON_INTERACTIVE_COLUMNS)[number], string> = {
    AADTenantId: tenantId,
    Agent: '',
    AlternateSignInName: user.userPrincipalName,
    AppDisplayName: event.app.appDisplayName,
    AppId: event.app.appId,
    AppliedEventListeners: '[]',
    AppOwnerTenantId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    AuthenticationContextClassReferences: '[]',
    AuthenticationDetails: '[]',
    AuthenticationMethodsUsed: '',
    AuthenticationProcessingDetails: JSON.stringify([{ key: 'IsCAEToken', value: 'True' }]),
    AuthenticationProtocol: 'none',
    AuthenticationRequirement: event.authenticationRequirement,
    AuthenticationRequirementPolicies: '[]',
    AuthenticatorAppLocation: '',
    AutonomousSystemNumber: String(event.network.asn),
    Category: 'NonInteractiveUserSignInLogs',
    ClientAppUsed: event.app.clientAppUsed,
    ClientCredentialType: 'none',
    ClientSessionId: '',
    ConditionalAccessAudiences: '[]',
    ConditionalAccessPolicies: policies(event),
    ConditionalAccessStatus: event.conditionalAccessStatus,
    CorrelationId: event.correlationId,
    'CreatedDateTime [UTC]': laTime(event.time),
    CrossTenantAccessType: 'none',
    DeviceDetail: deviceDetail(event),
    DurationMs: '0',
    FederatedCredentialId: '',
    GlobalSecureAccessIpAddress: '',
    HomeTenantId: tenantId,
    HomeTenantName: '',
    Id: event.id,
    Identity: user.displayName,
    IncomingTokenType: event.app.key === 'windowsSignIn' ? 'primaryRefreshToken' : 'refreshToken',
    IPAddress: event.network.ip,
    IsInteractive: bool(false),
    IsRisky: risk.riskLevelAggregated === 'none' ? '' : 'TRUE',
    IsTenantRestricted: bool(false),
    IsThroughGlobalSecureAccess: bool(false),
    Level: '4',
    Location: event.network.place.countryOrRegion,
    LocationDetails: locationDetails(event),
    MfaDetail: '{}',
    NetworkLocationDetails: '[]',
    OperationName: 'Sign-in activity',
    OperationVersion: '1.0',
    OriginalRequestId: event.id,
    OriginalTransferMethod: 'none',
    ProcessingTimeInMs: String(20 + (event.time % 180)),
    ResourceDisplayName: event.app.resourceDisplayName,
    ResourceGroup: 'Microsoft.aadiam',
    ResourceIdentity: event.app.resourceId,
    ResourceOwnerTenantId: 'f8cdef31-a31e-4b4a-93e4-5f571e91255a',
    ResourceServicePrincipalId: '',
    ResourceTenantId: tenantId,
    ResultDescription: event.status.failureReason ?? '',
    ResultSignature: 'None',
    ResultType: String(event.status.errorCode),
    RiskDetail: risk.riskDetail,
    RiskEventTypes: JSON.stringify(risk.riskEventTypes),
    RiskEventTypes_V2: JSON.stringify(risk.riskEventTypes_v2),
    RiskLevelAggregated: risk.riskLevelAggregated,
    RiskLevelDuringSignIn: risk.riskLevelDuringSignIn,
    RiskState: risk.riskState,
    ServicePrincipalId: '',
    SessionId: event.sessionId,
    SessionLifetimePolicies: '[]',
    SignInEventTypes: '["nonInteractiveUser"]',
    SignInIdentifierType: '',
    SourceSystem: 'Azure AD',
    Status: status(event),
    TenantId: population.workspaceId,
    'TimeGenerated [UTC]': laTime(ingestion(event)),
    TokenIssuerName: '',
    TokenIssuerType: 'AzureAD',
    TokenProtectionStatusDetails: '{"signInSessionStatus":"unbound","signInSessionStatusCode":1002}',
    Type: 'AADNonInteractiveUserSignInLogs',
    UniqueTokenIdentifier: event.id.replace(/-/g, '').slice(0, 22),
    UserAgent: event.client.userAgent,
    UserDisplayName: user.displayName,
    UserId: user.objectId,
    UserPrincipalName: user.userPrincipalName,
    UserType: 'Member',
  };
  return row(NON_INTERACTIVE_COLUMNS.map((column) => values[column]));
}
