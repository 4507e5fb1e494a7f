/**
 * Security alerts of Defender for Identity, Defender for Cloud Apps and Entra ID Protection, and
 * the Defender XDR incidents that group them. The titles, categories and MITRE techniques follow
 * the products' own alert names; ids follow the shapes Defender gives them (a product prefix and a
 * GUID). Incidents are numbered at the end, in time order.
 */
import { hashSeed, Rng } from './rng.ts';
import type { Host, SimPerson } from './population.ts';
import type { AlertClassification, AlertService, AlertSeverity, AlertStatus, AlertUser, SimAlert, SimIncident } from './events.ts';
import type { Micros } from './time.ts';

export interface AlertDef {
  service: AlertService;
  title: string;
  category: string;
  mitreTechniques: string[];
  description: (user: string) => string;
}

export const ALERT_DEFS = {
  idpUnfamiliar: {
    service: 'idp',
    title: 'Unfamiliar sign-in properties',
    category: 'InitialAccess',
    mitreTechniques: ['T1078'],
    description: (u) => `A sign-in by ${u} had properties not recently seen for this user (IP address, ASN, location, device or browser).`,
  },
  idpAnonymous: {
    service: 'idp',
    title: 'Anonymous IP address',
    category: 'InitialAccess',
    mitreTechniques: ['T1078', 'T1090.003'],
    description: (u) => `${u} signed in from an anonymous IP address (for example a Tor exit or an anonymizer VPN).`,
  },
  idpLeaked: {
    service: 'idp',
    title: 'Leaked credentials',
    category: 'CredentialAccess',
    mitreTechniques: ['T1589.001'],
    description: (u) => `The valid credentials of ${u} were found in a leak.`,
  },
  idpSpray: {
    service: 'idp',
    title: 'Password spray',
    category: 'CredentialAccess',
    mitreTechniques: ['T1110.003'],
    description: (u) => `${u} was signed in to by a password spray attack: many accounts were tried with a few common passwords from one source.`,
  },
  idpMaliciousIp: {
    service: 'idp',
    title: 'Malicious IP address',
    category: 'InitialAccess',
    mitreTechniques: ['T1078'],
    description: (u) => `${u} signed in from an IP address known to be malicious.`,
  },
  idpAdminConfirmed: {
    service: 'idp',
    title: 'Admin confirmed user compromised',
    category: 'InitialAccess',
    mitreTechniques: ['T1078'],
    description: (u) => `An administrator confirmed ${u} compromised in Identity Protection.`,
  },
  mdcaMassDownload: {
    service: 'mdca',
    title: 'Mass download by a single user',
    category: 'Exfiltration',
    mitreTechniques: ['T1530'],
    description: (u) => `${u} downloaded an unusual number of files in a single session.`,
  },
  mdcaInfrequentCountry: {
    service: 'mdca',
    title: 'Activity from infrequent country',
    category: 'InitialAccess',
    mitreTechniques: ['T1078'],
    description: (u) => `${u} performed an activity from a country not recently or never visited by the user or any user in the organization.`,
  },
  mdcaImpossibleTravel: {
    service: 'mdca',
    title: 'Impossible travel activity',
    category: 'InitialAccess',
    mitreTechniques: ['T1078'],
    description: (u) => `${u} performed activities from two distant locations within a period shorter than the time it takes to travel between them.`,
  },
  mdiBruteForce: {
    service: 'mdi',
    title: 'Suspected Brute Force attack (Kerberos, NTLM)',
    category: 'CredentialAccess',
    mitreTechniques: ['T1110', 'T1110.001', 'T1110.003'],
    description: (u) => `Many authentication failures against ${u} from one device, followed by a successful authentication.`,
  },
  mdiPassTheHash: {
    service: 'mdi',
    title: 'Suspected identity theft (pass-the-hash)',
    category: 'LateralMovement',
    mitreTechniques: ['T1550.002'],
    description: (u) => `The NTLM hash of ${u} was used from a device the user does not use, to access several resources.`,
  },
  mdiDcSync: {
    service: 'mdi',
    title: 'Suspected DCSync attack (replication of directory services)',
    category: 'CredentialAccess',
    mitreTechniques: ['T1003.006'],
    description: (u) => `${u} sent a replication request to a domain controller from a device that is not a domain controller.`,
  },
  mdiAccountEnum: {
    service: 'mdi',
    title: 'Account enumeration reconnaissance',
    category: 'Discovery',
    mitreTechniques: ['T1087.002'],
    description: (u) => `${u} enumerated accounts in the domain through SAMR from one device.`,
  },
  mdiLdapRecon: {
    service: 'mdi',
    title: 'Security principal reconnaissance (LDAP)',
    category: 'Discovery',
    mitreTechniques: ['T1087.002', 'T1069.002'],
    description: (u) => `${u} ran suspicious LDAP queries for sensitive groups and accounts.`,
  },
  mdiLdapBruteForce: {
    service: 'mdi',
    title: 'Suspected Brute Force attack (LDAP)',
    category: 'CredentialAccess',
    mitreTechniques: ['T1110'],
    description: (u) => `Many LDAP simple-bind failures for ${u} from one device.`,
  },
} as const satisfies Record<string, AlertDef>;

export type AlertKey = keyof typeof ALERT_DEFS;

/** Each alert title's detector id: stable, derived from the title (no randomness). */
export function detectorIdOf(title: string): string {
  return new Rng(hashSeed(`detector:${title}`)).guid();
}

