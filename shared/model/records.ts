/**
 * The normalized model: every adapter turns a source record into one of these.
 *
 * Times are UTC epoch milliseconds with the source's own string kept beside them. Vocabularies
 * (risk level, state, severity…) are mapped to our lower-case canonical words when we know them
 * and stored verbatim when we do not: an unknown value is shown, never rejected.
 */

/** The product that produced a record. */
export type SourceProduct =
  'identity-protection' | 'entra-sign-ins' | 'entra-audit' | 'defender-for-identity' | 'defender-for-cloud-apps' | 'defender-xdr' | 'office-365';

export const sourceLabels: Record<SourceProduct, string> = {
  'identity-protection': 'Entra ID Protection',
  'entra-sign-ins': 'Entra sign-ins',
  'entra-audit': 'Entra audit logs',
  'defender-for-identity': 'Defender for Identity',
  'defender-for-cloud-apps': 'Defender for Cloud Apps',
  'defender-xdr': 'Defender XDR',
  'office-365': 'Office 365 audit',
};

/** The same, short enough for a table column; the full label goes in its tooltip. */
export const sourceShortLabels: Record<SourceProduct, string> = {
  'identity-protection': 'ID Protection',
  'entra-sign-ins': 'Sign-ins',
  'entra-audit': 'Entra audit',
  'defender-for-identity': 'MDI',
  'defender-for-cloud-apps': 'MDCA',
  'defender-xdr': 'Defender XDR',
  'office-365': 'O365 audit',
};

export type IdentifierType = 'objectId' | 'upn' | 'sid' | 'samAccount' | 'email';

/** One name a person goes by, normalized so equal names compare equal (UPNs lower-cased, ids lower-cased). */
export interface Identifier {
  type: IdentifierType;
  value: string;
}

/** A user-facing location as the sources report it (no geo lookups: we are offline). */
export interface Place {
  city?: string;
  state?: string;
  country?: string;
}

export type RiskLevel = 'none' | 'low' | 'medium' | 'high' | 'hidden' | (string & {});
export type RiskState = 'none' | 'atRisk' | 'confirmedCompromised' | 'remediated' | 'dismissed' | 'confirmedSafe' | (string & {});

interface RecordBase {
  /** Deterministic primary key: `<kind>:<source-native id>` (or a content hash where a source has none). */
  id: string;
  source: SourceProduct;
  /** The adapter that read it (see shared/formats). */
  format: string;
  /** When it happened, UTC epoch ms. */
  time: number;
  /** The source's own timestamp string, kept for display and audit. */
  timeRaw: string;
  /** Every identifier of the person this record is about, as found in the record. */
  identifiers: Identifier[];
  /** Display name as the source gave it: shown, never used to join. */
  displayName?: string;
  /** The source record, verbatim, for "view raw data". */
  raw: unknown;
}

export interface RiskDetectionRecord extends RecordBase {
  kind: 'riskDetection';
  nativeId: string;
  riskEventType: string;
  riskLevel: RiskLevel;
  riskState: RiskState;
  riskDetail?: string;
  detectionTimingType?: string;
  activity?: string;
  detectionSource?: string;
  ipAddress?: string;
  location?: Place;
  requestId?: string;
  correlationId?: string;
  detectedTime?: number;
  lastUpdatedTime?: number;
}

export interface RiskyUserRecord extends RecordBase {
  kind: 'riskyUser';
  nativeId: string;
  riskLevel: RiskLevel;
  riskState: RiskState;
  riskDetail?: string;
  isDeleted?: boolean;
  isProcessing?: boolean;
}

export interface SignInRecord extends RecordBase {
  kind: 'signIn';
  nativeId: string;
  success: boolean;
  errorCode: number;
  failureReason?: string;
  ipAddress?: string;
  location?: Place;
  appDisplayName?: string;
  resourceDisplayName?: string;
  clientAppUsed?: string;
  userAgent?: string;
  deviceOs?: string;
  deviceBrowser?: string;
  deviceId?: string;
  isInteractive?: boolean;
  riskLevelDuringSignIn?: RiskLevel;
  riskLevelAggregated?: RiskLevel;
  riskState?: RiskState;
  riskEventTypes: string[];
  conditionalAccessStatus?: string;
  authenticationRequirement?: string;
  correlationId?: string;
}

/** The severity words of every alert source, mapped to one scale; unknown words pass through. */
export type Severity = 'informational' | 'low' | 'medium' | 'high' | (string & {});

/** Alert and incident status, on the Graph security scale; unknown words pass through. */
export type AlertStatus = 'new' | 'inProgress' | 'resolved' | 'dismissed' | (string & {});

