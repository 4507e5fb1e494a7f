/**
 * The simulated organisation at any size: people with consistent identities across every source
 * (Entra object id and UPN, on-prem SID and `DOMAIN\sam` for hybrid users, a UPN that changed for a
 * few), their devices, networks and habits; on-prem service accounts; and workload identities
 * (service principals and managed identities). Everything derives from the seed.
 *
 * The 40-person demo tenant (tenant.ts) stays as it is; this module builds the same kind of people
 * for any head count, reusing its vocabularies and device and habit generators.
 */
import { places, type Place, type PlaceKey } from './catalog.ts';
import { NetworkRegistry, type Network } from './network.ts';
import type { Rng } from './rng.ts';
import {
  appMix,
  asciiLower,
  CORPORATE_ISP,
  DEMO_DOMAIN,
  DEMO_TENANT_NAME,
  DEPARTMENTS,
  GIVEN_NAMES,
  makeComputer,
  makePhone,
  OFFICES,
  PUBLIC_WIFI,
  SURNAMES,
  TITLES,
  type Department,
  type Person,
  type Tenant,
} from './tenant.ts';
import type { Micros, TimeWindow } from './time.ts';

/** A machine in the on-prem Active Directory. */
export interface Host {
  name: string;
  fqdn: string;
  /** Private (RFC 1918) address on the corporate network. */
  ip: string;
  os: string;
}

export interface ActiveDirectory {
  /** NetBIOS name: the `DOMAIN` of `DOMAIN\sam`. */
  netbios: string;
  /** DNS name; its first label is the NetBIOS name, as in default deployments. */
  dnsDomain: string;
  /** The domain SID (`S-1-5-21-a-b-c`); account SIDs append a RID. */
  domainSid: string;
  /** Domain controllers by site (office key, or `hq` for remote workers). */
  dcs: Host[];
  servers: Host[];
}

export type PersonRole = 'user' | 'admin' | 'pentest';

/** A UPN change: records before `at` carry the previous UPN (and display name). */
export interface Rename {
  previousUpn: string;
  previousDisplayName: string;
  at: Micros;
  /** The person as records before the rename name them. */
  before: SimPerson;
}

export interface SimPerson extends Person {
  /** Synced from on-prem Active Directory (has a SID and `DOMAIN\sam`); false for cloud-only accounts. */
  hybrid: boolean;
  sid: string;
  samAccountName: string;
  /** Whether Defender for Identity rows of this account carry the cloud UPN / object id (it resolves most, not all). */
  mdiShowsUpn: boolean;
  mdiShowsObjectId: boolean;
  rename: Rename | null;
  role: PersonRole;
  /** Entra roles held (admins). */
  directoryRoles: string[];
  workstation: Host;
  /** Exchange's user key (PUID-like, 16 upper-case hex digits) and mailbox id. */
  puid: string;
  mailboxGuid: string;
  /** Volume multiplier of this person's activity (some people do much more than others). */
  activity: number;
  /** Documents this person works on (file names). */
  documents: string[];
  /** Departmental SharePoint site name. */
  site: string;
}

/** An on-prem-only service account (no cloud identity): logs on from servers around the clock. */
export interface ServiceAccount {
  index: number;
  samAccountName: string;
  displayName: string;
  sid: string;
  server: Host;
  /** Logons per hour. */
  rate: number;
}

export type WorkloadKind = 'servicePrincipal' | 'managedIdentity';

/** A workload identity: an application or an Azure resource signing in with its own credentials. */
export interface Workload {
  index: number;
  kind: WorkloadKind;
  displayName: string;
  servicePrincipalId: string;
  appId: string;
  credential: 'clientSecret' | 'certificate' | 'managedIdentity';
  msiType: 'systemAssigned' | 'userAssigned' | null;
  associatedResourceId: string | null;
  resource: { id: string; displayName: string };
  /** Service principals call from an address; managed identity sign-ins carry an empty one. */
  network: Network | null;
  /** Relative volume. */
  rate: number;
}

export interface Population {
  tenant: Tenant;
  people: SimPerson[];
  serviceAccounts: ServiceAccount[];
  workloads: Workload[];
  ad: ActiveDirectory;
  /** Log Analytics workspace id (the `TenantId` column of Sentinel tables). */
  workspaceId: string;
  /** The tenant's number in Defender report ids. */
  tenantNumber: number;
  /** `<name>.onmicrosoft.com`-style organisation name of the simulated tenant. */
  organizationName: string;
  sharePointHost: string;
}

