import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import type { AlertRecord, IncidentRecord } from '../../../model/records.ts';
import { canonicalFieldName } from '../../fields.ts';
import { parseAll } from '../../parse.ts';
import { sentinelSecurityAlert } from './sentinel-alert.ts';
import { sentinelSecurityIncident } from './sentinel-incident.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const ndjson = (rows: object[]) => encode(rows.map((row) => JSON.stringify(row)).join('\n'));

/** Rows written from the Log Analytics SecurityAlert reference: an MDI alert (Entities with `$ref`s) and an IPC alert. */
const mdiEntities = [
  {
    $id: '3',
    Name: 'jdoe',
    NTDomain: 'CONTOSO',
    UPNSuffix: 'contoso.com',
    Sid: 'S-1-5-21-3623811015-3361044348-30300820-1013',
    AadUserId: '6a9b8c7d-1e2f-4a5b-8c9d-0e1f2a3b4c5d',
    ObjectGuid: 'ffffffff-0000-0000-0000-000000000001',
    IsDomainJoined: true,
    Type: 'account',
  },
  { $id: '4', HostName: 'DC1', DnsDomain: 'contoso.com', Type: 'host' },
  { $id: '5', Address: '10.0.0.5', Type: 'ip' },
  { $id: '6', ProcessId: '4242', CommandLine: 'mimikatz.exe', Account: { $ref: '3' }, Host: { $ref: '4' }, Type: 'process' },
  { $ref: '3' },
];
const mdiAlert = {
  TenantId: '11111111-2222-3333-4444-555555555555',
  TimeGenerated: '2024-02-10T09:15:00.123Z',
  DisplayName: 'Suspected DCSync attack (replication of directory services)',
  AlertName: 'Suspected DCSync attack (replication of directory services)',
  AlertSeverity: 'High',
  Description: 'jdoe on WKS-7 sent a replication request to DC1.',
  ProviderName: 'Azure Advanced Threat Protection',
  VendorName: 'Microsoft',
  SystemAlertId: 'd1a2b3c4-0000-4000-8000-00000000aaaa',
  ProductName: 'Azure Advanced Threat Protection',
  AlertType: 'DirectoryServicesReplicationSecurityAlert',
  StartTime: '2024-02-10T09:10:00Z',
  EndTime: '2024-02-10T09:12:00Z',
  Status: 'New',
  CompromisedEntity: 'jdoe@contoso.com',
  Tactics: 'CredentialAccess',
  Techniques: '["T1003"]',
  SubTechniques: '["T1003.006"]',
  Entities: JSON.stringify(mdiEntities),
};
const ipcAlert = {
  TimeGenerated: '2024-02-10T08:00:00Z',
  AlertName: 'Atypical travel',
  AlertSeverity: 'Medium',
  ProviderName: 'IPC',
  ProductName: 'Azure Active Directory Identity Protection',
  SystemAlertId: 'e5f6a7b8-0000-4000-8000-00000000bbbb',
  StartTime: '2024-02-10T07:55:00Z',
  EndTime: '2024-02-10T07:58:00Z',
  Status: 'InProgress',
  CompromisedEntity: 'jdoe@contoso.com',
  Entities: JSON.stringify([
    { $id: '2', Name: 'jdoe', UPNSuffix: 'contoso.com', AadUserId: '6a9b8c7d-1e2f-4a5b-8c9d-0e1f2a3b4c5d', Type: 'account' },
    { $id: '3', Address: '198.51.100.23', Type: 'ip' },
  ]),
};

const incident = {
  TenantId: '11111111-2222-3333-4444-555555555555',
  TimeGenerated: '2024-02-10T09:20:00Z',
  IncidentName: '0c6e6d31-6f3b-4b8f-9e3d-5d2b1a0f9e11',
  Title: 'Credential access on one endpoint involving one user',
  Description: '',
  Severity: 'High',
  Status: 'Active',
  Classification: '',
  Owner: JSON.stringify({ objectId: null, email: 'soc.analyst@contoso.com', assignedTo: 'SOC Analyst', userPrincipalName: 'soc.analyst@contoso.com' }),
  ProviderName: 'Microsoft 365 Defender',
  ProviderIncidentId: '924565',
  FirstActivityTime: '2024-02-10T07:55:00Z',
  LastActivityTime: '2024-02-10T09:12:00Z',
  LastModifiedTime: '2024-02-10T09:20:00Z',
  CreatedTime: '2024-02-10T09:16:00Z',
  IncidentNumber: 42,
  AlertIds: JSON.stringify([mdiAlert.SystemAlertId, ipcAlert.SystemAlertId]),
  Labels: JSON.stringify([{ labelName: 'Identity', labelType: 'User' }]),
  Type: 'SecurityIncident',
};

