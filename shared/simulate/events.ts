/**
 * Source-neutral events of the large simulation. Each event holds references to shared objects
 * (the person as named at that instant, a network, a device) and a few scalars, so a day of events
 * stays small in memory; the writers turn them into each product's record shape when they are
 * written. Every event has the id its exported record carries.
 */
import { apps, nativeClient, type AppDef } from './catalog.ts';
import type { Network } from './network.ts';
import type { Host, SimPerson, Workload } from './population.ts';
import type { Micros } from './time.ts';
import type { ClientInfo, DetectionEvent, SignInEvent } from './world.ts';

/** A user sign-in (interactive or not) with the detections raised on it. */
export interface SimSignIn extends SignInEvent {
  user: SimPerson;
  detections: DetectionEvent[];
  /** Non-interactive sign-ins: the token refresh's session. */
  sessionId: string;
}

export interface SimDetection extends DetectionEvent {
  user: SimPerson;
}

export interface WorkloadSignInEvent {
  kind: 'workloadSignIn';
  id: string;
  time: Micros;
  workload: Workload;
  correlationId: string;
  errorCode: number;
  origin: string;
}

/** An account as a Defender for Identity row names it: empty strings for what the sensor did not resolve. */
export interface AccountRef {
  name: string;
  /** DNS domain as MDI writes it. */
  domain: string;
  upn: string;
  sid: string;
  objectId: string;
  displayName: string;
}

export interface LogonEvent {
  kind: 'logon';
  id: string;
  time: Micros;
  account: AccountRef;
  success: boolean;
  failureReason: string;
  logonType: string;
  protocol: string;
  device: Host;
  destination: Host;
  destinationPort: number;
  port: number;
  targetDevice: Host | null;
  origin: string;
}

export interface QueryEvent {
  kind: 'query';
  id: string;
  time: Micros;
  account: AccountRef;
  action: 'LDAP query' | 'SAMR query' | 'DNS query';
  queryType: string;
  queryTarget: string;
  query: string;
  protocol: string;
  device: Host;
  destination: Host;
  destinationPort: number;
  port: number;
  targetAccountUpn: string;
  targetAccountDisplayName: string;
  origin: string;
}

export interface MdiDirectoryEvent {
  kind: 'mdiDirectory';
  id: string;
  time: Micros;
  account: AccountRef;
  action: string;
  protocol: string;
  device: Host;
  destination: Host;
  destinationPort: number;
  port: number;
  targetAccountUpn: string;
  targetAccountDisplayName: string;
  targetDeviceName: string;
  additional: Record<string, string>;
  origin: string;
}

export interface CloudAppDef {
  name: string;
  id: number;
  workload: 'SharePoint' | 'OneDrive' | 'MicrosoftTeams';
  recordType: number;
}

export const CLOUD_APPS = {
  sharePoint: { name: 'Microsoft SharePoint Online', id: 20892, workload: 'SharePoint', recordType: 6 },
  oneDrive: { name: 'Microsoft OneDrive for Business', id: 15600, workload: 'OneDrive', recordType: 6 },
  teams: { name: 'Microsoft Teams', id: 28375, workload: 'MicrosoftTeams', recordType: 25 },
} as const satisfies Record<string, CloudAppDef>;

export interface CloudAppEvent {
  kind: 'cloudApp';
  /** `ReportId`. */
  id: string;
  /** The unified-audit-log record id inside `RawEventData`. */
  auditId: string;
  time: Micros;
  person: SimPerson;
  app: CloudAppDef;
  action: string;
  activityType: string;
  objectName: string;
  objectUrl: string;
  network: Network;
  client: ClientInfo;
  deviceType: 'Desktop' | 'Mobile';
  /** Properties Cloud Apps found uncommon for the user (UEBA). */
  uncommon: string[];
  origin: string;
}

export interface MailboxEvent {
  kind: 'mailbox';
  /** AuditData.Id, also the CSV's `Identity`. */
  id: string;
  time: Micros;
  person: SimPerson;
  operation: string;
  recordType: number;
  recordTypeName: string;
  network: Network;
  clientInfo: string;
  appId: string;
  sessionId: string;
  /** Operation-specific AuditData members, written after the common ones. */
  details: Record<string, unknown>;
  origin: string;
}

