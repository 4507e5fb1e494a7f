/**
 * Defender alerts and incidents:
 *   - Graph `security/alerts_v2` (the v1.0 documentation example's property order; lower-case
 *     enums; evidence typed with `@odata.type`, users as `userEvidence.userAccount`);
 *   - the Defender XDR `/api/incidents` list (the documentation example's shape: integer
 *     `incidentId`, PascalCase enums, alerts with `entities` that list all 31 entity keys).
 * The same alert appears in both, with the same id, as it does in real exports.
 */
import type { AlertRecord } from '../alerts.ts';
import type { AlertClassification, AlertSeverity, AlertUser, SimAlert, SimIncident } from '../events.ts';
import { identityAt, type Population } from '../population.ts';
import { graphTime } from '../time.ts';

export const ALERTS_CONTEXT = 'https://graph.microsoft.com/v1.0/$metadata#security/alerts_v2';
export const XDR_INCIDENTS_CONTEXT = 'https://api.security.microsoft.com/api/$metadata#Incidents';

const GRAPH_SOURCE = { mdi: 'microsoftDefenderForIdentity', mdca: 'microsoftDefenderForCloudApps', idp: 'azureAdIdentityProtection' } as const;
const XDR_SERVICE = { mdi: 'MicrosoftDefenderForIdentity', mdca: 'MicrosoftCloudAppSecurity', idp: 'AzureAdIdentityProtection' } as const;
const XDR_DETECTION = { mdi: 'AzureATP', mdca: 'MCAS', idp: 'AzureAdIdentityProtection' } as const;

function pascal(value: string): string {
  return value.charAt(0).toUpperCase() + value.slice(1);
}

function verdictOf(classification: AlertClassification): string {
  return classification === 'falsePositive' || classification === 'informationalExpectedActivity' ? 'noThreatsFound' : 'suspicious';
}

/** Account name and domain as the alert's product writes them. */
function accountParts(user: AlertUser, population: Population, service: SimAlert['service'], at: number) {
  const who = identityAt(user.person, at);
  const [local, upnDomain] = who.userPrincipalName.split('@') as [string, string];
  if (user.person.hybrid && (service === 'mdi' || user.showSid))
    return { accountName: user.person.samAccountName, domainName: service === 'mdi' ? population.ad.dnsDomain : population.ad.netbios, who };
  return { accountName: local, domainName: upnDomain, who };
}

export function graphAlert(alert: AlertRecord, population: Population) {
  const tenantId = population.tenant.tenantId;
  const created = graphTime(alert.created);
  const common = {
    createdDateTime: created,
    verdict: verdictOf(alert.classification),
    remediationStatus: 'none',
    remediationStatusDetails: null,
    roles: [],
    detailedRoles: [],
    tags: [],
  };
  const evidence: unknown[] = [];
  for (const user of alert.users) {
    const { accountName, domainName, who } = accountParts(user, population, alert.service, alert.created);
    evidence.push({
      '@odata.type': '#microsoft.graph.security.userEvidence',
      ...common,
      userAccount: {
        accountName,
        domainName,
        userSid: user.showSid && user.person.sid ? user.person.sid : null,
        azureAdUserId: user.showObjectId ? user.person.objectId : null,
        userPrincipalName: user.showUpn ? who.userPrincipalName : null,
        displayName: who.displayName,
      },
    });
  }
  for (const ip of alert.ips)
    evidence.push({ '@odata.type': '#microsoft.graph.security.ipEvidence', ...common, ipAddress: ip.ip, countryLetterCode: ip.country });
  for (const device of alert.devices) {
    evidence.push({
      '@odata.type': '#microsoft.graph.security.deviceEvidence',
      ...common,
      firstSeenDateTime: null,
      mdeDeviceId: null,
      azureAdDeviceId: null,
      deviceDnsName: device.fqdn,
      osPlatform: device.os,
      osBuild: null,
      version: null,
      healthStatus: 'unknown',
      riskScore: 'none',
      rbacGroupId: 0,
      rbacGroupName: null,
      onboardingStatus: 'insufficientInfo',
      defenderAvStatus: 'unknown',
      ipInterfaces: [device.ip],
      loggedOnUsers: [],
      vmMetadata: null,
    });
  }
  return {
    '@odata.type': '#microsoft.graph.security.alert',
    id: alert.id,
    providerAlertId: alert.providerAlertId,
    incidentId: String(alert.incidentId),
    status: alert.status,
    severity: alert.severity,
    classification: alert.classification === 'unknown' && alert.status !== 'resolved' ? null : alert.classification,
    determination: alert.classification === 'unknown' && alert.status !== 'resolved' ? null : alert.determination,
    serviceSource: GRAPH_SOURCE[alert.service],
    detectionSource: GRAPH_SOURCE[alert.service],
    detectorId: alert.detectorId,
    tenantId,
    title: alert.title,
    description: alert.description,
    recommendedActions: recommendedActions(alert.service),
    category: alert.category,
    assignedTo: alert.status === 'new' ? null : 'soc@northwindtraders.example',
    alertWebUrl: `https://security.microsoft.com/alerts/${alert.id}?tid=${tenantId}`,
    incidentWebUrl: `https://security.microsoft.com/incidents/${alert.incidentId}?tid=${tenantId}`,
    actorDisplayName: null,
    threatDisplayName: null,
    threatFamilyName: null,
    mitreTechniques: alert.mitreTechniques,
    createdDateTime: created,
    lastUpdateDateTime: graphTime(alert.lastUpdated),
    resolvedDateTime: alert.resolved === null ? null : graphTime(alert.resolved),
    firstActivityDateTime: graphTime(alert.firstActivity),
    lastActivityDateTime: graphTime(alert.lastActivity),
    comments: [],
    evidence,
    systemTags: [],
  };
}