export const AD_NETBIOS = 'NWT';
export const AD_DNS_DOMAIN = 'nwt.northwindtraders.example';
export const ORGANIZATION_NAME = 'northwindtradersexample.onmicrosoft.com';
export const SHAREPOINT_HOST = 'northwindtradersexample.sharepoint.com';

/** Where people work: the four offices (with their head-count weights) and a few remote countries. */
const SITES: readonly { key: PlaceKey; weight: number; remote: boolean; subnet: number }[] = [
  { key: 'seattle', weight: 40, remote: false, subnet: 10 },
  { key: 'newYork', weight: 18, remote: false, subnet: 20 },
  { key: 'london', weight: 18, remote: false, subnet: 30 },
  { key: 'berlin', weight: 14, remote: false, subnet: 40 },
  { key: 'toronto', weight: 5, remote: true, subnet: 90 },
  { key: 'madrid', weight: 3, remote: true, subnet: 91 },
  { key: 'amsterdam', weight: 2, remote: true, subnet: 92 },
];

const REMOTE_ISPS: Record<string, { broadband: string[]; mobile: string }> = {
  toronto: { broadband: ['Maple Fibre', 'Lakeshore Cable'], mobile: 'Northern Mobile' },
  madrid: { broadband: ['Meseta Fibra'], mobile: 'Iberia Movil' },
  amsterdam: { broadband: ['Grachten Glasvezel'], mobile: 'Polder Mobiel' },
};

const DOCUMENT_STEMS = [
  'Q3 forecast',
  'Q4 budget',
  'Customer list',
  'Pricing sheet',
  'Board deck',
  'Team roster',
  'Onboarding checklist',
  'Vendor contracts',
  'Sales pipeline',
  'Release notes',
  'Architecture overview',
  'Incident postmortem',
  'Marketing plan',
  'Campaign results',
  'Expense report',
  'Travel policy',
  'Headcount plan',
  'Roadmap',
  'Meeting notes',
  'Project status',
  'Inventory',
  'Shipping schedule',
  'Contract draft',
  'Invoice',
] as const;
const DOCUMENT_EXTENSIONS = ['docx', 'xlsx', 'pptx', 'pdf', 'docx', 'xlsx'] as const;

const SERVICE_ACCOUNTS = ['svc-sql', 'svc-backup', 'svc-scan', 'svc-print', 'svc-sharepoint', 'svc-monitor', 'svc-deploy', 'svc-hr-sync'] as const;

const WORKLOAD_NAMES: readonly { name: string; kind: WorkloadKind; credential: Workload['credential']; msiType: Workload['msiType'] }[] = [
  { name: 'NWT Payroll Sync', kind: 'servicePrincipal', credential: 'clientSecret', msiType: null },
  { name: 'nwt-func-invoices', kind: 'managedIdentity', credential: 'managedIdentity', msiType: 'systemAssigned' },
  { name: 'NWT Backup Connector', kind: 'servicePrincipal', credential: 'certificate', msiType: null },
  { name: 'nwt-vm-build01', kind: 'managedIdentity', credential: 'managedIdentity', msiType: 'systemAssigned' },
  { name: 'NWT CRM Integration', kind: 'servicePrincipal', credential: 'clientSecret', msiType: null },
  { name: 'nwt-logic-hr', kind: 'managedIdentity', credential: 'managedIdentity', msiType: 'userAssigned' },
  { name: 'NWT Reporting Service', kind: 'servicePrincipal', credential: 'certificate', msiType: null },
  { name: 'nwt-aks-orders', kind: 'managedIdentity', credential: 'managedIdentity', msiType: 'userAssigned' },
];

/** Resources workloads call (Microsoft's public first-party application ids). */
const WORKLOAD_RESOURCES = [
  { id: '00000003-0000-0000-c000-000000000000', displayName: 'Microsoft Graph' },
  { id: 'cfa8b339-82a2-471a-a3c9-0fc0be7a4093', displayName: 'Azure Key Vault' },
  { id: 'e406a681-f3d4-42a8-90b6-c2b029497af1', displayName: 'Azure Storage' },
  { id: '797f4846-ba00-4fd7-ba43-dac1f8f63013', displayName: 'Windows Azure Service Management API' },
] as const;

/** Quotas that add up to `total`, proportional to the weights (largest remainders). */
export function quotas(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const exact = weights.map((w) => (total * w) / sum);
  const out = exact.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i] = (out[i] ?? 0) + 1;
    left--;
  }
  return out;
}

function host(name: string, dnsDomain: string, ip: string, os: string): Host {
  return { name, fqdn: `${name.toLowerCase()}.${dnsDomain}`, ip, os };
}

