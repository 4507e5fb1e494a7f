import { describe, expect, it } from 'vitest';
import { parseAll } from '../formats/parse.ts';
import { places, type Place } from './catalog.ts';
import { parseCsv, readRecords, tableOfPath, type Row } from './inspect.ts';
import { isDocumentationAddress } from './network.ts';
import { encodeText, FileSeries, graphPageContainer, utf8Length, type OutputOp } from './sink.ts';
import { localParts } from './time.ts';
import { DEMO_SCALE_OPTIONS, generateWorkspace, GROUND_TRUTH_FILE, ID_FIELDS, README_FILE, Simulation, type WorkspaceOptions } from './workspace.ts';

const OPTIONS: WorkspaceOptions = { seed: 7, users: 40, days: 8, events: 6000, maxFileBytes: 256 * 1024 };
const ws = generateWorkspace(OPTIONS);
const truth = ws.groundTruth;
const exports = ws.files.filter((file) => file.path !== GROUND_TRUTH_FILE && file.path !== README_FILE);
const recordsOf = new Map<string, Row[]>(exports.map((file) => [file.path, readRecords(file.path, file.content)]));

/** Every record of a logical table (interactive sign-ins from both exports under `signIns`), with its file. */
function table(name: string): { file: string; row: Row }[] {
  const out: { file: string; row: Row }[] = [];
  for (const [file, rows] of recordsOf) {
    const t = tableOfPath(file);
    const logical = t === 'signInLogs' ? 'signIns' : t;
    if (logical === name) for (const row of rows) out.push({ file, row });
  }
  return out;
}

function idOf(file: string, row: Row): string {
  const t = tableOfPath(file);
  if (!t) throw new Error(`unknown file ${file}`);
  return String(row[ID_FIELDS[t]]);
}

function story(scenario: string) {
  const found = truth.stories.find((s) => s.scenario === scenario);
  if (!found) throw new Error(`no story ${scenario}`);
  return found;
}

function rowsById(name: string): Map<string, Row> {
  return new Map(table(name).map(({ file, row }) => [idOf(file, row), row]));
}

function storyRows(scenario: string, name: string, role?: string): Row[] {
  const byId = rowsById(name);
  return story(scenario)
    .records.filter((r) => r.table === name && (role === undefined || r.role === role))
    .map((r) => byId.get(r.id))
    .filter((row): row is Row => row !== undefined);
}

const json = (value: unknown): Row => (typeof value === 'string' ? (JSON.parse(value) as Row) : (value as Row));