export interface AuditTarget {
  id: string | null;
  displayName: string | null;
  type: string;
  userPrincipalName: string | null;
  modifiedProperties: { displayName: string; oldValue: string | null; newValue: string | null }[];
}

export interface DirectoryAuditEvent {
  kind: 'directoryAudit';
  id: string;
  time: Micros;
  category: string;
  correlationId: string;
  result: 'success' | 'failure';
  resultReason: string;
  activity: string;
  service: string;
  operationType: string;
  initiatedBy: { user: SimPerson; ipAddress: string } | { app: { displayName: string; servicePrincipalId: string } };
  targets: AuditTarget[];
  additionalDetails: { key: string; value: string }[];
  origin: string;
}

export type AlertService = 'mdi' | 'mdca' | 'idp';
export type AlertSeverity = 'informational' | 'low' | 'medium' | 'high';
export type AlertStatus = 'new' | 'inProgress' | 'resolved';
export type AlertClassification = 'unknown' | 'falsePositive' | 'truePositive' | 'informationalExpectedActivity';

/** A user named by an alert, with what the alert shows of them. */
export interface AlertUser {
  person: SimPerson;
  showObjectId: boolean;
  showUpn: boolean;
  showSid: boolean;
}

export interface SimAlert {
  id: string;
  service: AlertService;
  title: string;
  description: string;
  category: string;
  severity: AlertSeverity;
  status: AlertStatus;
  classification: AlertClassification;
  determination: string;
  mitreTechniques: string[];
  created: Micros;
  lastUpdated: Micros;
  resolved: Micros | null;
  firstActivity: Micros;
  lastActivity: Micros;
  users: AlertUser[];
  ips: { ip: string; country: string }[];
  devices: Host[];
  detectorId: string;
  /** Alerts with the same key form one incident. */
  incidentKey: string;
  /** Assigned when incidents are numbered, at the end. */
  incidentId: number;
  origin: string;
}

export interface SimIncident {
  id: number;
  name: string;
  alerts: SimAlert[];
  created: Micros;
  lastUpdated: Micros;
  status: 'New' | 'Active' | 'Resolved';
  severity: AlertSeverity;
  classification: AlertClassification;
  determination: string;
}

/** Applications behind non-interactive sign-ins: token refreshes of desktop and mobile clients. */
export const backgroundApps = {
  windowsSignIn: {
    key: 'windowsSignIn',
    appId: '38aa3b87-a06d-4817-b275-7a316988d93b',
    appDisplayName: 'Windows Sign In',
    resourceId: '00000002-0000-0000-c000-000000000000',
    resourceDisplayName: 'Windows Azure Active Directory',
    clientAppUsed: 'Mobile Apps and Desktop clients',
    client: 'desktop',
  },
  oneDriveSync: {
    key: 'oneDriveSync',
    appId: 'ab9b8c07-8f02-4f72-87fa-80105867a763',
    appDisplayName: 'OneDrive SyncEngine',
    resourceId: '00000003-0000-0ff1-ce00-000000000000',
    resourceDisplayName: 'Office 365 SharePoint Online',
    clientAppUsed: 'Mobile Apps and Desktop clients',
    client: 'desktop',
  },
  teams: apps.teams,
  officeDesktop: apps.officeDesktop,
  outlookMobile: apps.outlookMobile,
  teamsMobile: apps.teamsMobile,
} as const satisfies Record<string, AppDef>;

/** The client a native app presents, including the ones the demo catalog does not know. */
export function appClient(app: AppDef, operatingSystem: string): { browser: string; userAgent: string } {
  if (app.key === 'windowsSignIn') return { browser: '', userAgent: 'Windows-AzureAD-Authentication-Provider/1.0' };
  if (app.key === 'oneDriveSync') return { browser: '', userAgent: 'Microsoft SkyDriveSync 24.201.1006.0005 ship; Windows NT 10.0 (19045)' };
  return nativeClient(app, operatingSystem);
}