function recommendedActions(service: SimAlert['service']): string {
  switch (service) {
    case 'mdi':
      return '1. Contact the user to confirm the activity.\n2. Review the source computer and the accounts used from it.\n3. Reset the passwords of the accounts involved and, for DCSync, the KRBTGT password twice.';
    case 'mdca':
      return '1. Review the activity log of the user around the alert.\n2. Confirm with the user; if unexpected, suspend the user and revoke sessions.';
    case 'idp':
      return '1. Confirm the sign-ins with the user.\n2. If not theirs, confirm the user compromised, reset the password and revoke sessions.';
  }
}

const ENTITY_KEYS = [
  'entityType',
  'sha1',
  'sha256',
  'fileName',
  'filePath',
  'processId',
  'processCommandLine',
  'processCreationTime',
  'parentProcessId',
  'parentProcessCreationTime',
  'ipAddress',
  'url',
  'accountName',
  'domainName',
  'userSid',
  'aadUserId',
  'userPrincipalName',
  'mailboxDisplayName',
  'mailboxAddress',
  'clusterBy',
  'sender',
  'recipient',
  'subject',
  'deliveryAction',
  'securityGroupId',
  'securityGroupName',
  'registryHive',
  'registryKey',
  'registryValueType',
  'registryValue',
  'deviceId',
] as const;

function entity(values: Partial<Record<(typeof ENTITY_KEYS)[number], string | null>>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const key of ENTITY_KEYS) out[key] = values[key] ?? null;
  return out;
}

const XDR_SEVERITY: Record<AlertSeverity, string> = { informational: 'Informational', low: 'Low', medium: 'Medium', high: 'High' };

function xdrDetermination(value: string): string {
  return value === 'unknown' ? 'NotAvailable' : pascal(value);
}

function xdrAlert(alert: AlertRecord, population: Population) {
  const entities = [
    // Defender XDR enriches the user entity with every identifier it knows.
    ...alert.users.map((user) => {
      const { accountName, domainName, who } = accountParts(user, population, alert.service, alert.created);
      return entity({
        entityType: 'User',
        accountName,
        domainName,
        userSid: user.person.sid || null,
        aadUserId: user.person.objectId,
        userPrincipalName: who.userPrincipalName,
      });
    }),
    ...alert.ips.map((ip) => entity({ entityType: 'Ip', ipAddress: ip.ip })),
  ];
  return {
    alertId: alert.id,
    incidentId: alert.incidentId,
    serviceSource: XDR_SERVICE[alert.service],
    creationTime: graphTime(alert.created),
    lastUpdatedTime: graphTime(alert.lastUpdated),
    resolvedTime: alert.resolved === null ? null : graphTime(alert.resolved),
    firstActivity: graphTime(alert.firstActivity),
    lastActivity: graphTime(alert.lastActivity),
    title: alert.title,
    description: alert.description,
    category: alert.category,
    status: alert.status === 'new' ? 'New' : alert.status === 'inProgress' ? 'InProgress' : 'Resolved',
    severity: XDR_SEVERITY[alert.severity],
    investigationId: null,
    investigationState: 'UnsupportedAlertType',
    classification: alert.classification === 'unknown' ? null : pascal(alert.classification),
    determination: alert.classification === 'unknown' ? null : xdrDetermination(alert.determination),
    detectionSource: XDR_DETECTION[alert.service],
    assignedTo: alert.status === 'new' ? null : 'soc@northwindtraders.example',
    actorName: null,
    threatFamilyName: null,
    mitreTechniques: alert.mitreTechniques,
    devices: [],
    entities,
  };
}

export function xdrIncident(incident: SimIncident, population: Population) {
  return {
    incidentId: incident.id,
    redirectIncidentId: null,
    incidentName: incident.name,
    createdTime: graphTime(incident.created),
    lastUpdateTime: graphTime(incident.lastUpdated),
    assignedTo: incident.status === 'New' ? null : 'soc@northwindtraders.example',
    classification: pascal(incident.classification),
    determination: xdrDetermination(incident.determination),
    status: incident.status,
    severity: XDR_SEVERITY[incident.severity],
    tags: [],
    comments: [],
    alerts: incident.alerts.map((alert) => xdrAlert(alert as AlertRecord, population)),
  };
}
