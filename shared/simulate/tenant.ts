/**
 * The simulated tenant: a fictional company on the reserved `.example` top-level domain, its
 * people, their devices, networks, usual applications and daily habits, and its Conditional
 * Access policies. Everything derives from the seed.
 */
import { browserProfiles, places, type AppKey, type BrowserKey, type Place, type PlaceKey } from './catalog.ts';
import { NetworkRegistry, type Network } from './network.ts';
import type { Rng } from './rng.ts';

export type Department = 'Sales' | 'Finance' | 'Engineering' | 'IT' | 'Human Resources' | 'Marketing' | 'Operations' | 'Legal';

/** A device as Graph describes it in `deviceDetail`, plus the browser it runs. */
export interface Device {
  deviceId: string;
  displayName: string | null;
  operatingSystem: string;
  browserKey: BrowserKey;
  isCompliant: boolean | null;
  isManaged: boolean | null;
  trustType: string | null;
  form: 'computer' | 'phone';
}

export interface Habits {
  /** Local hour the working day usually starts. */
  startHour: number;
  /** Usual length of the working day, hours. */
  dayLength: number;
  /** Mean interactive sign-ins on a working day. */
  signInsPerDay: number;
  /** Probability of working from the office on a working day (else from home). */
  officeRate: number;
  /** Probability of some activity on a weekend day. */
  weekendRate: number;
  /** Probability of an evening sign-in on a working day. */
  eveningRate: number;
  /** Probability of a day off on a weekday. */
  dayOffRate: number;
  /** Probability of working from a café or co-working space (public Wi-Fi) on a working day. */
  publicWifiRate: number;
}

export interface Person {
  index: number;
  objectId: string;
  givenName: string;
  surname: string;
  displayName: string;
  userPrincipalName: string;
  department: Department;
  jobTitle: string;
  office: Place;
  officeNetworks: readonly Network[];
  homeNetwork: Network;
  mobileNetwork: Network;
  computer: Device;
  phone: Device;
  /** Usual applications with their weights. */
  apps: readonly (readonly [AppKey, number])[];
  habits: Habits;
  /** In scope of the pilot risk-based Conditional Access policy (MFA on risky sign-ins). */
  riskPolicyPilot: boolean;
  /** Travels for work (business trips are planned by the behaviour generators). */
  traveller: boolean;
  /** Uses a consumer VPN in the evenings now and then. */
  vpnUser: boolean;
}

export interface ConditionalAccessPolicy {
  id: string;
  displayName: string;
  enforcedGrantControls: readonly string[];
  enforcedSessionControls: readonly string[];
}

export interface Tenant {
  tenantId: string;
  displayName: string;
  domain: string;
  people: readonly Person[];
  policies: {
    mfaForAzureManagement: ConditionalAccessPolicy;
    blockLegacyAuthentication: ConditionalAccessPolicy;
    riskySignInPilot: ConditionalAccessPolicy;
  };
  networks: NetworkRegistry;
  /** Each office's egress addresses. */
  offices: ReadonlyMap<PlaceKey, readonly Network[]>;
  /** Public Wi-Fi (cafés, co-working) around each office. */
  publicWifi: ReadonlyMap<PlaceKey, readonly Network[]>;
}

export const DEMO_DOMAIN = 'northwindtraders.example';
export const DEMO_TENANT_NAME = 'Northwind Traders';

export const GIVEN_NAMES = [
  'Adele',
  'Alex',
  'Amara',
  'Ben',
  'Bianca',
  'Carlos',
  'Chen',
  'Dana',
  'Diego',
  'Elena',
  'Emeka',
  'Farah',
  'Felix',
  'Grace',
  'Hannah',
  'Hiro',
  'Ines',
  'Isaac',
  'Jonas',
  'Julia',
  'Kai',
  'Karin',
  'Leila',
  'Liam',
  'Lucia',
  'Malik',
  'Maren',
  'Mateo',
  'Mei',
  'Nadia',
  'Niklas',
  'Nora',
  'Omar',
  'Priya',
  'Quinn',
  'Rafael',
  'Rosa',
  'Sam',
  'Sofia',
  'Tariq',
  'Theo',
  'Uma',
  'Vera',
  'Wen',
  'Yara',
  'Zoe',
] as const;

