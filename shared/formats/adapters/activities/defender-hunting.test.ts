import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import type { ActivityRecord } from '../../../model/records.ts';
import { FieldReader } from '../../fields.ts';
import { parseAll } from '../../parse.ts';
import { huntingTableOf } from './defender-hunting.ts';

const SAMPLE = 'defender-xdr-hunting/Microsoft365DefenderEvents.json';
const encode = (text: string) => new TextEncoder().encode(text);

function sampleRows(): Record<string, unknown>[] {
  const text = new TextDecoder().decode(readSample(SAMPLE));
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** A row with every column of a hunting table (from the Sentinel schema, empty), then the given values. */
function schemaRow(table: string, values: Record<string, unknown>): Record<string, unknown> {
  const schema = JSON.parse(new TextDecoder().decode(readSample(`../reference/table-schemas/${table}.json`))) as { Properties: { Name: string }[] };
  const row: Record<string, unknown> = {};
  for (const { Name } of schema.Properties) row[Name] = '';
  return { ...row, ...values };
}

const ndjson = (rows: unknown[]) => encode(rows.map((row) => JSON.stringify(row)).join('\n'));

describe('Defender advanced hunting, mixed tables (OTRF Microsoft365DefenderEvents.json)', () => {
  it('reads all nine rows, inferring each row’s table', async () => {
    const rows = sampleRows();
    const { records, summary } = await parseAll('Microsoft365DefenderEvents.json', readSample(SAMPLE));
    expect(summary).toMatchObject({ format: 'defender-hunting-mixed', container: 'objects', accepted: rows.length, rejected: 0 });
    expect(rows).toHaveLength(9);
    const activities = records as ActivityRecord[];
    const byAction = (action: string) => activities.filter((record) => record.action === action);
    // 5 DeviceEvents LDAP searches, 2 DCSync rows, 2 CloudAppEvents rows, as SOURCES.md lists them.
    expect(byAction('LdapSearch').map((record) => record.activityType)).toEqual(Array(5).fill('directoryQuery'));
    expect(byAction('Directory Services replication').map((record) => [record.activityType, record.source])).toEqual(
      Array(2).fill(['directoryChange', 'defender-for-identity']),
    );
    expect(activities.filter((record) => record.activityType === 'cloudAppActivity').map((record) => record.action)).toEqual([
      'MailItemsAccessed',
      'Add delegated permission grant.',
    ]);
    // Only the app-only MailItemsAccessed names no person.
    expect(summary.unattributed).toBe(1);
    expect(new Set(activities.map((record) => record.id)).size).toBe(9);
  });

  it('carries pgustavo’s object id, UPN and SID (and DOMAIN\\sam) on the DCSync row', async () => {
    const { records } = await parseAll('Microsoft365DefenderEvents.json', readSample(SAMPLE));
    const dcsync = (records as ActivityRecord[]).filter((record) => record.action === 'Directory Services replication');
    expect(dcsync.map((record) => record.time)).toEqual([Date.UTC(2021, 7, 2, 13, 13, 2, 57), Date.UTC(2021, 7, 2, 13, 8, 18, 374)]);
    expect(dcsync[0]).toMatchObject({
      timeRaw: '2021-08-02T13:13:02.057Z',
      displayName: 'Gustavo Pedro',
      app: 'Active Directory',
      protocol: 'Drsr',
      ipAddress: '192.168.2.5',
      deviceName: 'adfs01.simulandlabs.com',
      isp: 'INTERNAL_NETWORK',
    });
    expect(dcsync[0]!.identifiers).toEqual([
      { type: 'objectId', value: 'aead923d-498b-4f64-a66c-2af91447a8b6' },
      { type: 'upn', value: 'pgustavo@simulandlabs.com' },
      { type: 'sid', value: 'S-1-5-21-2490359158-13971675-3780420524-1105' },
      { type: 'samAccount', value: 'simulandlabs\\pgustavo' },
    ]);
    // ReportId alone is the MDI report's; the id adds a hash of the event's distinguishing columns.
    expect(dcsync[0]!.id).toMatch(/^activity:3ab932f1-c0d9-4c09-bb4d-dfc0852bbdf7_106830890_1627909982057_20940:[0-9a-f]{14}$/);
  });

  it('attributes the LDAP searches to the account owning the searching process, with the filter as object', async () => {
    const { records } = await parseAll('Microsoft365DefenderEvents.json', readSample(SAMPLE));
    const searches = (records as ActivityRecord[]).filter((record) => record.action === 'LdapSearch');
    for (const search of searches) {
      expect(search.identifiers).toEqual([
        { type: 'upn', value: 'wardog@simulandlabs.com' },
        { type: 'sid', value: 'S-1-5-21-2490359158-13971675-3780420524-500' },
        { type: 'samAccount', value: 'simulandlabs\\wardog' },
      ]);
      expect(search).toMatchObject({ source: 'defender-xdr', deviceName: 'adfs01.simulandlabs.com', app: 'powershell.exe' });
    }
    expect(searches[0]).toMatchObject({ time: Date.UTC(2021, 7, 2, 13, 11, 39, 772), timeRaw: '2021-08-02T13:11:39.7724491Z', objectName: '(objectClass=*)' });
    expect(searches[4]!.objectName).toBe('(&(objectCategory=user)(memberOf=CN=Domain Admins,CN=Users,DC=simulandlabs,DC=com))');
    // ReportId_long (113597…) is read through its type suffix.
    expect(searches[0]!.nativeId).toMatch(/^113597:/);
  });

  it('keeps the app-only mailbox access apart from people: the app is the workload, pgustavo the target', async () => {
    const { records } = await parseAll('Microsoft365DefenderEvents.json', readSample(SAMPLE));
    const [mail, grant] = (records as ActivityRecord[]).filter((record) => record.activityType === 'cloudAppActivity');
    expect(mail).toMatchObject({
      id: 'activity:106830890_20893_699e0b10-1c53-403e-976f-ce0847a92b44',
      time: Date.UTC(2021, 7, 2, 13, 32, 7),
      identifiers: [],
      workload: { id: '5a95e683-08ad-424e-a441-1d1aec52c02c', name: 'SimuLandApp', type: 'servicePrincipal' },
      targetIdentifiers: [
        { type: 'objectId', value: 'aead923d-498b-4f64-a66c-2af91447a8b6' },
        { type: 'upn', value: 'pgustavo@simulandlabs.com' },
      ],
      app: 'Microsoft Exchange Online',
      success: true,
      ipAddress: '1.2.3.4',
      location: { city: 'chicago', country: 'US' },
      isAdminOperation: false,
    });
    expect(mail!.displayName).toBeUndefined();
    expect(grant).toMatchObject({
      identifiers: [
        { type: 'objectId', value: 'aead923d-498b-4f64-a66c-2af91447a8b6' },
        { type: 'upn', value: 'pgustavo@simulandlabs.com' },
      ],
      displayName: 'Gustavo Pedro',
      app: 'Office 365',
      time: Date.UTC(2021, 7, 2, 13, 27, 20),
    });
    expect(grant!.workload).toBeUndefined();
  });

  it('infers the table of each sample row', () => {
    expect(sampleRows().map((row) => huntingTableOf(new FieldReader(row)))).toEqual([
      ...Array(5).fill('DeviceEvents'),
      'IdentityDirectoryEvents',
      'IdentityDirectoryEvents',
      'CloudAppEvents',
      'CloudAppEvents',
    ]);
  });

  it('trusts a table-name column, and rejects endpoint events that are not identity activity', async () => {
    const rows = sampleRows();
    const processEvent = { ...rows[0], ActionType: 'ProcessCreated' };
    const named = { ...rows[5], Type: 'IdentityLogonEvents', ActionType: 'LogonFailed', LogonType: 'Credentials validation', FailureReason: 'WrongPassword' };
    const { records, summary } = await parseAll('mixed.json', ndjson([rows[0], rows[5], rows[7], processEvent, named]));
    expect(summary).toMatchObject({ format: 'defender-hunting-mixed', accepted: 4, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({
      record: 4,
      field: 'ActionType',
      reason: 'DeviceEvents action "ProcessCreated" is not identity activity (only LdapSearch is read)',
    });
    expect(records.at(-1)).toMatchObject({
      activityType: 'onPremLogon',
      action: 'LogonFailed',
      success: false,
      failureReason: 'WrongPassword',
      logonType: 'Credentials validation',
    });
  });
});

describe('Defender for Endpoint single-table exports', () => {
  it('reads DeviceLogonEvents alone as on-prem logons of the account that logged on', async () => {
    const row = {
      Timestamp: '2024-03-02T08:00:00Z',
      DeviceId: 'f00d',
      DeviceName: 'ws01.simulandlabs.com',
      ActionType: 'LogonSuccess',
      LogonType: 'RemoteInteractive',
      AccountDomain: 'simulandlabs',
      AccountName: 'pgustavo',
      AccountSid: 'S-1-5-21-2490359158-13971675-3780420524-1105',
      Protocol: 'Negotiate',
      FailureReason: '',
      RemoteIP: '192.168.2.9',
      InitiatingProcessFileName: 'lsass.exe',
      InitiatingProcessAccountSid: 'S-1-5-18',
      ReportId: 42,
    };
    const { records, summary } = await parseAll('DeviceLogonEvents.json', encode(JSON.stringify([row])));
    expect(summary).toMatchObject({ format: 'defender-hunting-mixed', accepted: 1, unattributed: 0 });
    expect(records[0]).toMatchObject({
      activityType: 'onPremLogon',
      success: true,
      logonType: 'RemoteInteractive',
      ipAddress: '192.168.2.9',
      identifiers: [
        { type: 'sid', value: 'S-1-5-21-2490359158-13971675-3780420524-1105' },
        { type: 'samAccount', value: 'simulandlabs\\pgustavo' },
      ],
    });
  });

  it('does not claim a DeviceEvents export alone (mostly not identity activity), but names itself closest', async () => {
    const deviceEventsColumns = /^(Timestamp|Device(Id|Name)|ActionType|Account(Domain|Name|Sid)|ReportId.*|AdditionalFields.*|InitiatingProcess.*)$/;
    const rows = sampleRows()
      .slice(0, 5)
      .map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => deviceEventsColumns.test(key))));
    const { summary } = await parseAll('DeviceEvents.json', ndjson(rows));
    expect(summary.format).toBeUndefined();
    expect(summary.fatal?.reason).toMatch(/closest format: Defender XDR advanced hunting \(mixed tables\)/);
  });
});

