/**
 * The name of every format we read, by adapter id: what the Imports view shows for a file and the record
 * drawer for a record (a record's `format` is the id of the adapter that read it). Kept apart from the
 * adapters so the renderer can name a format without loading every parser.
 */
export const FORMAT_LABELS = {
  'entra-risk-detection': 'Entra ID Protection risk detections (Graph riskDetection / AADUserRiskEvents)',
  'entra-risky-user': 'Entra ID Protection risky users (Graph riskyUser / AADRiskyUsers)',
  'xdr-incident': 'Defender XDR incidents (/api/incidents)',
  'graph-security-incident': 'Graph security incidents',
  'sentinel-security-incident': 'Sentinel SecurityIncident',
  'sentinel-security-alert': 'Sentinel SecurityAlert',
  'graph-security-alert-v1': 'Graph security alerts v1 (legacy, JSON or tool CSV)',
  'graph-security-alert': 'Graph security alerts v2 (alerts_v2)',
  'mdca-alert': 'Defender for Cloud Apps alerts (REST API)',
  'entra-sign-in': 'Entra sign-ins (Graph signIn / SigninLogs)',
  'mdi-identity-logon-events': 'Defender for Identity IdentityLogonEvents',
  'mdi-identity-query-events': 'Defender for Identity IdentityQueryEvents',
  'mdi-identity-directory-events': 'Defender for Identity IdentityDirectoryEvents',
  'mdca-cloud-app-events': 'Defender for Cloud Apps CloudAppEvents',
  'defender-hunting-mixed': 'Defender XDR advanced hunting (mixed tables)',
  'mdca-activity': 'Defender for Cloud Apps activities (REST API)',
  'o365-unified-audit-log': 'Office 365 unified audit log (Search-UnifiedAuditLog CSV, Graph audit log query, AuditData records)',
  'sentinel-office-activity': 'Sentinel OfficeActivity',
  'entra-directory-audit': 'Entra directory audit (Graph directoryAudit / AuditLogs)',
  'entra-workload-sign-in':
    'Entra sign-ins incl. workload identities (Graph beta signIn / AADNonInteractiveUserSignInLogs / AADServicePrincipalSignInLogs / AADManagedIdentitySignInLogs)',
  'azure-diagnostic-entra': 'Entra logs as Azure Monitor diagnostic records (sign-ins, audit)',
  'azure-activity-log': 'Azure activity log, tenant-level directory activity (Get-DirectoryActivityLogs)',
} as const satisfies Record<string, string>;

export type FormatId = keyof typeof FORMAT_LABELS;

/** A format's name; an id we do not know (a record from a newer build, say) is shown as it is. */
export function formatLabel(id: string): string {
  return (FORMAT_LABELS as Record<string, string>)[id] ?? id;
}
