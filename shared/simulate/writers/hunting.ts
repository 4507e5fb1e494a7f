/**
 * Advanced-hunting rows as NDJSON, one table per file, with the columns (names and order) of the
 * Sentinel schemas in reference/table-schemas: IdentityLogonEvents, IdentityQueryEvents,
 * IdentityDirectoryEvents (its duplicate `Application` column written once) and CloudAppEvents.
 * `Timestamp` is when it happened, `TimeGenerated` when it was ingested; dynamic columns are JSON.
 */
import type { AccountRef, CloudAppEvent, LogonEvent, MdiDirectoryEvent, QueryEvent } from '../events.ts';
import type { Population } from '../population.ts';
import { SECOND } from '../time.ts';
import { isoMs, ualTime } from './text.ts';

function ingested(time: number): string {
  return isoMs(time + 30 * SECOND + (time % (240 * SECOND)));
}

function accountColumns(account: AccountRef) {
  return {
    AccountName: account.name,
    AccountDomain: account.domain,
    AccountUpn: account.upn,
    AccountSid: account.sid,
    AccountObjectId: account.objectId,
    AccountDisplayName: account.displayName,
  };
}

export function identityLogonRow(event: LogonEvent, population: Population): string {
  return `${JSON.stringify({
    TenantId: population.workspaceId,
    TimeGenerated: ingested(event.time),
    Timestamp: isoMs(event.time),
    ActionType: event.success ? 'LogonSuccess' : 'LogonFailed',
    Application: 'Active Directory',
    LogonType: event.logonType,
    Protocol: event.protocol,
    FailureReason: event.failureReason,
    ...accountColumns(event.account),
    DeviceName: event.device.fqdn,
    DeviceType: event.device.os.startsWith('Windows Server') ? 'Server' : 'Workstation',
    OSPlatform: event.device.os,
    IPAddress: event.device.ip,
    Port: event.port,
    DestinationDeviceName: event.destination.fqdn,
    DestinationIPAddress: event.destination.ip,
    DestinationPort: event.destinationPort,
    TargetDeviceName: event.targetDevice ? event.targetDevice.fqdn : '',
    TargetAccountDisplayName: '',
    Location: '',
    ISP: 'INTERNAL_NETWORK',
    ReportId: event.id,
    AdditionalFields: {
      Count: '1',
      'FROM.DEVICE': event.device.name,
      'TO.DEVICE': event.destination.name,
      ...(event.targetDevice ? { 'TARGET_OBJECT.DEVICE': event.targetDevice.name } : {}),
    },
    SourceSystem: '',
    Type: 'IdentityLogonEvents',
  })}\n`;
}

export function identityQueryRow(event: QueryEvent, population: Population): string {
  return `${JSON.stringify({
    TenantId: population.workspaceId,
    TimeGenerated: ingested(event.time),
    Timestamp: isoMs(event.time),
    ActionType: event.action,
    Application: 'Active Directory',
    QueryType: event.queryType,
    QueryTarget: event.queryTarget,
    Query: event.query,
    Protocol: event.protocol,
    ...accountColumns(event.account),
    DeviceName: event.device.fqdn,
    IPAddress: event.device.ip,
    Port: event.port,
    DestinationDeviceName: event.destination.fqdn,
    DestinationIPAddress: event.destination.ip,
    DestinationPort: event.destinationPort,
    TargetDeviceName: '',
    TargetAccountUpn: event.targetAccountUpn,
    TargetAccountDisplayName: event.targetAccountDisplayName,
    Location: '',
    ReportId: event.id,
    AdditionalFields: { Count: '1', 'FROM.DEVICE': event.device.name, 'TO.DEVICE': event.destination.name },
    SourceSystem: '',
    Type: 'IdentityQueryEvents',
  })}\n`;
}

export function identityDirectoryRow(event: MdiDirectoryEvent, population: Population): string {
  return `${JSON.stringify({
    TenantId: population.workspaceId,
    TimeGenerated: ingested(event.time),
    Timestamp: isoMs(event.time),
    ActionType: event.action,
    Application: 'Active Directory',
    Protocol: event.protocol,
    AccountName: event.account.name,
    AccountDomain: event.account.domain,
    AccountUpn: event.account.upn,
    AccountSid: event.account.sid,
    AccountObjectId: event.account.objectId,
    AccountDisplayName: event.account.displayName,
    DeviceName: event.device.fqdn,
    IPAddress: event.device.ip,
    Port: event.port,
    DestinationDeviceName: event.destination.fqdn,
    DestinationIPAddress: event.destination.ip,
    DestinationPort: event.destinationPort,
    TargetDeviceName: event.targetDeviceName,
    TargetAccountUpn: event.targetAccountUpn,
    TargetAccountDisplayName: event.targetAccountDisplayName,
    Location: '',
    ISP: 'INTERNAL_NETWORK',
    ReportId: event.id,
    AdditionalFields: { ...event.additional, Count: '1', 'FROM.DEVICE': event.device.name, 'TO.DEVICE': event.destination.name },
    SourceSystem: '',
    Type: 'IdentityDirectoryEvents',
  })}\n`;
}