function internalIp(subnet: number, n: number): string {
  return `10.${subnet}.${1 + ((n >> 8) & 0xff)}.${1 + (n & 0xfe)}`;
}

/** Builds the organisation for a seed and head count (at least 20 people). */
export function createPopulation(rng: Rng, userCount: number, window: TimeWindow): Population {
  if (!Number.isInteger(userCount) || userCount < 20) throw new RangeError(`the simulation needs at least 20 users, got ${userCount}`);
  const r = rng.fork('population');
  const networks = new NetworkRegistry();
  const offices = new Map<PlaceKey, Network[]>();
  const publicWifi = new Map<PlaceKey, Network[]>();
  for (const office of OFFICES) {
    const egress: Network[] = [];
    for (let i = 0; i < office.egress; i++) egress.push(networks.allocate('office', places[office.key], CORPORATE_ISP));
    offices.set(office.key, egress);
  }
  for (const office of OFFICES)
    publicWifi.set(
      office.key,
      PUBLIC_WIFI.map((isp) => networks.allocate('public', places[office.key], isp)),
    );
  // Mobile carriers use carrier-grade NAT: a small pool of addresses shared by all their subscribers.
  const carrierPools = new Map<string, Network[]>();
  const carrierPool = (place: Place, carrier: string): Network[] => {
    let pool = carrierPools.get(carrier);
    if (!pool) {
      pool = Array.from({ length: 6 }, () => networks.allocateFlexible('mobile', place, carrier));
      carrierPools.set(carrier, pool);
    }
    return pool;
  };

  const domainSid = `S-1-5-21-${r.int(1_000_000_000, 4_000_000_000)}-${r.int(1_000_000_000, 4_000_000_000)}-${r.int(1_000_000_000, 4_000_000_000)}`;
  const dcs = SITES.filter((site) => !site.remote).map((site, i) =>
    host(`NWT-DC${String(i + 1).padStart(2, '0')}`, AD_DNS_DOMAIN, `10.${site.subnet}.0.10`, 'Windows Server 2022'),
  );
  const servers = ['FILESRV01', 'SQL01', 'APP01', 'PRINT01', 'WSUS01', 'BACKUP01'].map((name, i) =>
    host(name, AD_DNS_DOMAIN, `10.10.0.${20 + i}`, 'Windows Server 2019'),
  );
  const ad: ActiveDirectory = { netbios: AD_NETBIOS, dnsDomain: AD_DNS_DOMAIN, domainSid, dcs, servers };

  // Departments and sites by quota, then shuffled, so every department and office is staffed.
  const departmentSlots = r.shuffle(
    quotas(
      userCount,
      DEPARTMENTS.map(([, n]) => n),
    ).flatMap((n, i) => Array.from({ length: n }, () => (DEPARTMENTS[i] as readonly [Department, number])[0])),
  );
  const siteSlots = r.shuffle(
    quotas(
      userCount,
      SITES.map((s) => s.weight),
    ).flatMap((n, i) => Array.from({ length: n }, () => SITES[i] as (typeof SITES)[number])),
  );
  // Names: every given-name × surname pair once in a shuffled order, then again with a number.
  const pairs = r.shuffle(GIVEN_NAMES.flatMap((given) => SURNAMES.map((surname) => [given, surname] as const)));
  const usedUpn = new Set<string>();
  const usedSam = new Set<string>();
  const siteIndex = new Map<string, number>();

  const people: SimPerson[] = [];
  for (let index = 0; index < userCount; index++) {
    const pair = pairs[index % pairs.length] as readonly [string, string];
    const round = Math.floor(index / pairs.length);
    const [givenName, surname] = pair;
    const department = departmentSlots[index] as Department;
    const site = siteSlots[index] as (typeof SITES)[number];
    const pr = r.fork(`person:${index}`);
    const place = places[site.key];
    const officeDef = OFFICES.find((office) => office.key === site.key);
    const isp = officeDef
      ? { broadband: officeDef.broadband, mobile: officeDef.mobile }
      : (REMOTE_ISPS[site.key] ?? { broadband: ['Home Broadband'], mobile: 'Mobile' });
    let upnLocal = `${asciiLower(givenName)}.${asciiLower(surname)}${round > 0 ? round + 1 : ''}`;
    while (usedUpn.has(upnLocal)) upnLocal += 'x';
    usedUpn.add(upnLocal);
    let sam = `${asciiLower(givenName).slice(0, 1)}${asciiLower(surname)}`.slice(0, 18);
    for (let n = 2; usedSam.has(sam); n++) sam = `${`${asciiLower(givenName).slice(0, 1)}${asciiLower(surname)}`.slice(0, 16)}${n}`;
    usedSam.add(sam);
    const n = siteIndex.get(site.key) ?? 0;
    siteIndex.set(site.key, n + 1);
    const computer = makeComputer(pr, 1000 + index * 7 + pr.int(0, 6));
    const hybrid = pr.chance(0.82);
    const admin = department === 'IT' && pr.chance(0.5);
    const person: SimPerson = {
      index,
      objectId: pr.guid(),
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      userPrincipalName: `${upnLocal}@${DEMO_DOMAIN}`,
      department,
      jobTitle: pr.pick(TITLES[department]),
      office: place,
      officeNetworks: offices.get(site.key) ?? [],
      homeNetwork: networks.allocateFlexible('home', place, pr.pick(isp.broadband)),
      mobileNetwork: pr.pick(carrierPool(place, isp.mobile)),
      computer,
      phone: makePhone(pr),
      apps: appMix(pr, department),
      habits: {
        startHour: pr.gaussianClamped(8.6, 0.6, 7, 10.5),
        dayLength: pr.gaussianClamped(8.6, 0.7, 7, 10.5),
        signInsPerDay: pr.gaussianClamped(department === 'IT' || department === 'Sales' ? 2.35 : 1.85, 0.4, 1.2, 3.4),
        officeRate: site.remote
          ? 0
          : pr.weighted([
              [0.85, 2],
              [0.6, 3],
              [0.35, 2],
              [0.1, 1],
            ]),
        weekendRate: pr.float(0.05, 0.25),
        eveningRate: pr.float(0.05, 0.3),
        dayOffRate: pr.float(0.02, 0.08),
        publicWifiRate: !site.remote && pr.chance(0.5) ? pr.float(0.02, 0.1) : 0,
      },
      riskPolicyPilot: department === 'IT' || department === 'Sales',
      traveller: department === 'Sales' || (department === 'Marketing' && pr.chance(0.4)) || (department === 'Legal' && pr.chance(0.3)),
      vpnUser: pr.chance(0.12),
      hybrid,
      sid: hybrid ? `${domainSid}-${1104 + index * 3 + pr.int(0, 2)}` : '',
      samAccountName: hybrid ? sam : '',
      mdiShowsUpn: pr.chance(0.9),
      mdiShowsObjectId: pr.chance(0.7),
      rename: null,
      role: admin ? 'admin' : 'user',
      directoryRoles: admin ? [pr.pick(['Global Administrator', 'User Administrator', 'Exchange Administrator', 'Security Administrator'])] : [],
      workstation: host(
        computer.displayName ?? `NWT-LT-${1000 + index}`,
        AD_DNS_DOMAIN,
        internalIp(site.subnet, n),
        computer.operatingSystem === 'MacOs' ? 'macOS' : 'Windows 11',
      ),
      puid: `10032${pr.hex(11)}`.toUpperCase(),
      mailboxGuid: pr.guid(),
      activity: pr.gaussianClamped(1, 0.35, 0.3, 2.5),
      documents: pr.sample(DOCUMENT_STEMS, 6).map((stem) => `${stem}.${pr.pick(DOCUMENT_EXTENSIONS)}`),
      site: department === 'Human Resources' ? 'HR' : department.replace(/\s+/g, ''),
    };
    people.push(person);
  }

  // The pen-test contractor account: hybrid, in IT, quiet in the cloud.
  const pentest = people[people.length - 1] as SimPerson;
  Object.assign(pentest, {
    givenName: 'Pentest',
    surname: 'Contractor',
    displayName: 'Pentest Contractor (Red Team)',
    userPrincipalName: `ext.pentest@${DEMO_DOMAIN}`,
    department: 'IT',
    jobTitle: 'External Penetration Tester',
    role: 'pentest',
    directoryRoles: [],
    samAccountName: 'ext-pentest',
    hybrid: true,
    sid: `${domainSid}-${1104 + pentest.index * 3}`,
    activity: 0.2,
    traveller: false,
    vpnUser: false,
    riskPolicyPilot: false,
  } satisfies Partial<SimPerson>);

  // A few people renamed during the window (marriage, correction): older records carry the old UPN.
  const renameCount = Math.max(1, Math.round(userCount * 0.015));
  const candidates = people.filter((person) => person.role === 'user');
  for (const person of r.sample(candidates, Math.min(renameCount, candidates.length))) {
    const oldSurname = r.pick(SURNAMES.filter((s) => s !== person.surname));
    const local = `${asciiLower(person.givenName)}.${asciiLower(oldSurname)}`;
    let previousUpn = `${local}@${DEMO_DOMAIN}`;
    for (let k = 2; usedUpn.has(previousUpn.split('@')[0] ?? ''); k++) previousUpn = `${local}${k}@${DEMO_DOMAIN}`;
    usedUpn.add(previousUpn.split('@')[0] ?? '');
    const at = window.start + r.int(Math.floor((window.end - window.start) * 0.25), Math.floor((window.end - window.start) * 0.75));
    const previousDisplayName = `${person.givenName} ${oldSurname}`;
    const before: SimPerson = { ...person, userPrincipalName: previousUpn, displayName: previousDisplayName, surname: oldSurname, rename: null };
    person.rename = { previousUpn, previousDisplayName, at, before };
  }

  const serviceAccountCount = Math.max(2, Math.min(SERVICE_ACCOUNTS.length, Math.round(userCount / 60)));
  const serviceAccounts: ServiceAccount[] = Array.from({ length: serviceAccountCount }, (_, i) => ({
    index: i,
    samAccountName: SERVICE_ACCOUNTS[i] as string,
    displayName: SERVICE_ACCOUNTS[i] as string,
    sid: `${domainSid}-${1000 + i * 7 + 3}`,
    server: servers[i % servers.length] as Host,
    rate: r.float(2, 8),
  }));

  const workloadCount = Math.max(4, Math.round(userCount / 50));
  const workloads: Workload[] = [];
  for (let i = 0; i < workloadCount; i++) {
    const def = WORKLOAD_NAMES[i % WORKLOAD_NAMES.length] as (typeof WORKLOAD_NAMES)[number];
    const round = Math.floor(i / WORKLOAD_NAMES.length);
    const wr = r.fork(`workload:${i}`);
    const displayName = round > 0 ? `${def.name}-${round + 1}` : def.name;
    const subscription = wr.guid();
    workloads.push({
      index: i,
      kind: def.kind,
      displayName,
      servicePrincipalId: wr.guid(),
      appId: wr.guid(),
      credential: def.credential,
      msiType: def.msiType,
      associatedResourceId:
        def.kind === 'managedIdentity'
          ? `/subscriptions/${subscription}/resourcegroups/rg-${asciiLower(displayName.replace(/^nwt-/, ''))}/providers/${displayName.includes('vm') ? 'Microsoft.Compute/virtualMachines' : displayName.includes('aks') ? 'Microsoft.ContainerService/managedClusters' : 'Microsoft.Web/sites'}/${displayName}`
          : null,
      resource: wr.pick(WORKLOAD_RESOURCES),
      network: def.kind === 'servicePrincipal' ? networks.allocateFlexible('hosting', places.frankfurt, 'Northwind Traders Azure egress') : null,
      rate: wr.float(0.5, 2),
    });
  }

  const tenant: Tenant = {
    tenantId: r.guid(),
    displayName: DEMO_TENANT_NAME,
    domain: DEMO_DOMAIN,
    people,
    policies: {
      mfaForAzureManagement: {
        id: r.guid(),
        displayName: 'CA001: Require MFA for Azure management',
        enforcedGrantControls: ['Mfa'],
        enforcedSessionControls: [],
      },
      blockLegacyAuthentication: {
        id: r.guid(),
        displayName: 'CA002: Block legacy authentication',
        enforcedGrantControls: ['Block'],
        enforcedSessionControls: [],
      },
      riskySignInPilot: {
        id: r.guid(),
        displayName: 'CA003: Require MFA for risky sign-ins (pilot)',
        enforcedGrantControls: ['Mfa'],
        enforcedSessionControls: [],
      },
    },
    networks,
    offices,
    publicWifi,
  };
  return {
    tenant,
    people,
    serviceAccounts,
    workloads,
    ad,
    workspaceId: r.guid(),
    tenantNumber: r.int(100_000_000, 999_999_999),
    organizationName: ORGANIZATION_NAME,
    sharePointHost: SHAREPOINT_HOST,
  };
}

/** The person as records at time `t` name them (the UPN before a rename). */
export function identityAt(person: SimPerson, t: Micros): SimPerson {
  return person.rename && t < person.rename.at ? person.rename.before : person;
}

/** The domain controller of a person's site (remote workers authenticate against the first one). */
export function siteDc(population: Population, person: SimPerson): Host {
  const subnet = person.workstation.ip.split('.')[1];
  return population.ad.dcs.find((dc) => dc.ip.split('.')[1] === subnet) ?? (population.ad.dcs[0] as Host);
}
