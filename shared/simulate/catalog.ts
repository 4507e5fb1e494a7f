/**
 * Static vocabularies the simulators draw from: places, Microsoft first-party applications, sign-in
 * error codes, client software. Application ids are the public, well-known ids of Microsoft's own
 * apps (they are the same in every tenant). Nothing here is random and nothing is tenant data.
 */
import type { TimeZone } from './time.ts';

// ---------------------------------------------------------------------------------------------
// Places

export interface Place {
  key: string;
  city: string;
  state: string;
  /** ISO 3166 alpha-2, as Graph's `countryOrRegion`. */
  countryOrRegion: string;
  countryName: string;
  latitude: number;
  longitude: number;
  zone: TimeZone;
}

const PACIFIC: TimeZone = { name: 'America/Los_Angeles', standardOffsetMinutes: -480, dst: 'us' };
const MOUNTAIN: TimeZone = { name: 'America/Denver', standardOffsetMinutes: -420, dst: 'us' };
const CENTRAL: TimeZone = { name: 'America/Chicago', standardOffsetMinutes: -360, dst: 'us' };
const EASTERN: TimeZone = { name: 'America/New_York', standardOffsetMinutes: -300, dst: 'us' };
const UK: TimeZone = { name: 'Europe/London', standardOffsetMinutes: 0, dst: 'eu' };
const CET: TimeZone = { name: 'Europe/Berlin', standardOffsetMinutes: 60, dst: 'eu' };
const EET: TimeZone = { name: 'Europe/Bucharest', standardOffsetMinutes: 120, dst: 'eu' };
const WAT: TimeZone = { name: 'Africa/Lagos', standardOffsetMinutes: 60, dst: 'none' };
const BRT: TimeZone = { name: 'America/Sao_Paulo', standardOffsetMinutes: -180, dst: 'none' };
const SGT: TimeZone = { name: 'Asia/Singapore', standardOffsetMinutes: 480, dst: 'none' };

function place(
  key: string,
  city: string,
  state: string,
  countryOrRegion: string,
  countryName: string,
  latitude: number,
  longitude: number,
  zone: TimeZone,
): Place {
  return { key, city, state, countryOrRegion, countryName, latitude, longitude, zone };
}

/** Every place the simulators know, by key. */
export const places = {
  seattle: place('seattle', 'Seattle', 'Washington', 'US', 'United States', 47.6062, -122.3321, PACIFIC),
  newYork: place('newYork', 'New York', 'New York', 'US', 'United States', 40.7128, -74.006, EASTERN),
  chicago: place('chicago', 'Chicago', 'Illinois', 'US', 'United States', 41.8781, -87.6298, CENTRAL),
  denver: place('denver', 'Denver', 'Colorado', 'US', 'United States', 39.7392, -104.9903, MOUNTAIN),
  london: place('london', 'London', 'England', 'GB', 'United Kingdom', 51.5072, -0.1276, UK),
  manchester: place('manchester', 'Manchester', 'England', 'GB', 'United Kingdom', 53.4808, -2.2426, UK),
  berlin: place('berlin', 'Berlin', 'Berlin', 'DE', 'Germany', 52.52, 13.405, CET),
  munich: place('munich', 'Munich', 'Bayern', 'DE', 'Germany', 48.1351, 11.582, CET),
  frankfurt: place('frankfurt', 'Frankfurt am Main', 'Hessen', 'DE', 'Germany', 50.1109, 8.6821, CET),
  toronto: place('toronto', 'Toronto', 'Ontario', 'CA', 'Canada', 43.6532, -79.3832, EASTERN),
  madrid: place('madrid', 'Madrid', 'Madrid', 'ES', 'Spain', 40.4168, -3.7038, CET),
  zurich: place('zurich', 'Zurich', 'Zurich', 'CH', 'Switzerland', 47.3769, 8.5417, CET),
  singapore: place('singapore', 'Singapore', 'Central Singapore', 'SG', 'Singapore', 1.3521, 103.8198, SGT),
  amsterdam: place('amsterdam', 'Amsterdam', 'Noord-Holland', 'NL', 'Netherlands', 52.3676, 4.9041, CET),
  bucharest: place('bucharest', 'Bucharest', 'Bucuresti', 'RO', 'Romania', 44.4268, 26.1025, EET),
  lagos: place('lagos', 'Lagos', 'Lagos', 'NG', 'Nigeria', 6.5244, 3.3792, WAT),
  saoPaulo: place('saoPaulo', 'Sao Paulo', 'Sao Paulo', 'BR', 'Brazil', -23.5505, -46.6333, BRT),
} as const satisfies Record<string, Place>;