describe('Sentinel SecurityAlert', () => {
  it('reads accounts from Entities (following $ref), the compromised entity and the product', async () => {
    const { records, summary } = await parseAll('SecurityAlert.json', ndjson([mdiAlert, ipcAlert]));
    expect(summary).toMatchObject({ format: 'sentinel-security-alert', accepted: 2, rejected: 0, unattributed: 0 });
    const [mdi, ipc] = records as AlertRecord[];
    expect(mdi).toMatchObject({
      id: 'alert:d1a2b3c4-0000-4000-8000-00000000aaaa',
      source: 'defender-for-identity',
      app: 'Active Directory',
      title: 'Suspected DCSync attack (replication of directory services)',
      severity: 'high',
      status: 'new',
      category: 'CredentialAccess',
      alertType: 'DirectoryServicesReplicationSecurityAlert',
      mitreTechniques: ['T1003', 'T1003.006'],
      ipAddresses: ['10.0.0.5'],
      devices: ['DC1.contoso.com'],
      time: Date.UTC(2024, 1, 10, 9, 15, 0, 123),
      firstActivity: Date.UTC(2024, 1, 10, 9, 10),
      lastActivity: Date.UTC(2024, 1, 10, 9, 12),
    });
    // One person: the account entity, its $ref, and the compromised entity's UPN. Never the on-prem ObjectGuid.
    expect(mdi!.affectedUsers).toEqual([
      [
        { type: 'objectId', value: '6a9b8c7d-1e2f-4a5b-8c9d-0e1f2a3b4c5d' },
        { type: 'upn', value: 'jdoe@contoso.com' },
        { type: 'sid', value: 'S-1-5-21-3623811015-3361044348-30300820-1013' },
        { type: 'samAccount', value: 'contoso\\jdoe' },
      ],
    ]);
    expect(ipc).toMatchObject({ source: 'identity-protection', status: 'inProgress', severity: 'medium', ipAddresses: ['198.51.100.23'] });
    expect(ipc!.app).toBeUndefined();
  });

  it('reads the Log Analytics portal CSV, with [UTC] time columns and US dates', async () => {
    const row = { ...mdiAlert, AlertSeverity: 'Critical', Status: 'Escalated' } as Record<string, string>;
    const renamed = (name: string) => (['TimeGenerated', 'StartTime', 'EndTime'].includes(name) ? `${name} [UTC]` : name);
    const names = Object.keys(row);
    const values = {
      ...row,
      TimeGenerated: '2/10/2024, 9:15:00.123 AM',
      StartTime: '2/10/2024, 9:10:00.000 AM',
      EndTime: '2/10/2024, 9:12:00.000 AM',
    } as Record<string, string>;
    const csv = `${names.map(renamed).join(',')}\r\n${names.map((name) => `"${String(values[name]).replace(/"/g, '""')}"`).join(',')}\r\n`;
    const { records, summary } = await parseAll('query_data.csv', encode(csv));
    expect(summary).toMatchObject({ format: 'sentinel-security-alert', container: 'csv', accepted: 1, rejected: 0 });
    expect(records[0]).toMatchObject({
      time: Date.UTC(2024, 1, 10, 9, 15, 0, 123),
      timeRaw: '2/10/2024, 9:15:00.123 AM',
      firstActivity: Date.UTC(2024, 1, 10, 9, 10),
      severity: 'Critical',
      status: 'Escalated',
      identifiers: expect.arrayContaining([{ type: 'sid', value: 'S-1-5-21-3623811015-3361044348-30300820-1013' }]) as unknown,
    });
  });

  it('rejects a row without SystemAlertId, naming the field', async () => {
    const { summary } = await parseAll('SecurityAlert.json', ndjson([mdiAlert, { ...ipcAlert, SystemAlertId: '' }]));
    expect(summary).toMatchObject({ accepted: 1, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ record: 2, field: 'SystemAlertId', reason: 'missing alert id' });
  });
});

describe('Sentinel SecurityIncident', () => {
  it('reads an incident and links it to its SecurityAlert rows by SystemAlertId', async () => {
    const { records, summary } = await parseAll('SecurityIncident.json', ndjson([incident]));
    expect(summary).toMatchObject({ format: 'sentinel-security-incident', accepted: 1, rejected: 0 });
    const read = records[0] as IncidentRecord;
    expect(read).toMatchObject({
      id: 'incident:0c6e6d31-6f3b-4b8f-9e3d-5d2b1a0f9e11',
      source: 'defender-xdr',
      severity: 'high',
      status: 'inProgress',
      assignedTo: 'SOC Analyst',
      tags: ['Identity'],
      time: Date.UTC(2024, 1, 10, 9, 16),
      lastUpdateTime: Date.UTC(2024, 1, 10, 9, 20),
      identifiers: [],
    });
    expect(read.classification).toBeUndefined();
    const alerts = (await parseAll('SecurityAlert.json', ndjson([mdiAlert, ipcAlert]))).records;
    expect(read.alertIds).toEqual(alerts.map((alert) => alert.id));
  });

  it('maps closed incidents and their classification, and keeps unknown words', async () => {
    const closed = { ...incident, Status: 'Closed', Classification: 'BenignPositive', ClassificationReason: 'SuspiciousButExpected' };
    const odd = { ...incident, IncidentName: 'b', Status: 'Archived', Severity: 'Severe', Classification: 'Maybe' };
    const { records } = await parseAll('SecurityIncident.json', ndjson([closed, odd]));
    expect(
      records.map((record) => [(record as IncidentRecord).status, (record as IncidentRecord).severity, (record as IncidentRecord).classification]),
    ).toEqual([
      ['resolved', 'high', 'benignPositive'],
      ['Archived', 'Severe', 'Maybe'],
    ]);
    expect((records[0] as IncidentRecord).determination).toBe('suspiciousButExpected');
  });

  it('rejects a row without IncidentName, naming the field', async () => {
    const { summary } = await parseAll('SecurityIncident.json', ndjson([{ ...incident, IncidentName: null }]));
    expect(summary).toMatchObject({ format: 'sentinel-security-incident', accepted: 0, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ field: 'IncidentName', reason: 'missing incident id' });
  });

  it('recognises an export carrying every column of the table schema', () => {
    const schema = JSON.parse(new TextDecoder().decode(readSample('../reference/table-schemas/SecurityIncident.json'))) as { Properties: { Name: string }[] };
    const fields = new Set(schema.Properties.map((column) => canonicalFieldName(column.Name)));
    expect(sentinelSecurityIncident.detect(fields)).toBe(1);
    expect(sentinelSecurityAlert.detect(fields)).toBe(0);
  });
});