describe('generateWorkspace: determinism and files', () => {
  it('gives byte-identical files for the same options', () => {
    const again = generateWorkspace(OPTIONS);
    expect(again.files.map((f) => f.path)).toEqual(ws.files.map((f) => f.path));
    for (const file of again.files) expect(file.content === ws.files.find((f) => f.path === file.path)?.content, file.path).toBe(true);
  });

  it('gives different files for another seed', () => {
    const other = generateWorkspace({ ...OPTIONS, seed: 8 });
    for (const path of ['entra/graph/riskDetections.json', 'defender/graph/alerts_v2.json', GROUND_TRUTH_FILE]) {
      expect(other.files.find((f) => f.path === path)?.content).not.toBe(ws.files.find((f) => f.path === path)?.content);
    }
  });

  it('writes every table, rolling bulk tables into numbered parts under the size limit', () => {
    const tables = new Set(exports.map((file) => tableOfPath(file.path)));
    expect([...tables].sort()).toEqual(
      [
        'alerts',
        'cloudAppEvents',
        'directoryAudits',
        'identityDirectoryEvents',
        'identityLogonEvents',
        'identityQueryEvents',
        'incidents',
        'nonInteractiveSignIns',
        'riskDetections',
        'riskyUsers',
        'signIns',
        'signInLogs',
        'unifiedAuditLog',
        'workloadSignIns',
      ].sort(),
    );
    expect(exports.some((file) => file.path.endsWith('-part002.ndjson'))).toBe(true);
    for (const file of exports) {
      const bytes = encodeText(file.content, file.encoding).length;
      const info = truth.files.find((f) => f.path === file.path);
      expect(info, file.path).toBeDefined();
      expect(bytes, file.path).toBe(info?.bytes);
      if (/-part\d{3}\./.test(file.path) && (info?.records ?? 0) > 1) expect(bytes, file.path).toBeLessThanOrEqual(OPTIONS.maxFileBytes ?? 0);
    }
    expect(truth.files.map((f) => f.path).sort()).toEqual(exports.map((f) => f.path).sort());
  });

  it('reports the record count of every file and table, and the totals', () => {
    for (const info of truth.files) expect(recordsOf.get(info.path)?.length, info.path).toBe(info.records);
    for (const [name, count] of Object.entries(truth.counts)) expect(table(name).length, name).toBe(count);
    expect(truth.totals.records).toBe(truth.files.reduce((sum, f) => sum + f.records, 0));
    expect(truth.totals.bytes).toBe(truth.files.reduce((sum, f) => sum + f.bytes, 0));
    // The volume asked for, give or take.
    expect(truth.totals.routineActivities).toBeGreaterThan((OPTIONS.events ?? 0) * 0.85);
    expect(truth.totals.routineActivities).toBeLessThan((OPTIONS.events ?? 0) * 1.15);
  });

  it('gives every record a unique id within its table', () => {
    for (const name of Object.keys(truth.counts)) {
      const ids = table(name).map(({ file, row }) => idOf(file, row));
      expect(
        ids.every((id) => id && id !== 'undefined'),
        name,
      ).toBe(true);
      expect(new Set(ids).size, name).toBe(ids.length);
    }
  });

  it('writes Graph pages as two-space JSON, NDJSON one object a line, CSV with BOM and CRLF', () => {
    for (const file of exports) {
      if (file.path.endsWith('.json')) expect(file.content, file.path).toBe(`${JSON.stringify(JSON.parse(file.content), null, 2)}\n`);
      if (file.path.endsWith('.ndjson')) expect(file.content.endsWith('\n') && !file.content.includes('\r')).toBe(true);
      if (file.path.endsWith('.csv')) {
        expect(file.content.charCodeAt(0), file.path).toBe(0xfeff);
        expect(file.content.split('\n')[0]?.endsWith('\r'), file.path).toBe(true);
      }
    }
  });

  it('writes the unified audit log as PowerShell does: UTF-16 LE with BOM, every field quoted, CRLF', () => {
    const ual = exports.filter((file) => tableOfPath(file.path) === 'unifiedAuditLog');
    expect(ual.length).toBeGreaterThan(0);
    for (const file of ual) {
      expect(file.encoding).toBe('utf16le');
      const bytes = encodeText(file.content, file.encoding);
      expect([bytes[0], bytes[1]]).toEqual([0xff, 0xfe]);
      expect(
        file.content
          .slice(1)
          .startsWith('"RecordType","CreationDate","UserIds","Operations","AuditData","ResultIndex","ResultCount","Identity","IsValid","ObjectState"\r\n'),
      ).toBe(true);
    }
    for (const { row } of table('unifiedAuditLog')) {
      expect(String(row.CreationDate)).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4} \d{1,2}:\d{2}:\d{2} [AP]M$/);
      const audit = json(row.AuditData);
      expect(audit.Id).toBe(row.Identity);
      expect(String(audit.CreationTime)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
    }
  });

  it('writes Log Analytics times as US display strings and dynamic columns as JSON', () => {
    for (const { row } of table('nonInteractiveSignIns').slice(0, 200)) {
      expect(String(row['TimeGenerated [UTC]'])).toMatch(/^\d{1,2}\/\d{1,2}\/\d{4}, \d{1,2}:\d{2}:\d{2}\.\d{3} [AP]M$/);
      expect(json(row.DeviceDetail)).toHaveProperty('operatingSystem');
      expect(row.IsInteractive).toBe('FALSE');
    }
    const logs = exports.find((file) => file.path.includes('SigninLogs'));
    expect(logs?.content).toContain('""authenticationStepDateTime""');
  });

  it('uses documentation addresses only (private 10/8 for on-prem machines)', () => {
    const ips = new Set<string>();
    for (const { row } of table('signIns')) ips.add(String(row.ipAddress ?? row.IPAddress));
    for (const { row } of table('nonInteractiveSignIns')) ips.add(String(row.IPAddress));
    for (const { row } of table('cloudAppEvents')) ips.add(String(row.IPAddress));
    for (const { row } of table('workloadSignIns')) if (row.ipAddress) ips.add(String(row.ipAddress));
    for (const ip of ips) expect(isDocumentationAddress(ip), ip).toBe(true);
    for (const name of ['identityLogonEvents', 'identityQueryEvents', 'identityDirectoryEvents'])
      for (const { row } of table(name)) expect(String(row.IPAddress)).toMatch(/^10\./);
  });
});