export type PlaceKey = keyof typeof places;

/** Great-circle distance in kilometres. */
export function distanceKm(a: Place, b: Place): number {
  const rad = Math.PI / 180;
  const dLat = (b.latitude - a.latitude) * rad;
  const dLon = (b.longitude - a.longitude) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.latitude * rad) * Math.cos(b.latitude * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(h));
}

// ---------------------------------------------------------------------------------------------
// Applications

export type ClientAppUsed = 'Browser' | 'Mobile Apps and Desktop clients' | 'Exchange ActiveSync' | 'Other clients';

/** What kind of client software an app runs as. */
export type AppClient = 'browser' | 'desktop' | 'mobile' | 'script';

export interface AppDef {
  key: string;
  appId: string;
  appDisplayName: string;
  resourceId: string;
  resourceDisplayName: string;
  clientAppUsed: ClientAppUsed;
  client: AppClient;
}

const EXCHANGE_ID = '00000002-0000-0ff1-ce00-000000000000';
const SHAREPOINT_ID = '00000003-0000-0ff1-ce00-000000000000';

export const apps = {
  exchangeOnline: {
    key: 'exchangeOnline',
    appId: EXCHANGE_ID,
    appDisplayName: 'Office 365 Exchange Online',
    resourceId: EXCHANGE_ID,
    resourceDisplayName: 'Office 365 Exchange Online',
    clientAppUsed: 'Browser',
    client: 'browser',
  },
  sharePointOnline: {
    key: 'sharePointOnline',
    appId: SHAREPOINT_ID,
    appDisplayName: 'Office 365 SharePoint Online',
    resourceId: SHAREPOINT_ID,
    resourceDisplayName: 'Office 365 SharePoint Online',
    clientAppUsed: 'Browser',
    client: 'browser',
  },
  officeShell: {
    key: 'officeShell',
    appId: '89bee1f7-5e6e-4d8a-9f3d-ecd601259da7',
    appDisplayName: 'Office365 Shell WCSS-Client',
    resourceId: '5f09333a-842c-47da-a157-57da27fcbca5',
    resourceDisplayName: 'Office365 Shell WCSS-Server',
    clientAppUsed: 'Browser',
    client: 'browser',
  },
  azurePortal: {
    key: 'azurePortal',
    appId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
    appDisplayName: 'Azure Portal',
    resourceId: '797f4846-ba00-4fd7-ba43-dac1f8f63013',
    resourceDisplayName: 'Windows Azure Service Management API',
    clientAppUsed: 'Browser',
    client: 'browser',
  },
  teams: {
    key: 'teams',
    appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
    appDisplayName: 'Microsoft Teams',
    resourceId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe',
    resourceDisplayName: 'Microsoft Teams Services',
    clientAppUsed: 'Mobile Apps and Desktop clients',
    client: 'desktop',
  },
  officeDesktop: {
    key: 'officeDesktop',
    appId: 'd3590ed6-52b3-4102-aeff-aad2292ab01c',
    appDisplayName: 'Microsoft Office',
    resourceId: EXCHANGE_ID,
    resourceDisplayName: 'Office 365 Exchange Online',
    clientAppUsed: 'Mobile Apps and Desktop clients',
    client: 'desktop',
  },
  teamsMobile: {
    key: 'teamsMobile',
    appId: '1fec8e78-bce4-4aaf-ab1b-5451cc387264',
    appDisplayName: 'Microsoft Teams',
    resourceId: 'cc15fd57-2c6c-4117-a88c-83b1d56b4bbe',
    resourceDisplayName: 'Microsoft Teams Services',
    clientAppUsed: 'Mobile Apps and Desktop clients',
    client: 'mobile',
  },
  outlookMobile: {
    key: 'outlookMobile',
    appId: '27922004-5251-4030-b22d-91ecd9a37ea4',
    appDisplayName: 'Outlook Mobile',
    resourceId: EXCHANGE_ID,
    resourceDisplayName: 'Office 365 Exchange Online',
    clientAppUsed: 'Mobile Apps and Desktop clients',
    client: 'mobile',
  },
  aadPowerShell: {
    key: 'aadPowerShell',
    appId: '1b730954-1685-4b74-9bfa-dee2a2e38d9b',
    appDisplayName: 'Azure Active Directory PowerShell',
    resourceId: '00000002-0000-0000-c000-000000000000',
    resourceDisplayName: 'Windows Azure Active Directory',
    clientAppUsed: 'Mobile Apps and Desktop clients',
    client: 'script',
  },
} as const satisfies Record<string, AppDef>;