const OS_PLATFORM: Record<string, string> = { 'Windows 10': 'Windows 10', MacOs: 'macOS', Ios: 'iOS', Android: 'Android', Linux: 'Linux', '': 'Unknown' };

/** The unified-audit-log record Cloud Apps keeps in `RawEventData`. */
function rawEventData(event: CloudAppEvent, population: Population) {
  const who = event.person;
  const common = {
    CreationTime: ualTime(event.time),
    Id: event.auditId,
    Operation: event.action,
    OrganizationId: population.tenant.tenantId,
    RecordType: event.app.recordType,
    UserKey: `i:0h.f|membership|${who.puid.toLowerCase()}@live.com`,
    UserType: 0,
    Version: 1,
    Workload: event.app.workload,
    ClientIP: event.network.ip,
    UserId: who.userPrincipalName,
  };
  if (event.app.workload === 'MicrosoftTeams') return { ...common, UserKey: who.objectId, ObjectId: event.objectName };
  const extension = event.objectName.slice(event.objectName.lastIndexOf('.') + 1);
  const site = /^https:\/\/[^/]+\/(?:sites|personal)\/[^/]+\//.exec(event.objectUrl)?.[0] ?? '';
  const folder = event.objectUrl.slice(site.length, event.objectUrl.lastIndexOf('/'));
  return {
    ...common,
    ObjectId: event.objectUrl,
    EventSource: 'SharePoint',
    ItemType: event.action === 'PageViewed' ? 'Page' : 'File',
    UserAgent: event.client.userAgent,
    SourceFileExtension: extension,
    SiteUrl: site,
    SourceFileName: event.objectName,
    SourceRelativeUrl: folder,
  };
}

export function cloudAppEventsRow(event: CloudAppEvent, population: Population): string {
  const who = event.person;
  const teams = event.app.workload === 'MicrosoftTeams';
  return `${JSON.stringify({
    TenantId: population.workspaceId,
    AccountId: who.objectId,
    AccountType: 'Regular',
    AdditionalFields: { IsSatelliteProvider: false },
    RawEventData: rawEventData(event, population),
    ReportId: event.id,
    ObjectId: '',
    ObjectType: teams ? 'Chat' : 'File',
    ObjectName: event.objectName,
    ActivityObjects: [
      ...(event.objectName
        ? [{ Type: teams ? 'Structured object' : 'File', Role: 'Target object', Name: event.objectName, ...(teams ? {} : { Id: event.objectUrl }) }]
        : []),
      { ApplicationInstance: 0, ApplicationId: event.app.id, Type: 'Account', Role: 'Actor', Name: who.displayName, Id: who.objectId },
    ],
    ActivityType: event.activityType,
    UserAgent: event.client.userAgent,
    ISP: event.network.isp,
    City: event.network.place.city,
    CountryCode: event.network.place.countryOrRegion,
    IsAnonymousProxy: event.network.kind === 'anonymizer',
    IsExternalUser: false,
    IsImpersonated: false,
    IPAddress: event.network.ip,
    IPCategory: event.network.kind === 'office' ? 'Corporate' : '',
    IPTags: event.network.kind === 'anonymizer' ? ['Tor'] : [],
    OSPlatform: OS_PLATFORM[event.client.operatingSystem] ?? event.client.operatingSystem,
    DeviceType: event.deviceType,
    IsAdminOperation: false,
    AccountDisplayName: who.displayName,
    AccountObjectId: who.objectId,
    AppInstanceId: 0,
    ApplicationId: event.app.id,
    Application: event.app.name,
    ActionType: event.action,
    UserAgentTags: [],
    TimeGenerated: ingested(event.time),
    Timestamp: isoMs(event.time),
    SourceSystem: '',
    Type: 'CloudAppEvents',
    PerformedByDisplayName: '',
    LastSeenForUser: event.uncommon.length ? Object.fromEntries(event.uncommon.map((name) => [name, -1])) : {},
    UncommonForUser: event.uncommon,
    AuditSource: 'Defender for Cloud Apps access control',
    SessionData: {},
    OAuthAppId: '',
  })}\n`;
}