describe('identities', () => {
  const people = new Map(truth.people.map((p) => [p.userId, p]));

  it('names each person consistently: object id, current or previous UPN, SID and DOMAIN\\sam', () => {
    const upnOk = (id: string, upn: string) => {
      const p = people.get(id);
      return !!p && (upn === p.userPrincipalName || upn === p.previousUserPrincipalName);
    };
    for (const { row } of table('signIns')) expect(upnOk(String(row.userId ?? row.UserId), String(row.userPrincipalName ?? row.UserPrincipalName))).toBe(true);
    for (const { row } of table('riskDetections')) expect(upnOk(String(row.userId), String(row.userPrincipalName))).toBe(true);
    for (const { row } of table('cloudAppEvents')) expect(upnOk(String(row.AccountObjectId), String(json(row.RawEventData).UserId))).toBe(true);
    const bySid = new Map(truth.people.filter((p) => p.sid).map((p) => [p.sid, p]));
    for (const { row } of table('identityLogonEvents')) {
      const person = bySid.get(String(row.AccountSid));
      if (!person) {
        expect(truth.serviceAccounts.map((a) => a.sid)).toContain(row.AccountSid);
        continue;
      }
      expect(person.samAccount).toBe(`${truth.tenant.onPremDomain.netbios}\\${String(row.AccountName)}`);
      if (row.AccountUpn) expect(upnOk(person.userId, String(row.AccountUpn))).toBe(true);
      if (row.AccountObjectId) expect(row.AccountObjectId).toBe(person.userId);
    }
  });

  it('keeps a renamed user’s old UPN on records before the rename, the new one after', () => {
    const renamed = truth.people.filter((p) => p.previousUserPrincipalName);
    expect(renamed.length).toBeGreaterThan(0);
    const renamedIds = new Set(renamed.map((p) => p.userId));
    const seen = new Map<string, Set<string>>();
    for (const { row } of table('nonInteractiveSignIns')) {
      const id = String(row.UserId);
      if (!renamedIds.has(id)) continue;
      const person = people.get(id);
      const at = Date.parse(person?.renamedAt ?? '');
      const time = parseUs(String(row['CreatedDateTime [UTC]']));
      expect(row.UserPrincipalName).toBe(time < at ? person?.previousUserPrincipalName : person?.userPrincipalName);
      const set = seen.get(id) ?? new Set();
      set.add(String(row.UserPrincipalName));
      seen.set(id, set);
    }
    expect([...seen.values()].some((set) => set.size === 2)).toBe(true);
    const audit = truth.background.find((b) => b.kind === 'rename');
    expect(audit?.records[0]?.table).toBe('directoryAudits');
  });

  it('keeps workload identities apart: service principal and managed identity sign-ins carry empty user fields', () => {
    const rows = table('workloadSignIns').map(({ row }) => row);
    expect(rows.length).toBeGreaterThan(0);
    const kinds = new Set(rows.map((row) => (row.signInEventTypes as string[])[0]));
    expect(kinds).toEqual(new Set(['servicePrincipal', 'managedIdentity']));
    for (const row of rows) {
      expect([row.userId, row.userPrincipalName, row.userDisplayName]).toEqual(['', '', '']);
      expect(truth.workloads.map((w) => w.servicePrincipalId)).toContain(row.servicePrincipalId);
      if (row.clientCredentialType === 'managedIdentity') expect(row.ipAddress).toBe('');
    }
  });

  it('has hybrid and cloud-only users', () => {
    expect(truth.people.some((p) => p.hybrid && /^S-1-5-21-\d+-\d+-\d+-\d+$/.test(p.sid ?? ''))).toBe(true);
    expect(truth.people.some((p) => !p.hybrid && p.sid === null)).toBe(true);
  });
});

