import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import type { ActivityRecord } from '../../../model/records.ts';
import { parseAll } from '../../parse.ts';

const encode = (text: string) => new TextEncoder().encode(text);

describe('Entra directory audit', () => {
  it('reads AADAuditEvents.json: 4 AuditLogs rows (Type AuditLogs, Application, ServicePrincipal), all by pgustavo', async () => {
    const lines = new TextDecoder()
      .decode(readSample('entra-audit/AADAuditEvents.json'))
      .split('\n')
      .filter((line) => line.trim());
    const { records, summary } = await parseAll('AADAuditEvents.json', readSample('entra-audit/AADAuditEvents.json'));
    expect(summary).toMatchObject({ format: 'entra-directory-audit', container: 'objects', accepted: lines.length, rejected: 0, unattributed: 0 });
    expect(lines).toHaveLength(4);
    const audits = records as ActivityRecord[];
    for (const audit of audits) {
      expect(audit.identifiers).toEqual([
        { type: 'objectId', value: 'aead923d-498b-4f64-a66c-2af91447a8b6' },
        { type: 'upn', value: 'pgustavo@simulandlabs.com' },
      ]);
      expect(audit).toMatchObject({ activityType: 'directoryAudit', app: 'Core Directory', success: true });
    }
    expect(audits.map((audit) => audit.action)).toEqual([
      'Update application – Certificates and secrets management ',
      'Update application – Certificates and secrets management ',
      'Update application',
      'Add delegated permission grant',
    ]);
    // The hunting query expanded one event into two rows (one per modified property): same Id, stored once.
    expect(audits[0]!.id).toBe('activity:Directory_10065ffb-8199-48bc-8ff5-912cb5b8295a_AUMVX_13992832');
    expect(audits[1]!.id).toBe(audits[0]!.id);
    expect(audits[0]).toMatchObject({
      time: Date.UTC(2021, 7, 2, 13, 29, 25, 983),
      timeRaw: '2021-08-02T13:29:25.983Z',
      objectName: 'SimuLandApp',
      userAgent: 'Mozilla/5.0 (Windows NT; Windows NT 10.0; en-US) WindowsPowerShell/5.1.17763.1971',
    });
    expect(audits[3]!.objectName).toBe('Microsoft Graph');
  });

  it('reads the Graph directoryAudit example: initiator, capital-T Type user target', async () => {
    const { records, summary } = await parseAll('graph-directoryAudits-list.json', readSample('vendor-doc-examples/graph-directoryAudits-list.json'));
    expect(summary).toMatchObject({ format: 'entra-directory-audit', container: 'graph-page', accepted: 1, rejected: 0, unattributed: 0 });
    expect(records[0]).toMatchObject({
      id: 'activity:id',
      action: 'Add member to group',
      time: Date.UTC(2018, 0, 9, 21, 20, 2, 721),
      identifiers: [
        { type: 'objectId', value: '728309ae-1a37-4937-9afe-e35d964db09b' },
        { type: 'upn', value: 'bob@wingtiptoysonline.com' },
      ],
      displayName: 'Audry Oliver',
      ipAddress: '127.0.0.1',
      targetIdentifiers: [
        { type: 'objectId', value: '1f0e98f5-3161-4c6b-9b50-d488572f2bb7' },
        { type: 'upn', value: 'bob@contoso.com' },
      ],
      targetName: 'bob@contoso.com',
      objectName: 'Example.com',
    });
  });

  it('reads the filtered Graph example: an all-zero initiator names no one', async () => {
    const { records, summary } = await parseAll(
      'graph-directoryAudits-list-filter-initiatedby.json',
      readSample('vendor-doc-examples/graph-directoryAudits-list-filter-initiatedby.json'),
    );
    expect(summary).toMatchObject({ format: 'entra-directory-audit', accepted: 1, unattributed: 1 });
    expect(records[0]).toMatchObject({ action: 'GroupLifecyclePolicies_Get', identifiers: [], targetIdentifiers: [], app: 'Self-service Group Management' });
  });

  it('detects AuditLogs_Hunting.csv but rejects its 5 rows: the hunting query dropped every time column', async () => {
    const { records, summary } = await parseAll('AuditLogs_Hunting.csv', readSample('entra-audit/AuditLogs_Hunting.csv'));
    expect(summary).toMatchObject({ format: 'entra-directory-audit', container: 'csv', accepted: 0, rejected: 5 });
    expect(records).toEqual([]);
    expect(summary.errors.map((error) => error.reason)).toEqual(
      Array(5).fill('missing timestamp: this export has no activityDateTime or TimeGenerated column'),
    );
  });

  it('reads a Log Analytics AuditLogs row initiated by an app as a workload, with failure reason', async () => {
    const row = {
      TimeGenerated: '2024-06-01T09:00:00Z',
      Id: 'Directory_x',
      OperationName: 'Add service principal credentials',
      Category: 'ApplicationManagement',
      Result: 'failure',
      ResultReason: 'Insufficient privileges',
      LoggedByService: 'Core Directory',
      CorrelationId: 'c',
      InitiatedBy: JSON.stringify({
        app: {
          appId: 'A1B2C3D4-0000-0000-0000-000000000001',
          displayName: 'Deploy bot',
          servicePrincipalId: '5F5F5F5F-0000-0000-0000-000000000002',
          servicePrincipalName: null,
        },
      }),
      TargetResources: JSON.stringify([
        { id: 'bbbb0000-0000-0000-0000-000000000003', displayName: 'Payroll', type: 'ServicePrincipal', modifiedProperties: [] },
      ]),
    };
    const { records, summary } = await parseAll('AuditLogs.json', encode(JSON.stringify([row])));
    expect(summary).toMatchObject({ format: 'entra-directory-audit', accepted: 1, unattributed: 1 });
    expect(records[0]).toMatchObject({
      identifiers: [],
      workload: { id: '5f5f5f5f-0000-0000-0000-000000000002', name: 'Deploy bot', type: 'servicePrincipal' },
      success: false,
      failureReason: 'Insufficient privileges',
      objectName: 'Payroll',
      time: Date.UTC(2024, 5, 1, 9),
    });
  });

  it('reads PowerShell (AzureADPreview / Extractor-Suite) PascalCase objects with /Date(ms)/ times', async () => {
    const row = {
      Id: 'Directory_y',
      Category: 'UserManagement',
      CorrelationId: 'c',
      Result: 'success',
      ActivityDisplayName: 'Reset user password',
      ActivityDateTime: '/Date(1714640400000)/',
      LoggedByService: 'Core Directory',
      InitiatedBy: { User: { Id: '728309ae-1a37-4937-9afe-e35d964db09b', UserPrincipalName: 'helpdesk@contoso.com', IpAddress: '198.51.100.1' }, App: null },
      TargetResources: [{ Id: '1f0e98f5-3161-4c6b-9b50-d488572f2bb7', DisplayName: 'Bob', Type: 'User', UserPrincipalName: 'bob@contoso.com' }],
    };
    const { records, summary } = await parseAll('AuditLogs.json', encode(`\uFEFF${JSON.stringify([row], null, 2)}`));
    expect(summary).toMatchObject({ format: 'entra-directory-audit', accepted: 1 });
    expect(records[0]).toMatchObject({
      time: 1714640400000,
      ipAddress: '198.51.100.1',
      targetName: 'Bob',
      targetIdentifiers: [
        { type: 'objectId', value: '1f0e98f5-3161-4c6b-9b50-d488572f2bb7' },
        { type: 'upn', value: 'bob@contoso.com' },
      ],
    });
  });
});