export const SURNAMES = [
  'Abbott',
  'Alvarez',
  'Bauer',
  'Brennan',
  'Castillo',
  'Dalton',
  'Eriksen',
  'Fischer',
  'Garner',
  'Haddad',
  'Holloway',
  'Ibarra',
  'Jansen',
  'Kowalski',
  'Lindqvist',
  'Maddox',
  'Moreau',
  'Nakamura',
  'Okafor',
  'Osei',
  'Park',
  'Quintero',
  'Rahman',
  'Reyes',
  'Sato',
  'Schmitt',
  'Sorensen',
  'Thornton',
  'Umarov',
  'Varga',
  'Whitfield',
  'Winter',
  'Xu',
  'Yilmaz',
  'Zeller',
  'Acosta',
  'Brandt',
  'Calloway',
  'Dubois',
  'Ferreira',
  'Gallagher',
  'Hartmann',
] as const;

/** Head count per department (40 people). */
export const DEPARTMENTS: readonly (readonly [Department, number])[] = [
  ['Sales', 8],
  ['Finance', 5],
  ['Engineering', 9],
  ['IT', 4],
  ['Human Resources', 3],
  ['Marketing', 5],
  ['Operations', 4],
  ['Legal', 2],
];

export const TITLES: Record<Department, readonly string[]> = {
  Sales: ['Account Executive', 'Sales Manager', 'Regional Sales Director', 'Sales Development Representative'],
  Finance: ['Accountant', 'Financial Analyst', 'Accounts Payable Specialist', 'Finance Director'],
  Engineering: ['Software Engineer', 'Senior Software Engineer', 'Engineering Manager', 'QA Engineer', 'Data Engineer'],
  IT: ['Systems Administrator', 'IT Support Specialist', 'Cloud Administrator', 'IT Manager'],
  'Human Resources': ['HR Generalist', 'Recruiter', 'HR Director'],
  Marketing: ['Marketing Specialist', 'Content Strategist', 'Marketing Manager'],
  Operations: ['Operations Coordinator', 'Logistics Analyst', 'Operations Manager'],
  Legal: ['Legal Counsel', 'Paralegal'],
};

/** Offices with head count, egress addresses and the broadband ISPs around them (fictional names). */
export const OFFICES: readonly { key: PlaceKey; headCount: number; egress: number; broadband: readonly string[]; mobile: string }[] = [
  { key: 'seattle', headCount: 18, egress: 3, broadband: ['Evergreen Broadband', 'Sound Cable'], mobile: 'Cascade Mobile' },
  { key: 'newYork', headCount: 8, egress: 2, broadband: ['Hudson Fiber', 'Empire Cable'], mobile: 'Cascade Mobile' },
  { key: 'london', headCount: 8, egress: 2, broadband: ['Thames Broadband', 'Albion Fibre'], mobile: 'Albion Mobile' },
  { key: 'berlin', headCount: 6, egress: 2, broadband: ['Spree Netz', 'Havel Kabel'], mobile: 'Rhein Mobilfunk' },
];

export const CORPORATE_ISP = 'Northwind Traders corporate egress';
export const PUBLIC_WIFI = ['Bean Counter Cafe Wi-Fi', 'Commons Coworking', 'City Library Wi-Fi', 'Station Lounge Wi-Fi'];

export function asciiLower(text: string): string {
  return text.toLowerCase().replace(/[^a-z]/g, '');
}

export function appMix(rng: Rng, department: Department): [AppKey, number][] {
  const mix: [AppKey, number][] = [
    ['exchangeOnline', rng.int(18, 30)],
    ['teams', rng.int(18, 30)],
    ['officeDesktop', rng.int(10, 20)],
    ['sharePointOnline', rng.int(8, 18)],
    ['officeShell', rng.int(4, 10)],
    ['outlookMobile', rng.int(6, 14)],
    ['teamsMobile', rng.int(3, 8)],
  ];
  if (department === 'IT') mix.push(['azurePortal', rng.int(12, 20)]);
  if (department === 'Engineering' && rng.chance(0.6)) mix.push(['azurePortal', rng.int(4, 10)]);
  if (department === 'Sales' || department === 'Marketing') mix.push(['sharePointOnline', rng.int(4, 8)]);
  return mix;
}

export function makeComputer(rng: Rng, serial: number): Device {
  const mac = rng.chance(0.2);
  const browserKey: BrowserKey = mac
    ? rng.weighted<BrowserKey>([
        ['macSafari', 2],
        ['macChrome', 1],
      ])
    : rng.weighted<BrowserKey>([
        ['windowsEdge', 3],
        ['windowsChrome', 1],
      ]);
  return {
    deviceId: rng.guid(),
    displayName: `${mac ? 'NWT-MB' : 'NWT-LT'}-${String(serial).padStart(4, '0')}`,
    operatingSystem: browserProfiles[browserKey].operatingSystem,
    browserKey,
    isCompliant: true,
    isManaged: true,
    trustType: mac
      ? 'Azure AD registered'
      : rng.weighted([
          ['Azure AD joined', 3],
          ['Hybrid Azure AD joined', 1],
        ]),
    form: 'computer',
  };
}