export interface AlertSpec {
  key: AlertKey;
  users: AlertUser[];
  firstActivity: Micros;
  lastActivity?: Micros;
  /** Defaults to a product-typical delay after the last activity. */
  created?: Micros;
  severity: AlertSeverity;
  status?: AlertStatus;
  classification?: AlertClassification;
  determination?: string;
  /** When it was resolved (status resolved). */
  resolvedAt?: Micros;
  ips?: { ip: string; country: string }[];
  devices?: Host[];
  incidentKey: string;
  /** For Identity Protection alerts: the detection id (Defender uses it as the provider's alert id). */
  providerAlertId?: string;
  origin: string;
}

export interface AlertRecord extends SimAlert {
  providerAlertId: string;
}

/** A user as an alert names them: everything, unless told otherwise. */
export function alertUser(person: SimPerson, show: Partial<Omit<AlertUser, 'person'>> = {}): AlertUser {
  return { person, showObjectId: show.showObjectId ?? true, showUpn: show.showUpn ?? true, showSid: show.showSid ?? person.hybrid };
}

export function makeAlert(r: Rng, spec: AlertSpec, windowEnd: Micros): AlertRecord {
  const def: AlertDef = ALERT_DEFS[spec.key];
  const last = spec.lastActivity ?? spec.firstActivity;
  const delay =
    def.service === 'mdi' ? r.int(60_000_000, 600_000_000) : def.service === 'mdca' ? r.int(300_000_000, 3_600_000_000) : r.int(30_000_000, 900_000_000);
  const created = Math.min(windowEnd, spec.created ?? last + delay);
  const resolved =
    spec.status === 'resolved' ? Math.min(windowEnd, Math.max(created, spec.resolvedAt ?? created + r.int(3_600_000_000, 86_400_000_000))) : null;
  const guid = r.guid();
  const id = def.service === 'mdi' ? `aa${guid}` : def.service === 'mdca' ? `ca${guid.toUpperCase()}` : `ad${guid}`;
  const subject = spec.users[0] ? spec.users[0].person.displayName : 'an account';
  return {
    id,
    providerAlertId: spec.providerAlertId ?? (def.service === 'mdca' ? r.hex(24) : guid),
    service: def.service,
    title: def.title,
    description: def.description(subject),
    category: def.category,
    severity: spec.severity,
    status: spec.status ?? 'new',
    classification: spec.classification ?? 'unknown',
    determination: spec.determination ?? 'unknown',
    mitreTechniques: [...def.mitreTechniques],
    created,
    lastUpdated: resolved ?? created,
    resolved,
    firstActivity: spec.firstActivity,
    lastActivity: last,
    users: spec.users,
    ips: spec.ips ?? [],
    devices: spec.devices ?? [],
    detectorId: detectorIdOf(def.title),
    incidentKey: spec.incidentKey,
    incidentId: 0,
    origin: spec.origin,
  };
}

const SEVERITY_RANK: Record<AlertSeverity, number> = { informational: 0, low: 1, medium: 2, high: 3 };

const TACTIC_NAMES: Record<string, string> = {
  InitialAccess: 'Initial access',
  CredentialAccess: 'Credential access',
  LateralMovement: 'Lateral movement',
  Discovery: 'Discovery',
  Exfiltration: 'Exfiltration',
  Collection: 'Collection',
  Persistence: 'Persistence',
  DefenseEvasion: 'Defense evasion',
};

/** Groups alerts into incidents by key and numbers them in time order from a seeded base. */
export function buildIncidents(alerts: readonly SimAlert[], rng: Rng): SimIncident[] {
  const groups = new Map<string, SimAlert[]>();
  for (const alert of alerts) {
    const list = groups.get(alert.incidentKey);
    if (list) list.push(alert);
    else groups.set(alert.incidentKey, [alert]);
  }
  const ordered = [...groups.entries()]
    .map(([key, list]) => ({ key, list: [...list].sort((a, b) => a.created - b.created || (a.id < b.id ? -1 : 1)) }))
    .sort((a, b) => (a.list[0]?.created ?? 0) - (b.list[0]?.created ?? 0) || (a.key < b.key ? -1 : 1));
  const r = rng.fork('incidents');
  let next = r.int(2000, 4000);
  const incidents: SimIncident[] = [];
  for (const { list } of ordered) {
    const id = next;
    next += r.int(1, 9);
    for (const alert of list) alert.incidentId = id;
    const first = list[0] as SimAlert;
    const severity = list.reduce<AlertSeverity>((best, a) => (SEVERITY_RANK[a.severity] > SEVERITY_RANK[best] ? a.severity : best), 'informational');
    const allResolved = list.every((a) => a.status === 'resolved');
    const classifications = new Set(list.map((a) => a.classification));
    const determinations = new Set(list.map((a) => a.determination));
    const tactics = [...new Set(list.map((a) => a.category))];
    const users = new Set(list.flatMap((a) => a.users.map((u) => u.person.objectId)));
    const name =
      list.length === 1
        ? first.title
        : tactics.length > 1
          ? `Multi-stage incident involving ${tactics.map((t) => TACTIC_NAMES[t] ?? t).join(' & ')} on ${users.size === 1 ? 'one user' : `${users.size} users`}`
          : `${TACTIC_NAMES[first.category] ?? first.category} incident involving ${users.size === 1 ? 'one user' : `${users.size} users`}`;
    incidents.push({
      id,
      name,
      alerts: list,
      created: Math.min(...list.map((a) => a.created)),
      lastUpdated: Math.max(...list.map((a) => a.lastUpdated)),
      status: allResolved ? 'Resolved' : list.some((a) => a.status === 'inProgress') ? 'Active' : 'New',
      severity,
      classification: classifications.size === 1 ? first.classification : 'unknown',
      determination: determinations.size === 1 ? first.determination : 'unknown',
    });
  }
  return incidents;
}