export type AppKey = keyof typeof apps;

// ---------------------------------------------------------------------------------------------
// Sign-in results

export interface SignInError {
  errorCode: number;
  failureReason: string;
  additionalDetails: string | null;
}

export const signInErrors = {
  invalidPassword: {
    errorCode: 50126,
    failureReason: 'Error validating credentials due to invalid username or password.',
    additionalDetails:
      "The user didn't enter the right credentials. It's expected to see some number of these errors in your logs due to users making mistakes.",
  },
  mfaRequired: { errorCode: 50074, failureReason: 'Strong Authentication is required.', additionalDetails: 'MFA required in Azure AD' },
  mfaFailed: {
    errorCode: 500121,
    failureReason: 'Authentication failed during strong authentication request.',
    additionalDetails:
      "The user didn't complete the MFA prompt. They may have decided not to authenticate, timed out while doing other work, or has an issue with their authentication setup.",
  },
  keepMeSignedIn: {
    errorCode: 50140,
    failureReason: "This error occurred due to 'Keep me signed in' interrupt when the user was signing in.",
    additionalDetails:
      'This is an expected part of the login flow, where a user is asked if they want to remain signed into this browser to make further logins easier.',
  },
  accountLocked: {
    errorCode: 50053,
    failureReason: 'Account is locked because user tried to sign in too many times with an incorrect user ID or password.',
    additionalDetails: null,
  },
  blockedByConditionalAccess: {
    errorCode: 53003,
    failureReason: 'Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.',
    additionalDetails: null,
  },
} as const satisfies Record<string, SignInError>;

/** `status.additionalDetails` values seen on successful sign-ins. */
export const successDetails = {
  mfaByClaim: 'MFA requirement satisfied by claim in the token',
  mfaCompleted: 'MFA completed in Azure AD',
} as const;

// ---------------------------------------------------------------------------------------------
// Client software

/** A client software profile: what Graph puts in deviceDetail and the user agent it sent. */
export interface ClientProfile {
  key: string;
  operatingSystem: string;
  /** `deviceDetail.browser` for browser sign-ins. */
  browser: string;
  userAgent: string;
  form: 'computer' | 'phone';
}

export const browserProfiles = {
  windowsEdge: {
    key: 'windowsEdge',
    operatingSystem: 'Windows 10',
    browser: 'Edge 130.0.0',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0',
    form: 'computer',
  },
  windowsChrome: {
    key: 'windowsChrome',
    operatingSystem: 'Windows 10',
    browser: 'Chrome 130.0.0',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    form: 'computer',
  },
  macSafari: {
    key: 'macSafari',
    operatingSystem: 'MacOs',
    browser: 'Safari 18.0',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Safari/605.1.15',
    form: 'computer',
  },
  macChrome: {
    key: 'macChrome',
    operatingSystem: 'MacOs',
    browser: 'Chrome 130.0.0',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    form: 'computer',
  },
  iphoneSafari: {
    key: 'iphoneSafari',
    operatingSystem: 'Ios',
    browser: 'Mobile Safari 18.0',
    userAgent: 'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1',
    form: 'phone',
  },
  androidChrome: {
    key: 'androidChrome',
    operatingSystem: 'Android',
    browser: 'Chrome Mobile 130.0.0',
    userAgent: 'Mozilla/5.0 (Linux; Android 14; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36',
    form: 'phone',
  },
  // Attacker tooling.
  linuxChrome: {
    key: 'linuxChrome',
    operatingSystem: 'Linux',
    browser: 'Chrome 129.0.0',
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/129.0.0.0 Safari/537.36',
    form: 'computer',
  },
  windowsFirefox: {
    key: 'windowsFirefox',
    operatingSystem: 'Windows 10',
    browser: 'Firefox 131.0',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:131.0) Gecko/20100101 Firefox/131.0',
    form: 'computer',
  },
  pythonRequests: { key: 'pythonRequests', operatingSystem: '', browser: 'Python Requests 2.32', userAgent: 'python-requests/2.32.3', form: 'computer' },
} as const satisfies Record<string, ClientProfile>;