describe('ground truth', () => {
  it('names records that exist, in the file it says', () => {
    const byTable = new Map(Object.keys(truth.counts).map((name) => [name, new Map(table(name).map(({ file, row }) => [idOf(file, row), file]))]));
    const all = [...truth.stories.flatMap((s) => s.records), ...truth.background.flatMap((b) => b.records)];
    expect(all.length).toBeGreaterThan(200);
    for (const ref of all) {
      const file = byTable.get(ref.table)?.get(ref.id);
      expect(file, `${ref.table} ${ref.id}`).toBeDefined();
      expect(ref.file, `${ref.table} ${ref.id}`).toBe(file);
    }
    for (const id of truth.noise.detectionIds) expect(byTable.get('riskDetections')?.has(id)).toBe(true);
    for (const id of [...truth.noise.lowAlertIds, ...truth.noise.falsePositiveAlertIds]) expect(byTable.get('alerts')?.has(id)).toBe(true);
    for (const id of truth.orphanRiskyUserIds) expect(byTable.get('riskyUsers')?.has(id)).toBe(true);
  });

  it('groups each story’s alerts into the incident it expects, in alerts_v2 and the XDR incidents page', () => {
    const alerts = rowsById('alerts');
    const incidents = table('incidents').map(({ row }) => row);
    const incidentOfAlert = new Map<string, number>();
    for (const incident of incidents) for (const alert of incident.alerts as Row[]) incidentOfAlert.set(String(alert.alertId), Number(incident.incidentId));
    for (const item of [...truth.stories, ...truth.background]) {
      for (const expected of item.expectedIncidents) {
        const ids = new Set(expected.alertIds.map((id) => incidentOfAlert.get(id)));
        expect(ids.size, expected.name).toBe(1);
        const [incidentId] = [...ids];
        expect(incidentId, expected.name).toBeDefined();
        for (const id of expected.alertIds) expect(alerts.get(id)?.incidentId).toBe(String(incidentId));
        // Nothing else is in that incident.
        expect(incidents.find((i) => i.incidentId === incidentId)?.alerts).toHaveLength(expected.alertIds.length);
      }
    }
  });

  it('leaves each story’s user with the risky-user row it expects', () => {
    const risky = rowsById('riskyUsers');
    for (const s of truth.stories) {
      const row = risky.get(s.user.userId);
      if (s.expectedRiskyUser)
        expect({ riskLevel: row?.riskLevel, riskState: row?.riskState, riskDetail: row?.riskDetail }, s.scenario).toEqual(s.expectedRiskyUser);
    }
  });
});

