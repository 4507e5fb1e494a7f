import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../../model/records.ts';
import { FieldReader } from '../../fields.ts';
import { parseAll } from '../../parse.ts';
import { graphSecurityAlertV1 } from './graph-alert-v1.ts';

const encode = (text: string) => new TextEncoder().encode(text);

/**
 * The columns Microsoft-Extractor-Suite's Get-SecurityAlerts writes (Export-Csv, every value quoted, dates in
 * the exporting machine's US format): `AffectedUser` is `upn/<logon IP or null>` joined by `; `.
 */
const columns = [
  'Id',
  'Title',
  'Category',
  'Severity',
  'Status',
  'CreatedDateTime',
  'EventDateTime',
  'LastModifiedDateTime',
  'AssignedTo',
  'Description',
  'DetectionSource',
  'AffectedUser',
  'AffectedHost',
  'AzureTenantId',
  'AzureSubscriptionId',
  'Confidence',
  'ActivityGroupName',
  'ClosedDateTime',
  'Feedback',
  'LastEventDateTime',
  'SourceURL',
  'CloudAppStates',
  'Comments',
  'Tags',
  'Vendor',
  'Provider',
  'SubProvider',
  'ProviderVersion',
  'IncidentIds',
];

function row(values: Record<string, string>): string {
  return columns.map((column) => `"${(values[column] ?? '').replace(/"/g, '""')}"`).join(',');
}

const ipcId = '3c4e1f6b2a9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f';
const rows = [
  row({
    Id: ipcId,
    Title: 'Anonymous IP address',
    Category: 'AnonymousLogin',
    Severity: 'medium',
    Status: 'newAlert',
    CreatedDateTime: '3/14/2024 8:05:11 AM',
    EventDateTime: '3/14/2024 7:59:02 AM',
    LastModifiedDateTime: '3/14/2024 8:06:00 AM',
    Description: 'Sign-in from an anonymous IP address',
    AffectedUser: 'Adele.Vance@contoso.com/null',
    Feedback: '',
    Vendor: 'Microsoft',
    Provider: 'IPC',
    SubProvider: 'IdentityProtection',
    ProviderVersion: '',
    IncidentIds: '',
  }),
  row({
    Id: 'da638456123456789012_1234567890',
    Title: 'Suspicious PowerShell command line',
    Category: 'Execution',
    Severity: 'informational',
    Status: 'resolved',
    CreatedDateTime: '3/15/2024 1:45:17 PM',
    AffectedUser: 'alex@contoso.com/10.1.2.3; CONTOSO\\svc_backup/null',
    AffectedHost: 'WKS-01/10.1.2.3; Unknown/null',
    Feedback: 'truePositive',
    Vendor: 'Microsoft',
    Provider: 'Microsoft Defender ATP',
    IncidentIds: '4021, 4022',
  }),
  row({
    Id: 'aatp-1',
    Title: 'Suspected DCSync attack',
    Category: 'CredentialAccess',
    Severity: 'high',
    Status: 'inProgress',
    CreatedDateTime: '3/16/2024 9:00:00 PM',
    AffectedUser: 'pgustavo@simulandlabs.com/null',
    Vendor: 'Microsoft',
    Provider: 'Azure Advanced Threat Protection',
  }),
  row({ Id: '', Title: 'No id', Severity: 'low', Status: 'newAlert', CreatedDateTime: '3/16/2024 9:00:00 PM', Provider: 'IPC', Vendor: 'Microsoft' }),
  row({
    Id: 'mcas-1',
    Title: 'Impossible travel activity',
    Category: 'ImpossibleTravel',
    Severity: 'critical',
    Status: 'escalated',
    Feedback: 'somethingNew',
    CreatedDateTime: '3/17/2024 10:00:00 AM',
    AffectedUser: 'nestor@contoso.com/198.51.100.7',
    Vendor: 'Microsoft',
    Provider: 'MCAS',
  }),
];
const csv = `${columns.map((column) => `"${column}"`).join(',')}\r\n${rows.join('\r\n')}\r\n`;

