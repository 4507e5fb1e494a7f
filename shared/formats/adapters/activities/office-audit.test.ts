import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import type { ActivityRecord } from '../../../model/records.ts';
import { CsvRecordScanner } from '../../csv-scan.ts';
import { parseAll } from '../../parse.ts';
import { officeActor } from './office-audit.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const cell = (value: string) => `"${value.replace(/"/g, '""')}"`;

/** CSV rows through the pipeline's scanner only (no adapter): the independent count of a sample. */
function csvRows(path: string): Record<string, string>[] {
  const scanner = new CsvRecordScanner();
  scanner.useDelimiter(',');
  const items = [...scanner.push(new TextDecoder().decode(readSample(path))), ...scanner.end()];
  return items.flatMap((item) => (item.type === 'record' ? [item.value] : []));
}

describe('unified audit log CSV (Search-UnifiedAuditLog | Export-Csv, Hawk’s AuditLog.csv)', () => {
  it('reads all 100 rows; every one is NT AUTHORITY\\SYSTEM and so unattributed', async () => {
    const text = new TextDecoder().decode(readSample('o365-ual/AuditLog.csv'));
    const rowCount = text.split('\n').filter((line) => line.startsWith('"ExchangeAdmin"')).length;
    const { records, summary } = await parseAll('AuditLog.csv', readSample('o365-ual/AuditLog.csv'));
    expect(rowCount).toBe(100);
    expect(summary).toMatchObject({
      format: 'o365-unified-audit-log',
      source: 'office-365',
      container: 'csv',
      accepted: rowCount,
      rejected: 0,
      unattributed: rowCount,
    });
    const activities = records as ActivityRecord[];
    expect(activities.every((record) => record.activityType === 'officeActivity' && record.identifiers.length === 0)).toBe(true);
    // The export repeats one record (ResultIndex 5 and 6, same AuditData): one id, so storage keeps it once.
    expect(new Set(activities.map((record) => record.id)).size).toBe(99);
    expect(activities[0]).toMatchObject({
      id: 'activity:20727f4f-905b-4332-07d4-08dd131b4996',
      action: 'Set-ConditionalAccessPolicy',
      app: 'Exchange',
      success: true,
      time: Date.UTC(2024, 11, 2, 21, 50, 7),
      timeRaw: '2024-12-02T21:50:07',
      objectName: 'semperhunt.onmicrosoft.com\\31aa73db-e3b6-4669-ad5d-03cf1d6753f8',
    });
    const operations = new Map<string, number>();
    for (const record of activities) operations.set(record.action, (operations.get(record.action) ?? 0) + 1);
    expect([operations.get('Set-ConditionalAccessPolicy'), operations.get('Set-MailboxPlan'), operations.get('Set-Mailbox')]).toEqual([43, 27, 22]);
  });

  const signIn = {
    CreationTime: '2024-05-02T07:15:30',
    Id: '6f3c1a52-8f7e-4c3e-9d55-2b0b5d1f0a11',
    Operation: 'UserLoggedIn',
    OrganizationId: '70f17e2d-f2fb-4070-b8ca-79ec420d211c',
    RecordType: 15,
    ResultStatus: 'Success',
    UserKey: '0B7D1C7A-5E2F-4B7A-9C1D-3E4F5A6B7C8D',
    UserType: 0,
    Version: 1,
    Workload: 'AzureActiveDirectory',
    ClientIP: '203.0.113.9:51234',
    ObjectId: '00000003-0000-0ff1-ce00-000000000000',
    UserId: 'Alice@Contoso.com',
    ExtendedProperties: [
      { Name: 'UserAgent', Value: 'Mozilla/5.0 (Windows NT 10.0)' },
      { Name: 'RequestType', Value: 'OAuth2:Authorize' },
    ],
  };
  const failed = {
    ...signIn,
    Id: '7a4d2b63-9f8e-4d4f-8e66-3c1c6e2f1b22',
    Operation: 'UserLoginFailed',
    ResultStatus: 'Failed',
    LogonError: 'InvalidUserNameOrPassword',
    ClientIP: '[2001:db8::5]:443',
  };

  it('reads the portal variant CreationDate,UserIds,Operations,AuditData: actor, object id from UserKey, IP without port or brackets', async () => {
    const csv = [
      'CreationDate,UserIds,Operations,AuditData',
      ...[signIn, failed].map((data) => ['5/2/2024 7:15:30 AM', data.UserId, data.Operation, cell(JSON.stringify(data))].join(',')),
    ].join('\r\n');
    const { records, summary } = await parseAll('audit.csv', encode(csv));
    expect(summary).toMatchObject({ format: 'o365-unified-audit-log', accepted: 2, rejected: 0, unattributed: 0 });
    const [ok, bad] = records as ActivityRecord[];
    expect(ok).toMatchObject({
      id: 'activity:6f3c1a52-8f7e-4c3e-9d55-2b0b5d1f0a11',
      action: 'UserLoggedIn',
      app: 'AzureActiveDirectory',
      success: true,
      ipAddress: '203.0.113.9',
      userAgent: 'Mozilla/5.0 (Windows NT 10.0)',
      time: Date.UTC(2024, 4, 2, 7, 15, 30),
      identifiers: [
        { type: 'objectId', value: '0b7d1c7a-5e2f-4b7a-9c1d-3e4f5a6b7c8d' },
        { type: 'upn', value: 'alice@contoso.com' },
      ],
    });
    expect(bad).toMatchObject({ success: false, failureReason: 'InvalidUserNameOrPassword', ipAddress: '2001:db8::5' });
  });

  it('reads the portal variant RecordId,CreationDate,RecordType,Operation,UserId,AuditData,…', async () => {
    const csv = [
      'RecordId,CreationDate,RecordType,Operation,UserId,AuditData,AssociatedAdminUnits,AssociatedAdminUnitsNames',
      [
        signIn.Id,
        '2024-05-02T07:15:30.0000000Z',
        'AzureActiveDirectoryStsLogon',
        'UserLoggedIn',
        'alice@contoso.com',
        cell(JSON.stringify(signIn)),
        '',
        '',
      ].join(','),
    ].join('\n');
    const { records, summary } = await parseAll('purview.csv', encode(csv));
    expect(summary).toMatchObject({ format: 'o365-unified-audit-log', accepted: 1 });
    expect(records[0]!.identifiers).toHaveLength(2);
  });

  it('rejects a row whose AuditData is not JSON, naming the field', async () => {
    const csv = ['CreationDate,UserIds,Operations,AuditData', '5/2/2024 7:15:30 AM,a@b.com,X,not json'].join('\n');
    const { summary } = await parseAll('broken.csv', encode(csv));
    expect(summary).toMatchObject({ format: 'o365-unified-audit-log', accepted: 0, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ field: 'AuditData', reason: 'missing, or not a JSON object' });
  });
});