describe('stories', () => {
  const homeCountry = (userId: string) => truth.people.find((p) => p.userId === userId)?.country;

  it('(1) leaked credentials → risky sign-in from a new country and ISP → mailbox searches and a mass download of archives', () => {
    const s = story('leakedCredentials');
    const detections = storyRows('leakedCredentials', 'riskDetections');
    const leak = detections.find((d) => d.riskEventType === 'leakedCredentials');
    expect(leak?.activity).toBe('user');
    const risky = storyRows('leakedCredentials', 'signIns', 'riskySignIn')[0];
    const country = (risky?.location as Row | undefined)?.countryOrRegion ?? json(risky?.LocationDetails_dynamic).countryOrRegion;
    expect(country).not.toBe(homeCountry(s.user.userId));
    expect(detections.some((d) => d.riskEventType === 'unfamiliarFeatures' && d.riskLevel === 'high')).toBe(true);
    const ual = storyRows('leakedCredentials', 'unifiedAuditLog');
    expect(ual.filter((row) => row.Operations === 'SearchQueryInitiatedExchange').length).toBeGreaterThanOrEqual(5);
    expect(ual.some((row) => row.Operations === 'MailItemsAccessed')).toBe(true);
    const downloads = storyRows('leakedCredentials', 'cloudAppEvents', 'massDownload');
    expect(downloads.length).toBeGreaterThanOrEqual(40);
    for (const row of downloads) {
      expect(row.ActionType).toBe('FileDownloaded');
      expect(String(row.ObjectName)).toMatch(/\.(zip|7z)$/);
      expect(row.IPAddress).toBe(s.attackerIps[0]);
    }
    const leakTime = Date.parse(String(leak?.activityDateTime));
    for (const row of downloads) expect(Date.parse(String(row.Timestamp))).toBeGreaterThan(leakTime);
    const alerts = storyRows('leakedCredentials', 'alerts');
    expect(new Set(alerts.map((a) => a.serviceSource))).toEqual(new Set(['azureAdIdentityProtection', 'microsoftDefenderForCloudApps']));
  });

  it('(2) a password spray from one address across many users, one success', () => {
    const s = story('passwordSpray');
    const attempts = storyRows('passwordSpray', 'signIns').filter((row) => (row.appDisplayName ?? row.AppDisplayName) === 'Azure Active Directory PowerShell');
    const ip = (row: Row) => String(row.ipAddress ?? row.IPAddress);
    const code = (row: Row) => Number((row.status as Row | undefined)?.errorCode ?? row.ResultType);
    const user = (row: Row) => String(row.userId ?? row.UserId);
    expect(new Set(attempts.map(ip)).size).toBe(1);
    expect(new Set(attempts.filter((row) => code(row) !== 0).map(user)).size).toBeGreaterThanOrEqual(15);
    const successes = attempts.filter((row) => code(row) === 0);
    expect(successes.map(user)).toEqual([s.user.userId]);
    expect(storyRows('passwordSpray', 'riskDetections').some((d) => d.riskEventType === 'passwordSpray')).toBe(true);
  });

  it('(3) a risky sign-in followed by a domain federation change', () => {
    const s = story('federationChange');
    const signIn = storyRows('federationChange', 'signIns', 'riskySignIn')[0] as Row;
    const audits = storyRows('federationChange', 'directoryAudits');
    expect(audits.map((a) => a.activityDisplayName).sort()).toEqual(['Set domain authentication', 'Set federation settings on domain']);
    const signedIn = Date.parse(String(signIn.createdDateTime ?? '')) || parseUs(String(signIn['CreatedDateTime [UTC]']));
    for (const audit of audits) {
      expect(((audit.initiatedBy as Row).user as Row).id).toBe(s.user.userId);
      const delay = Date.parse(String(audit.activityDateTime)) - signedIn;
      expect(delay).toBeGreaterThan(0);
      expect(delay).toBeLessThan(3_600_000);
    }
    expect(s.expectedIncidents[0]?.evidenceIds.sort()).toEqual(
      story('federationChange')
        .records.filter((r) => r.table === 'directoryAudits')
        .map((r) => r.id)
        .sort(),
    );
  });

  it('(4) an on-prem account seen by Defender for Identity, bridged to its hybrid cloud user', () => {
    const s = story('onPremHybrid');
    const logons = storyRows('onPremHybrid', 'identityLogonEvents');
    const attack = logons.filter((row) => row.AccountUpn === '');
    expect(attack.length).toBeGreaterThan(20);
    for (const row of attack) {
      expect(row.AccountSid).toBe(s.user.sid);
      expect(`${truth.tenant.onPremDomain.netbios}\\${String(row.AccountName)}`).toBe(s.user.samAccount);
      expect(row.AccountObjectId).toBe('');
    }
    const bridge = storyRows('onPremHybrid', 'identityLogonEvents', 'bridge');
    expect(bridge).toHaveLength(1);
    expect([bridge[0]?.AccountSid, bridge[0]?.AccountUpn]).toEqual([s.user.sid, s.user.userPrincipalName]);
    expect(
      storyRows('onPremHybrid', 'identityDirectoryEvents').every((row) => row.ActionType === 'Directory Services replication' && row.AccountSid === s.user.sid),
    ).toBe(true);
    const alerts = storyRows('onPremHybrid', 'alerts');
    expect(alerts.map((a) => a.title).sort()).toEqual([
      'Suspected Brute Force attack (Kerberos, NTLM)',
      'Suspected DCSync attack (replication of directory services)',
      'Suspected identity theft (pass-the-hash)',
    ]);
    for (const alert of alerts) {
      expect(alert.serviceSource).toBe('microsoftDefenderForIdentity');
      const account = (alert.evidence as Row[]).find((e) => e['@odata.type'] === '#microsoft.graph.security.userEvidence')?.userAccount as Row;
      expect([account.userSid, account.accountName, account.azureAdUserId]).toEqual([s.user.sid, s.user.samAccount?.split('\\')[1], null]);
    }
    // The XDR incident's user entity carries every identifier together.
    const incident = table('incidents').find(({ row }) => (row.alerts as Row[]).some((a) => a.alertId === alerts[0]?.id))?.row;
    const user = ((incident?.alerts as Row[])[0]?.entities as Row[]).find((e) => e.entityType === 'User');
    expect(user).toMatchObject({
      aadUserId: s.user.userId,
      userSid: s.user.sid,
      userPrincipalName: s.user.userPrincipalName,
      accountName: s.user.samAccount?.split('\\')[1],
    });
  });

  it('(5) a user confirmed compromised upstream', () => {
    const s = story('confirmedCompromised');
    expect(rowsById('riskyUsers').get(s.user.userId)).toMatchObject({
      riskState: 'confirmedCompromised',
      riskLevel: 'high',
      riskDetail: 'adminConfirmedUserCompromised',
    });
    expect(storyRows('confirmedCompromised', 'riskDetections').some((d) => d.riskEventType === 'adminConfirmedUserCompromised')).toBe(true);
  });

  it('(6) a noisy but benign user: many low alerts, all closed', () => {
    const s = story('noisyBenign');
    const alerts = storyRows('noisyBenign', 'alerts');
    expect(alerts.length).toBeGreaterThanOrEqual(5);
    expect(alerts.every((a) => a.severity === 'low' && a.status === 'resolved')).toBe(true);
    expect(s.verdict).toBe('benign');
    expect(rowsById('riskyUsers').get(s.user.userId)?.riskState).not.toBe('atRisk');
  });

  it('plants a benign true positive (the pen test) and false positives', () => {
    const pen = truth.background.find((b) => b.kind === 'penTest');
    const alerts = rowsById('alerts');
    for (const id of pen?.expectedIncidents[0]?.alertIds ?? [])
      expect(alerts.get(id)).toMatchObject({ classification: 'informationalExpectedActivity', determination: 'securityTesting', status: 'resolved' });
    const fp = truth.background.find((b) => b.kind === 'falsePositive');
    expect(alerts.get(fp?.expectedIncidents[0]?.alertIds[0] ?? '')).toMatchObject({ classification: 'falsePositive', status: 'resolved' });
    // Low detections and alerts that fire for many users.
    expect(truth.noise.lowAlertIds.length).toBeGreaterThan(0);
  });
});