describe('Defender for Identity single-table exports', () => {
  const account = {
    AccountName: 'pgustavo',
    AccountDomain: 'SIMULANDLABS',
    AccountUpn: 'pgustavo@simulandlabs.com',
    AccountSid: 'S-1-5-21-2490359158-13971675-3780420524-1105',
    AccountObjectId: 'aead923d-498b-4f64-a66c-2af91447a8b6',
    AccountDisplayName: 'Gustavo Pedro',
    DeviceName: 'ws01.simulandlabs.com',
    DestinationDeviceName: 'dc01.simulandlabs.com',
  };

  it('reads IdentityLogonEvents: LogonSuccess/LogonFailed, logon type, protocol, failure reason, location, ISP', async () => {
    const rows = [
      schemaRow('IdentityLogonEvents', {
        ...account,
        Timestamp: '2024-03-01T10:00:00.125Z',
        ActionType: 'LogonFailed',
        LogonType: 'Credentials validation',
        Protocol: 'Ntlm',
        FailureReason: 'WrongPassword',
        Location: 'DE',
        ISP: 'Example ISP',
        IPAddress: '203.0.113.7',
        ReportId: 'r-1',
        Application: 'Active Directory',
      }),
      schemaRow('IdentityLogonEvents', {
        ...account,
        Timestamp: '2024-03-01T10:00:05Z',
        ActionType: 'LogonSuccess',
        LogonType: 'Resource access',
        Protocol: 'Kerberos',
        ReportId: 'r-1',
      }),
    ];
    const { records, summary } = await parseAll('IdentityLogonEvents.json', encode(JSON.stringify(rows)));
    expect(summary).toMatchObject({ format: 'mdi-identity-logon-events', source: 'defender-for-identity', accepted: 2, rejected: 0, unattributed: 0 });
    const [failed, ok] = records as ActivityRecord[];
    expect(failed).toMatchObject({
      activityType: 'onPremLogon',
      action: 'LogonFailed',
      success: false,
      failureReason: 'WrongPassword',
      logonType: 'Credentials validation',
      protocol: 'Ntlm',
      location: { country: 'DE' },
      isp: 'Example ISP',
      ipAddress: '203.0.113.7',
      time: Date.UTC(2024, 2, 1, 10, 0, 0, 125),
    });
    expect(failed!.identifiers.map((id) => id.type)).toEqual(['objectId', 'upn', 'sid', 'samAccount']);
    expect(ok).toMatchObject({ success: true, logonType: 'Resource access', protocol: 'Kerberos' });
    // The same ReportId on two events still gives two ids.
    expect(failed!.id).not.toBe(ok!.id);
  });

  it('reads IdentityDirectoryEvents with a target account', async () => {
    const row = schemaRow('IdentityDirectoryEvents', {
      ...account,
      Timestamp: '2024-03-01T11:00:00Z',
      ActionType: 'Account Password changed',
      Application: 'Active Directory',
      Protocol: 'Samr',
      TargetAccountUpn: 'Alice@SimulandLabs.com',
      TargetAccountDisplayName: 'Alice',
      ReportId: 'r-2',
    });
    const { records, summary } = await parseAll('IdentityDirectoryEvents.json', encode(JSON.stringify([row])));
    expect(summary).toMatchObject({ format: 'mdi-identity-directory-events', accepted: 1 });
    expect(records[0]).toMatchObject({
      activityType: 'directoryChange',
      action: 'Account Password changed',
      targetIdentifiers: [{ type: 'upn', value: 'alice@simulandlabs.com' }],
      targetName: 'Alice',
    });
  });

  it('reads IdentityQueryEvents with the query target as object; an on-prem-only account has no object id', async () => {
    const row = schemaRow('IdentityQueryEvents', {
      ...account,
      AccountObjectId: '',
      Timestamp: '2024-03-01T12:00:00Z',
      ActionType: 'SAMR query',
      QueryType: 'QueryGroup',
      QueryTarget: 'Domain Admins',
      Protocol: 'Samr',
      ReportId: 'r-3',
    });
    const { records, summary } = await parseAll('IdentityQueryEvents.json', encode(JSON.stringify([row])));
    expect(summary).toMatchObject({ format: 'mdi-identity-query-events', accepted: 1 });
    expect(records[0]).toMatchObject({ activityType: 'directoryQuery', action: 'SAMR query', objectName: 'Domain Admins' });
    expect(records[0]!.identifiers.map((id) => id.type)).toEqual(['upn', 'sid', 'samAccount']);
  });

  it('reads a Sentinel CSV of IdentityLogonEvents (TimeGenerated [UTC], US display time)', async () => {
    const csv = [
      'TimeGenerated [UTC],ActionType,LogonType,Protocol,FailureReason,AccountName,AccountDomain,AccountUpn,AccountSid,AccountObjectId,DeviceName,DestinationDeviceName,ReportId,Application',
      '"3/1/2024, 10:00:00.125 AM",LogonFailed,Interactive,Kerberos,WrongPassword,pgustavo,simulandlabs.com,pgustavo@simulandlabs.com,S-1-5-21-1-2-3-1105,,ws01,dc01,r-9,Active Directory',
    ].join('\r\n');
    const { records, summary } = await parseAll('logons.csv', encode(csv));
    expect(summary).toMatchObject({ format: 'mdi-identity-logon-events', container: 'csv', accepted: 1 });
    expect(records[0]).toMatchObject({ time: Date.UTC(2024, 2, 1, 10, 0, 0, 125), success: false });
    expect(records[0]!.identifiers).toContainEqual({ type: 'samAccount', value: 'simulandlabs\\pgustavo' });
  });

  it('leaves a mixed file to the mixed reader, and a pure file to the table reader', async () => {
    const rows = sampleRows();
    const dcsyncOnly = await parseAll('dcsync.json', ndjson([rows[5], rows[6]]));
    // The OTRF rows carry other tables' columns (ActivityObjects, RawEventData…), so even alone they are read as mixed.
    expect(dcsyncOnly.summary).toMatchObject({ format: 'defender-hunting-mixed', accepted: 2 });
    const pure = rows.slice(5, 7).map((row) => {
      const { ActivityObjects: _a, RawEventData: _r, ActivityType: _t, rawData: _d, ...rest } = row;
      return rest;
    });
    expect((await parseAll('dcsync.json', ndjson(pure))).summary).toMatchObject({ format: 'mdi-identity-directory-events', accepted: 2 });
  });
});