describe('legacy Graph security alerts (v1) in the tool CSV', () => {
  it('reads the CSV: counts, sources, and AffectedUser without its /null suffix', async () => {
    const { records, summary } = await parseAll('SecurityAlerts.csv', encode(csv));
    expect(summary).toMatchObject({ format: 'graph-security-alert-v1', container: 'csv', accepted: rows.length - 1, rejected: 1 });
    expect(summary.errors).toEqual([{ file: 'SecurityAlerts.csv', record: 4, line: 5, field: 'id', reason: 'missing alert id' }]);
    const alerts = records as AlertRecord[];
    expect(alerts.map((alert) => [alert.source, alert.severity, alert.status, alert.app])).toEqual([
      ['identity-protection', 'medium', 'new', undefined],
      ['defender-xdr', 'informational', 'resolved', undefined],
      ['defender-for-identity', 'high', 'inProgress', 'Active Directory'],
      // Unknown words are kept as the export wrote them.
      ['defender-for-cloud-apps', 'critical', 'escalated', undefined],
    ]);
    const [ipc, mde, , mcas] = alerts;
    expect(ipc).toMatchObject({
      id: `alert:${ipcId}`,
      serviceSource: 'IPC',
      detectionSource: 'IdentityProtection',
      category: 'AnonymousLogin',
      time: Date.UTC(2024, 2, 14, 8, 5, 11),
      timeRaw: '3/14/2024 8:05:11 AM',
      firstActivity: Date.UTC(2024, 2, 14, 7, 59, 2),
      identifiers: [{ type: 'upn', value: 'adele.vance@contoso.com' }],
      ipAddresses: [],
    });
    expect(mde).toMatchObject({
      classification: 'truePositive',
      incidentId: '4021',
      ipAddresses: ['10.1.2.3'],
      devices: ['WKS-01'],
      affectedUsers: [[{ type: 'upn', value: 'alex@contoso.com' }], [{ type: 'samAccount', value: 'contoso\\svc_backup' }]],
    });
    expect(mcas).toMatchObject({ classification: 'somethingNew', ipAddresses: ['198.51.100.7'] });
  });
});

describe('legacy Graph security alerts (v1) as Graph JSON', () => {
  const alert = {
    id: 'F2A1B3C4-0000-4000-8000-000000000001',
    azureTenantId: '11111111-2222-3333-4444-555555555555',
    category: 'UnfamiliarLocation',
    createdDateTime: '2020-06-01T12:00:05.1234567Z',
    eventDateTime: '2020-06-01T11:58:00Z',
    lastModifiedDateTime: '2020-06-01T12:10:00Z',
    severity: 'low',
    status: 'newAlert',
    title: 'Unfamiliar sign-in properties',
    feedback: null,
    incidentIds: [],
    hostStates: [],
    userStates: [
      {
        aadUserId: '9b117c67-170e-4aed-9702-658b3fddc889',
        accountName: 'adelev',
        domainName: 'M365X816222',
        logonIp: '175.45.176.99',
        onPremisesSecurityIdentifier: null,
        userPrincipalName: 'adelev@m365x816222.onmicrosoft.com',
      },
    ],
    vendorInformation: { provider: 'IPC', providerVersion: null, subProvider: null, vendor: 'Microsoft' },
  };

  it('reads userStates and vendorInformation', async () => {
    const { records, summary } = await parseAll('alerts.json', encode(JSON.stringify({ value: [alert] })));
    expect(summary).toMatchObject({ format: 'graph-security-alert-v1', accepted: 1, rejected: 0, unattributed: 0 });
    expect(records[0]).toMatchObject({
      id: 'alert:F2A1B3C4-0000-4000-8000-000000000001',
      source: 'identity-protection',
      serviceSource: 'IPC',
      severity: 'low',
      status: 'new',
      ipAddresses: ['175.45.176.99'],
      identifiers: [
        { type: 'objectId', value: '9b117c67-170e-4aed-9702-658b3fddc889' },
        { type: 'upn', value: 'adelev@m365x816222.onmicrosoft.com' },
        { type: 'samAccount', value: 'm365x816222\\adelev' },
      ],
    });
  });

  it('falls back to the event time when the creation time is missing, and says which field is bad', () => {
    const noCreated = { ...alert, createdDateTime: undefined };
    const result = graphSecurityAlertV1.normalize(new FieldReader(noCreated), noCreated);
    expect(result.ok && result.record.timeRaw).toBe('2020-06-01T11:58:00Z');
    const bad = { ...alert, createdDateTime: '31/31/2020' };
    expect(graphSecurityAlertV1.normalize(new FieldReader(bad), bad)).toMatchObject({ ok: false, field: 'createdDateTime' });
  });
});