describe('rhythm', () => {
  it('follows working hours and the week in each person’s time zone', () => {
    const placeByCity = new Map<string, Place>(Object.values(places).map((p) => [p.city, p]));
    const home = new Map(truth.people.map((p) => [p.userId, placeByCity.get(p.office)]));
    let total = 0;
    let working = 0;
    let weekend = 0;
    for (const { row } of table('cloudAppEvents')) {
      const place = home.get(String(row.AccountObjectId));
      if (!place || row.City !== place.city) continue;
      total++;
      const local = localParts(place.zone, Date.parse(String(row.Timestamp)) * 1000);
      if (local.hour >= 6.5 && local.hour < 19.5) working++;
      if (local.weekday === 0 || local.weekday === 6) weekend++;
    }
    expect(total).toBeGreaterThan(500);
    expect(working / total).toBeGreaterThan(0.75);
    expect(weekend / total).toBeLessThan(0.12);
  });
});

describe('recognised by the format detectors', () => {
  const fileOf = (predicate: (path: string) => boolean) => {
    const file = exports.find((f) => predicate(f.path));
    if (!file) throw new Error('no such file');
    return file;
  };
  const expectFormat = async (predicate: (path: string) => boolean, format: string) => {
    const file = fileOf(predicate);
    const { summary } = await parseAll(file.path, encodeText(file.content, file.encoding));
    expect(summary.format, file.path).toBe(format);
    expect(summary.rejected, `${file.path}: ${summary.errors.map((e) => e.reason).join('; ')}`).toBe(0);
    // An XDR incident is read as the incident and each of its alerts.
    const nested = (recordsOf.get(file.path) ?? []).reduce((sum, row) => sum + (Array.isArray(row.alerts) ? row.alerts.length : 0), 0);
    expect(summary.accepted, file.path).toBe((truth.files.find((f) => f.path === file.path)?.records ?? 0) + nested);
  };

  it('Graph riskDetection, riskyUser and signIn pages', async () => {
    await expectFormat((p) => p === 'entra/graph/riskDetections.json', 'entra-risk-detection');
    await expectFormat((p) => p === 'entra/graph/riskyUsers.json', 'entra-risky-user');
    await expectFormat((p) => p.startsWith('entra/graph/signIns-part'), 'entra-sign-in');
  });

  it('the Log Analytics SigninLogs CSV', async () => {
    await expectFormat((p) => p.startsWith('entra/log-analytics/SigninLogs-part'), 'entra-sign-in');
  });

  it('alerts_v2, XDR incidents, directory audits, workload and non-interactive sign-ins, Identity*Events, CloudAppEvents, the UTF-16 unified audit log', async () => {
    await expectFormat((p) => p === 'defender/graph/alerts_v2.json', 'graph-security-alert');
    await expectFormat((p) => p === 'defender/xdr/incidents.json', 'xdr-incident');
    await expectFormat((p) => p === 'entra/graph/directoryAudits.json', 'entra-directory-audit');
    await expectFormat((p) => p.startsWith('entra/graph/servicePrincipalSignIns'), 'entra-workload-sign-in');
    await expectFormat((p) => p.startsWith('entra/log-analytics/AADNonInteractiveUserSignInLogs'), 'entra-workload-sign-in');
    await expectFormat((p) => p.includes('IdentityLogonEvents'), 'mdi-identity-logon-events');
    await expectFormat((p) => p.includes('IdentityQueryEvents'), 'mdi-identity-query-events');
    await expectFormat((p) => p.includes('IdentityDirectoryEvents'), 'mdi-identity-directory-events');
    await expectFormat((p) => p.includes('CloudAppEvents'), 'mdca-cloud-app-events');
    await expectFormat((p) => p.includes('UnifiedAuditLog'), 'o365-unified-audit-log');
  });
});