export type BrowserKey = keyof typeof browserProfiles;

/** The `deviceDetail.browser` text and user agent a native app sends from a given platform. */
export function nativeClient(app: AppDef, operatingSystem: string): { browser: string; userAgent: string } {
  const mobileOs = operatingSystem === 'Ios' ? 'iOS' : 'Android';
  switch (app.key) {
    case 'teams':
      return {
        browser: 'Rich Client 1.7.00',
        userAgent:
          operatingSystem === 'MacOs'
            ? 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Teams/24295.605.3225.8804'
            : 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36 Edg/130.0.0.0 Teams/24295.605.3225.8804/49',
      };
    case 'officeDesktop':
      return {
        browser: 'Rich Client 16.0.18129',
        userAgent:
          operatingSystem === 'MacOs'
            ? 'Microsoft Outlook/16.90 (Macintosh; Intel Mac OS X 10_15_7)'
            : 'Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18129; Pro)',
      };
    case 'outlookMobile':
      return { browser: 'Mobile Safari', userAgent: `Outlook-${mobileOs}/2.0` };
    case 'teamsMobile':
      return { browser: 'Mobile Safari', userAgent: `Teams${mobileOs === 'iOS' ? 'iOS' : 'Android'}/6.20.0` };
    default:
      return { browser: '', userAgent: '' };
  }
}

// ---------------------------------------------------------------------------------------------
// Identity Protection vocabularies

export type RiskLevel = 'none' | 'low' | 'medium' | 'high';
export type RiskState = 'none' | 'atRisk' | 'confirmedCompromised' | 'remediated' | 'dismissed' | 'confirmedSafe';
export type RiskDetail =
  | 'none'
  | 'userPassedMFADrivenByRiskBasedPolicy'
  | 'aiConfirmedSigninSafe'
  | 'userPerformedSecuredPasswordReset'
  | 'userPerformedSecuredPasswordChange'
  | 'adminDismissedAllRiskForUser'
  | 'adminConfirmedUserCompromised'
  | 'adminConfirmedSigninSafe'
  | 'adminGeneratedTemporaryPassword';

export type DetectionTiming = 'realtime' | 'nearRealtime' | 'offline';

export interface RiskEventTypeDef {
  type: string;
  timing: DetectionTiming;
  activity: 'signin' | 'user';
  /** Also a member of the legacy `riskEventTypes` enum of signIn (the v1 array). */
  legacy: boolean;
  mitreTechniques?: string;
}

export const riskEventTypes = {
  unfamiliarFeatures: { type: 'unfamiliarFeatures', timing: 'realtime', activity: 'signin', legacy: true, mitreTechniques: 'T1078' },
  anonymizedIPAddress: { type: 'anonymizedIPAddress', timing: 'realtime', activity: 'signin', legacy: true, mitreTechniques: 'T1078,T1090.003' },
  unlikelyTravel: { type: 'unlikelyTravel', timing: 'offline', activity: 'signin', legacy: true, mitreTechniques: 'T1078' },
  maliciousIPAddress: { type: 'maliciousIPAddress', timing: 'offline', activity: 'signin', legacy: true, mitreTechniques: 'T1078' },
  passwordSpray: { type: 'passwordSpray', timing: 'offline', activity: 'signin', legacy: false, mitreTechniques: 'T1110.003' },
  leakedCredentials: { type: 'leakedCredentials', timing: 'offline', activity: 'user', legacy: true },
  adminConfirmedUserCompromised: { type: 'adminConfirmedUserCompromised', timing: 'offline', activity: 'user', legacy: true },
} as const satisfies Record<string, RiskEventTypeDef>;

export type RiskEventTypeKey = keyof typeof riskEventTypes;

const LEVEL_RANK: Record<RiskLevel, number> = { none: 0, low: 1, medium: 2, high: 3 };

export function maxLevel(levels: readonly RiskLevel[]): RiskLevel {
  let best: RiskLevel = 'none';
  for (const level of levels) if (LEVEL_RANK[level] > LEVEL_RANK[best]) best = level;
  return best;
}

export function levelRank(level: RiskLevel): number {
  return LEVEL_RANK[level];
}
