/**
 * The layouts export tools write: Microsoft-Extractor-Suite (CSV with a BOM, PascalCase flattened Graph objects,
 * US-format times, JSON arrays appended page after page, UTF-16 from Out-File) and the Untitled Goose Tool (NDJSON
 * of Graph beta records). Fixtures: test/fixtures/tools (see its README for what each file stands for).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identifierKey } from '../model/identity.ts';
import type { ActivityRecord, AlertRecord, NormalizedRecord, RiskDetectionRecord, RiskyUserRecord, SignInRecord } from '../model/records.ts';
import { IdentityResolver } from '../model/resolver.ts';
import { parseAll, parseExport, type FileSummary } from './parse.ts';

const fixtures = fileURLToPath(new URL('../../test/fixtures/tools/', import.meta.url));
const read = (path: string) => new Uint8Array(readFileSync(fixtures + path));
const parse = (path: string) => parseAll(path, read(path));

const MIRA = { objectId: '5c1e6f0a-3b7d-4e2a-9f10-2d8c4b6a7e01', upn: 'mira.okafor@tailspin.onmicrosoft.com' };
const JONAS = { objectId: '8a2f4c6e-1d3b-4a5c-8e7f-9b0d2c4e6f02', upn: 'jonas.weber@tailspin.onmicrosoft.com' };
const LENA = { objectId: 'c3d5e7f9-2a4b-4c6d-8e0f-1a3b5c7d9e03', upn: 'lena.park@tailspin.onmicrosoft.com' };
const person = (who: { objectId: string; upn: string }) => [
  { type: 'objectId', value: who.objectId },
  { type: 'upn', value: who.upn },
];

const ES = 'extractor-suite/';
const GOOSE = 'goose/';

const clean = (summary: FileSummary, format: string, container: string, accepted: number) =>
  expect(summary).toMatchObject({ format, container, accepted, rejected: 0, errors: [] });

const originalZone = process.env.TZ;
afterAll(() => {
  process.env.TZ = originalZone;
});

// Node re-reads TZ when it is assigned: every reading below must give the same UTC instants on any machine.
describe.each(['UTC', 'Europe/Berlin', 'America/Los_Angeles'])('export tools, with the machine in %s', (zone) => {
  beforeAll(() => {
    process.env.TZ = zone;
  });

  it('runs in that zone', () => {
    expect(new Date(Date.UTC(2025, 6, 1)).getTimezoneOffset()).toBe({ UTC: 0, 'Europe/Berlin': -120, 'America/Los_Angeles': 420 }[zone]);
  });

  describe('Microsoft-Extractor-Suite', () => {
    it('Get-RiskyDetections CSV: US times as UTC, the flat City/State/CountryOrRegion columns as the place', async () => {
      const bytes = read(`${ES}RiskyDetections.csv`);
      expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const { records, summary } = await parse(`${ES}RiskyDetections.csv`);
      clean(summary, 'entra-risk-detection', 'csv', 4);
      const detections = records as RiskDetectionRecord[];
      expect(detections[0]).toMatchObject({
        id: 'riskDetection:4f9b7f7940264ce41b8102bc54d7e6710992a16cf9c9391d7d146cca06be2708',
        time: Date.UTC(2025, 0, 27, 9, 59, 58),
        timeRaw: '1/27/2025 9:59:58 AM',
        identifiers: person(MIRA),
        riskEventType: 'unfamiliarFeatures',
        riskLevel: 'low',
        riskState: 'remediated',
        riskDetail: 'userPassedMFADrivenByRiskBasedPolicy',
        detectionTimingType: 'realtime',
        ipAddress: '94.127.55.204',
        location: { city: 'København', state: 'Hovedstaden', country: 'DK' },
        requestId: 'de4fe081-5ca4-404e-8e3b-9bdc0cd15f00',
        lastUpdatedTime: Date.UTC(2025, 0, 27, 10, 2, 10),
      });
      // An offline detection: activity (8:20:44 PM) hours before detection (1:33:44 AM the next day).
      expect(detections[1]).toMatchObject({
        time: Date.UTC(2025, 0, 26, 20, 20, 44),
        detectedTime: Date.UTC(2025, 0, 27, 1, 33, 44),
        riskState: 'atRisk',
        location: { city: 'Amsterdam', state: 'Noord-Holland', country: 'NL' },
      });
      expect(detections[2]).toMatchObject({ riskEventType: 'anomalousToken', riskLevel: 'high', time: Date.UTC(2025, 0, 30, 7, 47, 59) });
      // A detection type newer than our vocabulary is kept as written; empty location columns give no place.
      expect(detections[3]).toMatchObject({ riskEventType: 'suspiciousAuthAppApproval', riskState: 'dismissed', identifiers: person(LENA) });
      expect(detections[3]!.location).toBeUndefined();
    });

    it('older Get-RiskyDetections CSV: offsets honoured, Out-String line breaks trimmed, missing columns tolerated', async () => {
      const { records, summary } = await parse(`${ES}RiskyDetections-legacy.csv`);
      clean(summary, 'entra-risk-detection', 'csv', 2);
      const [first, second] = records as RiskDetectionRecord[];
      expect(first).toMatchObject({
        time: Date.UTC(2025, 2, 26, 17, 46, 43),
        timeRaw: '3/26/2025 5:46:43 PM +00:00',
        location: { city: 'Amsterdam', state: 'Noord-Holland', country: 'NL' },
        identifiers: person(MIRA),
      });
      expect(second).toMatchObject({
        time: Date.UTC(2025, 2, 26, 17, 50, 25),
        lastUpdatedTime: Date.UTC(2025, 2, 26, 23, 15, 28),
        location: { country: 'US' },
        riskEventType: 'anonymizedIPAddress',
      });
    });

    it('Get-RiskyUsers CSV: keyed on object id, deleted accounts with no UPN kept apart', async () => {
      const { records, summary } = await parse(`${ES}RiskyUsers.csv`);
      clean(summary, 'entra-risky-user', 'csv', 5);
      const users = records as RiskyUserRecord[];
      expect(users[1]).toMatchObject({ id: `riskyUser:${JONAS.objectId}`, identifiers: person(JONAS), riskLevel: 'high', riskState: 'atRisk', time: Date.UTC(2025, 0, 30, 21, 14, 13) });
      expect(users.slice(3).map((user) => user.identifiers)).toEqual([
        [{ type: 'objectId', value: '19a2fb55-3a8a-4b0d-bd0e-b9a5f56e8a43' }],
        [{ type: 'objectId', value: '3f1f95d1-26b3-4562-bbf6-d29133e64bab' }],
      ]);
      expect(users[3]!.isDeleted).toBeUndefined();
    });

    it('Get-RiskyUsers run on a German machine: day-first dotted times give the same instants', async () => {
      const german = await parse(`${ES}RiskyUsers-de-DE.csv`);
      const us = await parse(`${ES}RiskyUsers.csv`);
      clean(german.summary, 'entra-risky-user', 'csv', 5);
      expect(german.records[1]!.timeRaw).toBe('30.01.2025 21:14:13');
      expect(german.records.map(({ id, time }) => ({ id, time }))).toEqual(us.records.map(({ id, time }) => ({ id, time })));
    });

    it('Get-RiskyUsers -Encoding utf32: the same users from UTF-32 LE', async () => {
      expect([...read(`${ES}RiskyUsers-utf32.csv`).slice(0, 4)]).toEqual([0xff, 0xfe, 0, 0]);
      const utf32 = await parse(`${ES}RiskyUsers-utf32.csv`);
      const utf8 = await parse(`${ES}RiskyUsers.csv`);
      clean(utf32.summary, 'entra-risky-user', 'csv', 5);
      expect(utf32.records.map(({ id, time, identifiers }) => ({ id, time, identifiers }))).toEqual(utf8.records.map(({ id, time, identifiers }) => ({ id, time, identifiers })));
    });

    it('Get-SecurityAlerts CSV: legacy alerts with the user taken out of "upn/null"', async () => {
      const { records, summary } = await parse(`${ES}SecurityAlerts.csv`);
      clean(summary, 'graph-security-alert-v1', 'csv', 3);
      const alerts = records as AlertRecord[];
      expect(alerts.map((alert) => alert.identifiers)).toEqual([[{ type: 'upn', value: JONAS.upn }], [{ type: 'upn', value: LENA.upn }], [{ type: 'upn', value: MIRA.upn }]]);
      expect(alerts[0]).toMatchObject({ title: 'Atypical travel', severity: 'medium', time: Date.UTC(2025, 0, 27, 2, 30, 53) });
    });

    it('Get-GraphEntraSignInLogs JSON: arrays and a lone object appended in one file, all five sign-ins read', async () => {
      const { records, summary } = await parse(`${ES}20250502131826-interactiveUser-nonInteractiveUser-SignInLogs.json`);
      clean(summary, 'entra-workload-sign-in', 'array', 5);
      const signIns = records as SignInRecord[];
      expect(signIns.map((signIn) => signIn.kind)).toEqual(Array(5).fill('signIn'));
      expect(signIns.map((signIn) => signIn.nativeId)).toEqual([
        'de4fe081-5ca4-404e-8e3b-9bdc0cd15f00',
        '0b7c1a2e-6a0c-4b1e-9a55-7e2f0c4d3a00',
        '667ec883-02ae-4eed-a49b-fbc911382b00',
        '9f2d7c11-3e4b-4b8e-9a0c-5d1e2f3a4b00',
        'b34a0bad-6b83-4883-bd12-ec045b529b00',
      ]);
      expect(signIns[0]).toMatchObject({
        time: Date.UTC(2025, 0, 27, 9, 59, 58),
        identifiers: person(MIRA),
        success: true,
        riskEventTypes: ['unfamiliarFeatures'],
        riskLevelDuringSignIn: 'low',
        location: { city: 'København', state: 'Hovedstaden', country: 'DK' },
        isInteractive: true,
      });
      expect(signIns[1]).toMatchObject({ isInteractive: false });
      expect(signIns[3]).toMatchObject({ success: false, errorCode: 50126, identifiers: person(JONAS) });
    });

    it('older Get-ADSignInLogsGraph JSON: PascalCase SDK objects with US-format CreatedDateTime and RiskEventTypesV2', async () => {
      const { records, summary } = await parse(`${ES}SignInLogsGraph-20250326-20250327.json`);
      clean(summary, 'entra-workload-sign-in', 'array', 3);
      const signIns = records as SignInRecord[];
      expect(signIns[0]).toMatchObject({
        time: Date.UTC(2025, 2, 26, 17, 31, 32),
        timeRaw: '3/26/2025 5:31:32 PM',
        identifiers: person(LENA),
        location: { city: 'Berlin', state: 'Berlin', country: 'DE' },
        deviceOs: 'Ios',
        clientAppUsed: 'Exchange ActiveSync',
      });
      expect(signIns[1]).toMatchObject({ success: false, errorCode: 50126 });
      expect(signIns[2]).toMatchObject({ time: Date.UTC(2025, 2, 27, 0, 5, 9), riskEventTypes: ['unfamiliarFeatures', 'anonymizedIPAddress'], identifiers: person(JONAS) });
    });

    it('Get-ADSignInLogs JSON: the UTF-16 LE that Out-File writes by default', async () => {
      expect([...read(`${ES}AzureAD-SignInLogs.json`).slice(0, 2)]).toEqual([0xff, 0xfe]);
      const { records, summary } = await parse(`${ES}AzureAD-SignInLogs.json`);
      clean(summary, 'entra-sign-in', 'array', 2);
      expect(records[0]).toMatchObject({ time: Date.UTC(2023, 3, 11, 8, 14, 3), success: false, errorCode: 50074, identifiers: person(MIRA), location: { city: 'Paris', country: 'FR' } });
      expect(records[1]).toMatchObject({ success: true, deviceBrowser: 'Safari 17.4' });
    });

    it('Get-GraphEntraAuditLogs JSON: directory audits; the managed identity names no person', async () => {
      const { records, summary } = await parse(`${ES}20250502131826-AuditLogs.json`);
      clean(summary, 'entra-directory-audit', 'array', 3);
      expect(summary.unattributed).toBe(1);
      expect(records[0]).toMatchObject({ kind: 'activity', action: 'Update user', identifiers: person(JONAS), time: Date.UTC(2025, 0, 27, 1, 40, 9, 286) });
    });

    it('older Get-ADAuditLogsGraph JSON: PascalCase objects one after another, US-format ActivityDateTime', async () => {
      const { records, summary } = await parse(`${ES}20250327094410-AuditlogsGraph.json`);
      clean(summary, 'entra-directory-audit', 'objects', 2);
      expect(records.map((record) => record.time)).toEqual([Date.UTC(2025, 2, 26, 18, 2, 11), Date.UTC(2025, 2, 26, 18, 3, 40)]);
      expect(records[1]).toMatchObject({ action: 'User registered security info', identifiers: person(LENA) });
    });

    it('Get-UAL JSON (old and current), Get-UAL CSV and Get-UALGraph: the same audit records, the same ids and times', async () => {
      expect([...read(`${ES}UAL-20250126200000.json`).slice(0, 2)]).toEqual([0xff, 0xfe]);
      const bare = await parse(`${ES}UAL-20250126200000.json`);
      const csv = await parse(`${ES}UAL-20250126200000.csv`);
      const graph = await parse(`${ES}20250327101500-UALsearch-UnifiedAuditLog.json`);
      const whole = await parse(`${ES}UAL-20250126210000.json`);
      clean(whole.summary, 'o365-unified-audit-log', 'array', 3);
      clean(bare.summary, 'o365-unified-audit-log', 'objects', 3);
      clean(csv.summary, 'o365-unified-audit-log', 'csv', 3);
      clean(graph.summary, 'o365-unified-audit-log', 'array', 3);
      const essence = (records: NormalizedRecord[]) =>
        (records as ActivityRecord[]).map(({ id, time, identifiers, action, success, ipAddress }) => ({ id, time, identifiers, action, success, ipAddress }));
      expect(essence(bare.records)).toEqual([
        { id: 'activity:a0d4c1f2-3b5e-4d7a-9c8b-0e1f2a3b4c01', time: Date.UTC(2025, 0, 26, 20, 20, 44), identifiers: person(JONAS), action: 'UserLoggedIn', success: true, ipAddress: '172.205.146.219' },
        // The mailbox record's UserKey is a PUID, not an object id: only the UPN names the person.
        { id: 'activity:a0d4c1f2-3b5e-4d7a-9c8b-0e1f2a3b4c02', time: Date.UTC(2025, 0, 26, 20, 31, 10), identifiers: [{ type: 'upn', value: JONAS.upn }], action: 'MailItemsAccessed', success: true, ipAddress: '172.205.146.219' },
        { id: 'activity:a0d4c1f2-3b5e-4d7a-9c8b-0e1f2a3b4c03', time: Date.UTC(2025, 2, 26, 17, 44, 2), identifiers: person(LENA), action: 'UserLoginFailed', success: false, ipAddress: '173.72.158.7' },
      ]);
      expect(essence(csv.records)).toEqual(essence(bare.records));
      expect(essence(graph.records)).toEqual(essence(bare.records));
      expect(essence(whole.records)).toEqual(essence(bare.records));
    });

    it('Get-DirectoryActivityLogs JSON and CSV: Azure activity events, the CSV\'s @{…} parts read back alike', async () => {
      const json = await parse(`${ES}20250127104500-DirectoryActivityLogs.JSON`);
      const csv = await parse(`${ES}20250127104500-DirectoryActivityLogs.csv`);
      clean(json.summary, 'azure-activity-log', 'array', 3);
      clean(csv.summary, 'azure-activity-log', 'csv', 3);
      // The third event was made by a managed identity (a GUID caller, no UPN): kept, naming no person.
      expect(json.summary.unattributed).toBe(1);
      const essence = (records: NormalizedRecord[]) =>
        (records as ActivityRecord[]).map(({ id, time, identifiers, action, success, failureReason, ipAddress, app, objectName, targetName }) => ({
          id,
          time,
          identifiers,
          action,
          success,
          failureReason,
          ipAddress,
          app,
          objectName,
          targetName,
        }));
      expect(essence(json.records)[0]).toEqual({
        id: 'activity:c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e01',
        time: Date.UTC(2025, 0, 27, 1, 38, 12, 123),
        identifiers: person(JONAS),
        action: 'Assigns the caller to User Access Administrator role',
        success: true,
        failureReason: undefined,
        ipAddress: '172.205.146.219',
        app: 'Microsoft.Authorization',
        objectName: 'Microsoft.Authorization/elevateAccess/action',
        targetName: '/providers/Microsoft.Authorization',
      });
      expect(essence(json.records)[1]).toMatchObject({ success: false, failureReason: 'Forbidden' });
      expect(essence(json.records)[2]).toMatchObject({ identifiers: [], objectName: 'Microsoft.Insights/diagnosticSettings/write' });
      expect(essence(csv.records)).toEqual(essence(json.records));
    });

    it.each(['Users.csv', 'MFA-AuthenticationMethods.csv', 'MFA-UserRegistrationDetails.csv'])('%s, an inventory rather than events, is reported as unrecognized', async (name) => {
      const { records, summary } = await parse(`${ES}${name}`);
      expect(records).toEqual([]);
      expect(summary.format).toBeUndefined();
      expect(summary.fatal).toMatchObject({ file: `${ES}${name}`, reason: expect.stringMatching(/^unrecognized export/) });
    });
  });

  describe('Untitled Goose Tool', () => {
    it('reads its NDJSON of Graph beta records, unescaping \\u sequences and 7-digit fractions', async () => {
      const signIns = await parse(`${GOOSE}adfs_signin_log_2025-01-27.json`);
      clean(signIns.summary, 'entra-workload-sign-in', 'objects', 3);
      expect(signIns.records[2]).toMatchObject({ kind: 'signIn', time: Date.UTC(2025, 0, 27, 23, 59, 59), success: false, location: { city: 'Zürich', country: 'CH' } });

      const audits = await parse(`${GOOSE}entraidauditlog_2025-01-27.json`);
      clean(audits.summary, 'entra-directory-audit', 'objects', 2);
      expect(audits.records[0]).toMatchObject({ time: Date.UTC(2025, 0, 27, 10, 5, 0, 123), identifiers: person(MIRA) });
      expect(audits.records[1]).toMatchObject({ success: false, action: 'Add member to role' });

      const detections = await parse(`${GOOSE}identityProtection_riskDetections.json`);
      clean(detections.summary, 'entra-risk-detection', 'objects', 2);
      expect(detections.records[0]).toMatchObject({ time: Date.UTC(2025, 0, 27, 9, 59, 58, 123), location: { city: 'København', country: 'DK' } });
      expect(detections.records[1]).toMatchObject({ riskEventType: 'passwordSpray', riskLevel: 'high', identifiers: person(LENA) });

      const risky = await parse(`${GOOSE}identityProtection_riskyUsers.json`);
      clean(risky.summary, 'entra-risky-user', 'objects', 2);
      expect(risky.records.map((record) => record.id)).toEqual([`riskyUser:${MIRA.objectId}`, `riskyUser:${LENA.objectId}`]);
    });
  });
});

const ALL_EVENT_FILES = [
  `${ES}RiskyDetections.csv`,
  `${ES}RiskyDetections-legacy.csv`,
  `${ES}RiskyUsers.csv`,
  `${ES}SecurityAlerts.csv`,
  `${ES}20250502131826-interactiveUser-nonInteractiveUser-SignInLogs.json`,
  `${ES}SignInLogsGraph-20250326-20250327.json`,
  `${ES}AzureAD-SignInLogs.json`,
  `${ES}20250502131826-AuditLogs.json`,
  `${ES}20250327094410-AuditlogsGraph.json`,
  `${ES}UAL-20250126200000.json`,
  `${ES}UAL-20250126200000.csv`,
  `${ES}20250327101500-UALsearch-UnifiedAuditLog.json`,
  `${ES}20250127104500-DirectoryActivityLogs.JSON`,
  `${GOOSE}adfs_signin_log_2025-01-27.json`,
  `${GOOSE}entraidauditlog_2025-01-27.json`,
  `${GOOSE}identityProtection_riskDetections.json`,
  `${GOOSE}identityProtection_riskyUsers.json`,
];

describe('identity reconciliation across the tools', () => {
  it('joins every record of one person, whichever tool wrote it and however it named them, into one user', async () => {
    const resolver = new IdentityResolver();
    const records: NormalizedRecord[] = [];
    for (const file of ALL_EVENT_FILES) records.push(...(await parse(file)).records);
    // Alerts and mailbox records name only a UPN; putting them first makes the resolver meet the UPN before the
    // record that ties it to the object id.
    const ordered = [...records.filter((record) => record.kind === 'alert'), ...records.filter((record) => record.kind !== 'alert')];
    for (const record of ordered) resolver.resolve(record.identifiers, record.id, record.time);
    const links = new Map(resolver.links().map((link) => [link.key, link.userId]));
    const usersOf = (records: NormalizedRecord[]) => new Set(records.flatMap((record) => record.identifiers.map((id) => links.get(identifierKey(id)))));
    const attributed = records.filter((record) => record.identifiers.length > 0);
    // Three people and the two deleted accounts that only have an object id.
    expect(usersOf(attributed).size).toBe(5);
    for (const who of [MIRA, JONAS, LENA]) {
      const theirs = attributed.filter((record) => record.identifiers.some((id) => id.value === who.objectId || id.value === who.upn));
      expect(usersOf(theirs).size).toBe(1);
      expect(resolver.linksOf([...usersOf(theirs)][0]!).map((link) => link.key).sort()).toEqual([`objectId:${who.objectId}`, `upn:${who.upn}`]);
      if (who === JONAS) expect(new Set(theirs.map((record) => record.kind))).toEqual(new Set(['riskDetection', 'riskyUser', 'alert', 'signIn', 'activity']));
    }
  });
});

describe('chunk boundaries', () => {
  it('gives the same records however the bytes of appended and UTF-16 exports arrive', async () => {
    const files = [`${ES}20250502131826-interactiveUser-nonInteractiveUser-SignInLogs.json`, `${ES}UAL-20250126200000.json`, `${ES}RiskyDetections-legacy.csv`];
    const whole = await Promise.all(files.map(async (file) => (await parse(file)).records.map((record) => record.id)));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(0, 1, 2), fc.array(fc.integer({ min: 1, max: 97 }), { minLength: 1, maxLength: 6 }), async (which, sizes) => {
        const bytes = read(files[which]!);
        async function* pieces() {
          for (let at = 0, i = 0; at < bytes.length; i++) {
            const size = sizes[i % sizes.length]!;
            yield bytes.slice(at, at + size);
            at += size;
          }
        }
        const ids: string[] = [];
        for await (const event of parseExport(files[which]!, pieces(), { batchSize: 2 })) {
          if (event.type === 'batch') ids.push(...event.records.map((record) => record.id));
          if (event.type === 'end') expect(event.summary.rejected).toBe(0);
        }
        expect(ids).toEqual(whole[which]);
      }),
      { numRuns: 40, seed: 20261201 },
    );
  });
});