describe('sink', () => {
  it('rolls to a new part before the limit and writes empty tables as empty pages', () => {
    const ops: OutputOp[] = [];
    const series = new FileSeries(
      { table: 't', stem: 'x/t', ext: 'json', rolling: true, encoding: 'utf8', container: graphPageContainer('ctx'), format: 'test' },
      400,
      ops,
    );
    for (let i = 0; i < 10; i++) series.add(`    {"n": ${i}, "pad": "${'x'.repeat(50)}"}`);
    const files = series.finish();
    expect(files.length).toBeGreaterThan(1);
    const texts = new Map<string, string>();
    for (const op of ops) if (op.type === 'write') texts.set(op.file, (texts.get(op.file) ?? '') + op.text);
    let n = 0;
    for (const file of files) {
      const text = texts.get(file.path) ?? '';
      expect(utf8Length(text)).toBe(file.bytes);
      expect(file.bytes).toBeLessThanOrEqual(400);
      n += (JSON.parse(text) as { value: unknown[] }).value.length;
    }
    expect(n).toBe(10);
    const emptyOps: OutputOp[] = [];
    const empty = new FileSeries(
      { table: 'e', stem: 'e', ext: 'json', rolling: false, encoding: 'utf8', container: graphPageContainer('ctx'), format: 'test' },
      400,
      emptyOps,
    );
    expect(empty.finish()[0]?.records).toBe(0);
    expect(emptyOps[0]).toEqual({ type: 'write', file: 'e.json', encoding: 'utf8', text: '{\n  "@odata.context": "ctx",\n  "value": []\n}\n' });
  });

  it('encodes UTF-16 LE and measures UTF-8 like the platforms do', () => {
    expect([...encodeText('\uFEFFA€', 'utf16le')]).toEqual([0xff, 0xfe, 0x41, 0x00, 0xac, 0x20]);
    for (const text of ['plain', 'Zoë', '€ and 😀']) expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
  });

  it('reads its own CSV back', () => {
    expect(parseCsv('\uFEFFa,b\r\n"x ""y""","1\r\n2"\r\n')).toEqual([{ a: 'x "y"', b: '1\r\n2' }]);
  });
});