describe('Sentinel OfficeActivity', () => {
  it('reads the single-object OTRF export: pgustavo’s MailItemsAccessed', async () => {
    const { records, summary } = await parseAll('OfficeActivityEvents.json', readSample('office-activity/OfficeActivityEvents.json'));
    expect(summary).toMatchObject({
      format: 'sentinel-office-activity',
      source: 'office-365',
      container: 'objects',
      accepted: 1,
      rejected: 0,
      unattributed: 0,
    });
    expect(records[0]).toMatchObject({
      id: 'activity:699e0b10-1c53-403e-976f-ce0847a92b44',
      activityType: 'officeActivity',
      action: 'MailItemsAccessed',
      app: 'Exchange',
      success: true,
      time: Date.UTC(2021, 7, 2, 13, 32, 7),
      timeRaw: '2021-08-02T13:32:07Z',
      identifiers: [{ type: 'upn', value: 'pgustavo@simulandlabs.com' }],
    });
  });

  it('reads office_activity.csv: 266 rows; app, system and service actors are unattributed', async () => {
    const rows = csvRows('office-activity/office_activity.csv');
    const { records, summary } = await parseAll('office_activity.csv', readSample('office-activity/office_activity.csv'));
    expect(rows).toHaveLength(266);
    expect(summary).toMatchObject({ format: 'sentinel-office-activity', container: 'csv', accepted: rows.length, rejected: 0, unattributed: 31 });
    const activities = records as ActivityRecord[];
    const actorOf = (record: ActivityRecord) => rows[activities.indexOf(record)]!.UserId;
    expect(new Set(activities.filter((record) => !record.identifiers.length).map(actorOf))).toEqual(
      new Set([
        'app@sharepoint',
        'S-1-5-18',
        'DlpPolicyEventBasedAssistantOneDriveForBusiness',
        'SHAREPOINT\\system',
        'Microsoft Teams Sync',
        'Application',
        'SpoolsProvisioning-ApplicationAccount@namprd06.prod.outlook.com',
        'NT AUTHORITY\\SYSTEM (w3wp)',
      ]),
    );
    // Adele in two spellings is one UPN.
    const adele = activities.filter((record) => record.identifiers.some((id) => id.value === 'adelev@m365x816222.onmicrosoft.com'));
    expect(adele).toHaveLength(143 + 8);
    // JohnS's Entra rows carry his object id in UserKey (the same id as in signin/disable_accounts.csv).
    expect(activities.some((record) => record.identifiers.some((id) => id.type === 'objectId' && id.value === '14dc6e86-42b9-4f0a-8da0-8b5bdc62e336'))).toBe(
      true,
    );
    const times = activities.map((record) => record.time);
    expect([Math.min(...times), Math.max(...times)]).toEqual([Date.UTC(2021, 3, 28, 4, 43, 51), Date.UTC(2021, 3, 28, 15, 5, 26)]);
    expect(activities[0]).toMatchObject({ timeRaw: '4/28/2021, 3:05:26.000 PM', action: 'PageViewed', app: 'SharePoint', ipAddress: '175.45.176.99' });
    expect(activities.some((record) => record.ipAddress?.includes(':17362'))).toBe(false);
  });

  it('reads office_activity_inbox_rule.csv: New-InboxRule, IPv6 in brackets with a port, time from Start_Time', async () => {
    const { records, summary } = await parseAll('office_activity_inbox_rule.csv', readSample('office-activity/office_activity_inbox_rule.csv'));
    expect(summary).toMatchObject({ format: 'sentinel-office-activity', accepted: 2, rejected: 0, unattributed: 0 });
    expect(records[0]).toMatchObject({
      action: 'New-InboxRule',
      identifiers: [{ type: 'upn', value: 'adelev@contoso.onmicrosoft.com' }],
      ipAddress: '2a01:110:8068:7:9bf8:aa87:e00a:5f1f',
      time: Date.UTC(2021, 3, 26, 7, 17, 10),
      timeRaw: '4/26/2021, 7:17:10.000 AM',
      success: true,
    });
  });
});

describe('officeActor', () => {
  it('names people only', () => {
    expect(officeActor('alice@contoso.com', '10032000C757D25F', 'Regular')).toEqual([{ type: 'upn', value: 'alice@contoso.com' }]);
    expect(officeActor('alice@contoso.com', 'aead923d-498b-4f64-a66c-2af91447a8b6', 2)).toHaveLength(2);
    expect(officeActor('NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)', 'NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)', 3)).toEqual([]);
    expect(officeActor('svc@contoso.com', '62b732f7-fc71-40bc-b27d-35efcb0509de', 'Application')).toEqual([]);
    expect(officeActor('app@sharepoint', 'i:0i.t|00000003-0000-0ff1-ce00-000000000000|app@sharepoint', 'Regular')).toEqual([]);
    expect(officeActor('S-1-5-18', 'S-1-5-18', 'Admin')).toEqual([]);
  });
});