/** A security alert from any product: Graph security alert v1/v2, Defender XDR, Sentinel SecurityAlert, MDCA. */
export interface AlertRecord extends RecordBase {
  kind: 'alert';
  nativeId: string;
  title: string;
  severity: Severity;
  status: AlertStatus;
  classification?: string;
  determination?: string;
  /** The product that raised it, in its own words (`microsoftDefenderForIdentity`, `IPC`, `MCAS` …). */
  serviceSource?: string;
  detectionSource?: string;
  /** The app as the alert queue shows it: "Active Directory" for Defender for Identity. */
  app?: string;
  category?: string;
  alertType?: string;
  description?: string;
  firstActivity?: number;
  lastActivity?: number;
  lastUpdateTime?: number;
  incidentId?: string;
  mitreTechniques: string[];
  /** Every user the alert names, one identifier set per user entity (the first is `identifiers`). */
  affectedUsers: Identifier[][];
  ipAddresses: string[];
  devices: string[];
}

/** An incident that groups alerts: Defender XDR `/api/incidents`, Graph security incident, Sentinel SecurityIncident. */
export interface IncidentRecord extends RecordBase {
  kind: 'incident';
  nativeId: string;
  title: string;
  severity: Severity;
  status: AlertStatus;
  classification?: string;
  determination?: string;
  assignedTo?: string;
  lastUpdateTime?: number;
  /** Ids (our `alert:<nativeId>` keys) of the alerts it groups. */
  alertIds: string[];
  tags: string[];
  affectedUsers: Identifier[][];
}

/** What kind of activity a record is, for the activity log's type filter. */
export type ActivityType = 'onPremLogon' | 'directoryChange' | 'directoryQuery' | 'directoryAudit' | 'cloudAppActivity' | 'officeActivity' | 'workloadSignIn';

/** Everything that happened that is not a user sign-in: on-prem logons and directory events, cloud-app and audit activity. */
export interface ActivityRecord extends RecordBase {
  kind: 'activity';
  nativeId: string;
  activityType: ActivityType;
  /** The action as the source names it: `LogonFailed`, `MailItemsAccessed`, `Add member to role` … */
  action: string;
  app?: string;
  success?: boolean;
  failureReason?: string;
  ipAddress?: string;
  location?: Place;
  isp?: string;
  deviceName?: string;
  userAgent?: string;
  protocol?: string;
  logonType?: string;
  /** Who or what the action was done to, when that is another account. */
  targetIdentifiers: Identifier[];
  targetName?: string;
  objectName?: string;
  isAdminOperation?: boolean;
  /** For workload identities (service principals, managed identities): kept apart from people. */
  workload?: { id: string; name?: string; type: 'servicePrincipal' | 'managedIdentity' };
}

export type NormalizedRecord = RiskDetectionRecord | RiskyUserRecord | SignInRecord | AlertRecord | IncidentRecord | ActivityRecord;
export type RecordKind = NormalizedRecord['kind'];

/**
 * A vocabulary mapper: a source's word, in any case, to ours; an empty value to `empty`; an unknown
 * word passes through unchanged, so it is stored and shown rather than rejected.
 */
function vocabulary<T extends string>(known: Record<string, T>, empty: T): (value: unknown) => T | (string & {}) {
  return (value) => {
    const text = typeof value === 'string' ? value.trim() : '';
    if (!text) return empty;
    return known[text.toLowerCase()] ?? text;
  };
}

/** Entra's risk level words. */
export const normalizeRiskLevel: (value: unknown) => RiskLevel = vocabulary(
  { none: 'none', low: 'low', medium: 'medium', high: 'high', hidden: 'hidden' },
  'none',
);

/** Entra's risk state words, as Graph or Log Analytics write them. */
export const normalizeRiskState: (value: unknown) => RiskState = vocabulary(
  {
    none: 'none',
    atrisk: 'atRisk',
    confirmedcompromised: 'confirmedCompromised',
    remediated: 'remediated',
    dismissed: 'dismissed',
    confirmedsafe: 'confirmedSafe',
  },
  'none',
);

export const riskLevelRank: Record<string, number> = { none: 0, hidden: 0, low: 1, medium: 2, high: 3 };

const severityWord = vocabulary({ informational: 'informational', info: 'informational', low: 'low', medium: 'medium', high: 'high' }, 'unknown');

/** Any source's severity (Graph, XDR and Sentinel words; Cloud Apps' numbers 0 low … 3 informational). */
export function normalizeSeverity(value: unknown): Severity {
  if (typeof value === 'number') return (['low', 'medium', 'high', 'informational'] as const)[value] ?? String(value);
  return severityWord(value);
}

/** Alert and incident status words (Graph v1 `newAlert`, XDR `Active`/`InProgress`, Sentinel `Closed` …). */
export const normalizeAlertStatus: (value: unknown) => AlertStatus = vocabulary(
  {
    new: 'new',
    newalert: 'new',
    active: 'inProgress',
    inprogress: 'inProgress',
    resolved: 'resolved',
    closed: 'resolved',
    dismissed: 'dismissed',
  },
  'new',
);

export const severityRank: Record<string, number> = { informational: 0, low: 1, medium: 2, high: 3 };