describe('Simulation', () => {
  it('streams the same bytes as the in-memory workspace, and refuses a second run', () => {
    const simulation = new Simulation(OPTIONS);
    const texts = new Map<string, string>();
    let progress = 0;
    for (const op of simulation.run()) {
      if (op.type === 'progress') progress++;
      else if (op.type === 'write') texts.set(op.file, (texts.get(op.file) ?? '') + op.text);
    }
    expect(progress).toBe(OPTIONS.days);
    for (const file of ws.files) expect(texts.get(file.path) === file.content, file.path).toBe(true);
    expect(() => simulation.run().next()).toThrow();
  });

  it('runs at the demo’s scale within the demo’s size budget', () => {
    const demo = generateWorkspace(DEMO_SCALE_OPTIONS);
    expect(demo.groundTruth.stories).toHaveLength(6);
    expect(demo.groundTruth.people).toHaveLength(40);
    expect(demo.groundTruth.totals.bytes).toBeLessThan(4_500_000);
    expect(demo.groundTruth.window).toEqual({ start: '2026-10-02T00:00:00Z', end: '2026-10-31T23:59:59Z' });
  });

  it('rejects sizes it cannot plant its stories in', () => {
    expect(() => generateWorkspace({ users: 10 })).toThrow(/at least 20/);
    expect(() => generateWorkspace({ days: 1 })).toThrow(/days/);
  });
});

/** `10/24/2026, 9:41:59.697 PM` (UTC) to ms. */
function parseUs(text: string): number {
  const m = /^(\d+)\/(\d+)\/(\d+), (\d+):(\d+):(\d+)\.(\d+) ([AP]M)$/.exec(text);
  if (!m) throw new Error(`not a US time: ${text}`);
  const h = (Number(m[4]) % 12) + (m[8] === 'PM' ? 12 : 0);
  return Date.UTC(Number(m[3]), Number(m[1]) - 1, Number(m[2]), h, Number(m[5]), Number(m[6]), Number(m[7]));
}