export function makePhone(rng: Rng): Device {
  const browserKey: BrowserKey = rng.chance(0.6) ? 'iphoneSafari' : 'androidChrome';
  const operatingSystem = browserProfiles[browserKey].operatingSystem;
  if (rng.chance(0.65)) {
    // Enrolled in Intune.
    return {
      deviceId: rng.guid(),
      displayName: operatingSystem === 'Ios' ? 'iPhone' : 'Android',
      operatingSystem,
      browserKey,
      isCompliant: true,
      isManaged: true,
      trustType: 'Azure AD registered',
      form: 'phone',
    };
  }
  // A personal phone: Graph knows nothing about it.
  return { deviceId: '', displayName: null, operatingSystem, browserKey, isCompliant: null, isManaged: null, trustType: null, form: 'phone' };
}

/** Builds the tenant for a seed. */
export function createTenant(rng: Rng): Tenant {
  const r = rng.fork('tenant');
  const networks = new NetworkRegistry();
  const offices = new Map<PlaceKey, Network[]>();
  const publicWifi = new Map<PlaceKey, Network[]>();
  for (const office of OFFICES) {
    const egress: Network[] = [];
    for (let i = 0; i < office.egress; i++) egress.push(networks.allocate('office', places[office.key], CORPORATE_ISP));
    offices.set(office.key, egress);
  }
  for (const office of OFFICES) {
    publicWifi.set(
      office.key,
      PUBLIC_WIFI.map((isp) => networks.allocate('public', places[office.key], isp)),
    );
  }

  // Unique names: shuffle the surname and given-name lists and pair them up.
  const given = r.shuffle(GIVEN_NAMES);
  const surnames = r.shuffle(SURNAMES);
  const departments = r.shuffle(DEPARTMENTS.flatMap(([department, count]) => Array.from({ length: count }, () => department)));
  const officeSlots = OFFICES.flatMap((office) => Array.from({ length: office.headCount }, () => office));

  const people: Person[] = [];
  for (let index = 0; index < officeSlots.length; index++) {
    const officeDef = officeSlots[index];
    const department = departments[index];
    const givenName = given[index % given.length];
    const surname = surnames[index % surnames.length];
    if (!officeDef || !department || !givenName || !surname) throw new Error('tenant tables are too short');
    const office = places[officeDef.key];
    const pr = r.fork(`person:${index}`);
    const officeNetworks = offices.get(officeDef.key) ?? [];
    const person: Person = {
      index,
      objectId: pr.guid(),
      givenName,
      surname,
      displayName: `${givenName} ${surname}`,
      userPrincipalName: `${asciiLower(givenName)}.${asciiLower(surname)}@${DEMO_DOMAIN}`,
      department,
      jobTitle: pr.pick(TITLES[department]),
      office,
      officeNetworks,
      homeNetwork: networks.allocate('home', office, pr.pick(officeDef.broadband)),
      mobileNetwork: networks.allocate('mobile', office, officeDef.mobile),
      computer: makeComputer(pr, 1000 + index * 7 + pr.int(0, 6)),
      phone: makePhone(pr),
      apps: appMix(pr, department),
      habits: {
        startHour: pr.gaussianClamped(8.6, 0.6, 7, 10.5),
        dayLength: pr.gaussianClamped(8.6, 0.7, 7, 10.5),
        signInsPerDay: pr.gaussianClamped(department === 'IT' || department === 'Sales' ? 2.35 : 1.85, 0.4, 1.2, 3.4),
        officeRate: pr.weighted([
          [0.85, 2],
          [0.6, 3],
          [0.35, 2],
          [0.1, 1],
        ]),
        weekendRate: pr.float(0.05, 0.25),
        eveningRate: pr.float(0.05, 0.3),
        dayOffRate: pr.float(0.02, 0.08),
        publicWifiRate: pr.chance(0.5) ? pr.float(0.02, 0.1) : 0,
      },
      riskPolicyPilot: department === 'IT' || department === 'Sales',
      traveller: department === 'Sales' || (department === 'Marketing' && pr.chance(0.4)) || (department === 'Legal' && pr.chance(0.3)),
      vpnUser: false,
    };
    people.push(person);
  }
  // A few people use a consumer VPN now and then (chosen once, from the whole company).
  for (const person of r.sample(people, 6)) person.vpnUser = true;

  return {
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
}
