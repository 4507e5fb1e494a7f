import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import type { ActivityRecord, SignInRecord } from '../../../model/records.ts';
import { parseAll } from '../../parse.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const PANTHER = 'signin/panther-analysis_azure_signin_test_events.ndjson';

function pantherRows(): Record<string, unknown>[] {
  return new TextDecoder()
    .decode(readSample(PANTHER))
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('Azure Monitor diagnostic records (panther-analysis sign-in test events)', () => {
  it('reads all 26: user sign-ins as sign-ins, service-principal sign-ins as unattributed workload activity', async () => {
    const rows = pantherRows();
    const workloadRows = rows.filter((row) => /serviceprincipal|managedidentity/i.test(String(row.category)));
    const { records, summary } = await parseAll('panther.ndjson', readSample(PANTHER));
    expect(rows).toHaveLength(26);
    expect(workloadRows).toHaveLength(8);
    expect(summary).toMatchObject({
      format: 'azure-diagnostic-entra',
      source: 'entra-sign-ins',
      accepted: rows.length,
      rejected: 0,
      unattributed: workloadRows.length,
    });
    expect(records.filter((record) => record.kind === 'signIn')).toHaveLength(rows.length - workloadRows.length);
    const workloads = records.filter((record): record is ActivityRecord => record.kind === 'activity');
    expect(workloads.map((record) => record.activityType)).toEqual(Array(8).fill('workloadSignIn'));
    for (const workload of workloads) expect(workload.identifiers).toEqual([]);
    expect(workloads[0]).toMatchObject({
      id: 'activity:36658c78-02d9-4d8f-84ee-5ca4a3fdefef',
      action: 'Service principal sign-in',
      workload: { id: 'b1c34143-e405-4058-8e29-84596ad737b8', name: 'some-service-principal', type: 'servicePrincipal' },
      app: 'Azure Storage',
      success: false,
      failureReason: 'error 7000215',
      ipAddress: '12.12.12.12',
      location: { city: 'Dublin', state: 'Dublin', country: 'IE' },
      time: Date.UTC(2023, 6, 26, 22, 58, 30, 983),
      timeRaw: '2023-07-26 22:58:30.983201900',
    });
    expect(workloads[1]).toMatchObject({ success: true, workload: { name: 'very-normal-service-principal' } });
  });

  it('reads user sign-ins from properties, completing id, time and result from the envelope', async () => {
    const { records } = await parseAll('panther.ndjson', readSample(PANTHER));
    const signIns = records.filter((record): record is SignInRecord => record.kind === 'signIn');
    const [first, second, locked] = signIns;
    // No properties.id, no createdDateTime: a content id and the envelope's time.
    expect(first).toMatchObject({
      time: Date.UTC(2025, 0, 15, 9, 30, 45, 123),
      timeRaw: '2025-01-15 09:30:45.123',
      success: true,
      errorCode: 0,
      ipAddress: '2.2.2.2',
      appDisplayName: 'Microsoft Authentication Broker',
    });
    expect(first!.id).toMatch(/^signIn:hash:[0-9a-f]{14}$/);
    expect(first!.identifiers).toEqual([
      { type: 'objectId', value: 'user-victim-123' },
      { type: 'upn', value: 'aragorn@lotr.com' },
    ]);
    // resultType "Success" with no status.
    expect(second).toMatchObject({ success: true, errorCode: 0 });
    expect(locked).toMatchObject({ success: false, errorCode: 50053, location: { country: 'RU' } });
    const john = signIns.find((record) => record.identifiers.some((id) => id.value === 'john@justice.org'));
    expect(john).toMatchObject({
      riskLevelDuringSignIn: 'high',
      riskState: 'atRisk',
      riskEventTypes: ['unfamiliarFeatures', 'anonymizedIPAddress'],
      clientAppUsed: 'Browser',
      time: Date.UTC(2025, 0, 15, 14, 23, 10, 123),
    });
    // The lower-case-keyed events with clientCredentialType but a user are user sign-ins.
    expect(signIns.filter((record) => record.nativeId === 'd9ae0e20-c959-42a3-ba74-00f59ac9f6c6').map((record) => record.identifiers[1]?.value)).toEqual([
      'eve@lexcorp.com',
      'homer.simpson@springfield.org',
    ]);
  });

  it('reads diagnostic AuditLogs as directory audit and rejects other categories by name', async () => {
    const audit = {
      time: '2024-06-01T09:00:01Z',
      resourceId: '/tenants/t/providers/Microsoft.aadiam',
      operationName: 'Add member to role',
      category: 'AuditLogs',
      correlationId: 'c',
      resultType: '',
      callerIpAddress: '198.51.100.2',
      properties: {
        id: 'Directory_z',
        activityDisplayName: 'Add member to role',
        activityDateTime: '2024-06-01T09:00:00.5Z',
        loggedByService: 'Core Directory',
        result: 'success',
        initiatedBy: { user: { id: 'aead923d-498b-4f64-a66c-2af91447a8b6', userPrincipalName: 'pgustavo@simulandlabs.com' } },
        targetResources: [{ id: '11111111-1111-1111-1111-111111111111', type: 'User', userPrincipalName: 'admin2@simulandlabs.com' }],
      },
    };
    const provisioning = { ...audit, category: 'ProvisioningLogs' };
    const { records, summary } = await parseAll('diag.json', encode([audit, provisioning].map((row) => JSON.stringify(row)).join('\n')));
    expect(summary).toMatchObject({ format: 'azure-diagnostic-entra', accepted: 1, rejected: 1 });
    expect(records[0]).toMatchObject({
      kind: 'activity',
      activityType: 'directoryAudit',
      id: 'activity:Directory_z',
      time: Date.UTC(2024, 5, 1, 9, 0, 0, 500),
      targetIdentifiers: [
        { type: 'objectId', value: '11111111-1111-1111-1111-111111111111' },
        { type: 'upn', value: 'admin2@simulandlabs.com' },
      ],
    });
    expect(summary.errors[0]).toMatchObject({
      field: 'category',
      reason: 'diagnostic category "ProvisioningLogs" is not read (only sign-in and audit logs are)',
    });
  });
});

describe('Log Analytics workload sign-in tables', () => {
  it('reads AADServicePrincipalSignInLogs as service-principal sign-ins naming no user', async () => {
    const csv = [
      'TimeGenerated [UTC],Id,AppId,ServicePrincipalId,ServicePrincipalName,ResourceDisplayName,ResourceIdentity,IPAddress,LocationDetails,ResultType,ResultDescription,ConditionalAccessStatus,CorrelationId,ClientCredentialType,Type',
      '"6/1/2024, 9:00:00.250 AM",sp-1,0c1d2e3f-0000-0000-0000-000000000001,5f5f5f5f-0000-0000-0000-000000000002,Deploy bot,Microsoft Graph,00000003-0000-0000-c000-000000000000,203.0.113.50,"{""city"":""Dublin"",""countryOrRegion"":""IE""}",7000215,Invalid client secret provided.,notApplied,c-1,clientSecret,AADServicePrincipalSignInLogs',
    ].join('\r\n');
    const { records, summary } = await parseAll('sp.csv', encode(csv));
    expect(summary).toMatchObject({ format: 'entra-workload-sign-in', accepted: 1, rejected: 0, unattributed: 1 });
    expect(records[0]).toMatchObject({
      kind: 'activity',
      id: 'activity:sp-1',
      activityType: 'workloadSignIn',
      identifiers: [],
      workload: { id: '5f5f5f5f-0000-0000-0000-000000000002', name: 'Deploy bot', type: 'servicePrincipal' },
      success: false,
      failureReason: 'Invalid client secret provided.',
      ipAddress: '203.0.113.50',
      location: { city: 'Dublin', country: 'IE' },
      time: Date.UTC(2024, 5, 1, 9, 0, 0, 250),
    });
  });

  it('reads AADManagedIdentitySignInLogs as managed-identity sign-ins', async () => {
    const rows = [
      {
        TimeGenerated: '2024-06-01T09:05:00Z',
        Id: 'mi-1',
        AppId: 'a',
        ServicePrincipalId: '6e6e6e6e-0000-0000-0000-000000000003',
        ServicePrincipalName: 'vm-web-01',
        ResourceDisplayName: 'Azure Key Vault',
        ResultType: '0',
        CorrelationId: 'c',
        Type: 'AADManagedIdentitySignInLogs',
      },
    ];
    const { records, summary } = await parseAll('mi.json', encode(JSON.stringify(rows)));
    expect(summary).toMatchObject({ format: 'entra-workload-sign-in', accepted: 1, unattributed: 1 });
    expect(records[0]).toMatchObject({ action: 'Managed identity sign-in', success: true, workload: { type: 'managedIdentity', name: 'vm-web-01' } });
  });

  it('routes a Graph beta signIn page per row: the user’s row is a sign-in, the managed identity’s (empty user) an activity', async () => {
    const user = {
      id: 'u-1',
      createdDateTime: '2024-06-01T10:00:00Z',
      userDisplayName: 'Alice',
      userPrincipalName: 'alice@contoso.com',
      userId: '728309ae-1a37-4937-9afe-e35d964db09b',
      appId: 'de8bc8b5-d9f9-48b1-a8ad-b748da725064',
      appDisplayName: 'Graph Explorer',
      ipAddress: '198.51.100.9',
      clientAppUsed: 'Browser',
      clientCredentialType: 'none',
      servicePrincipalId: '',
      servicePrincipalName: '',
      isInteractive: true,
      resourceDisplayName: 'Microsoft Graph',
      conditionalAccessStatus: 'notApplied',
      correlationId: 'c-1',
      status: { errorCode: 0 },
    };
    const managed = {
      ...user,
      id: 'mi-2',
      userDisplayName: '',
      userPrincipalName: '',
      userId: '',
      ipAddress: '',
      clientAppUsed: '',
      clientCredentialType: 'managedIdentity',
      servicePrincipalId: '6e6e6e6e-0000-0000-0000-000000000004',
      servicePrincipalName: 'func-app',
      managedServiceIdentity: { msiType: 'systemAssigned', associatedResourceId: '/subscriptions/x' },
      isInteractive: false,
    };
    const page = { '@odata.context': 'https://graph.microsoft.com/beta/$metadata#auditLogs/signIns', value: [user, managed] };
    const { records, summary } = await parseAll('signIns.json', encode(JSON.stringify(page)));
    expect(summary).toMatchObject({ format: 'entra-workload-sign-in', container: 'graph-page', accepted: 2, rejected: 0, unattributed: 1 });
    expect(records[0]).toMatchObject({ kind: 'signIn', id: 'signIn:u-1', format: 'entra-workload-sign-in', success: true, appDisplayName: 'Graph Explorer' });
    expect(records[1]).toMatchObject({
      kind: 'activity',
      id: 'activity:mi-2',
      identifiers: [],
      workload: { id: '6e6e6e6e-0000-0000-0000-000000000004', name: 'func-app', type: 'managedIdentity' },
    });
    expect((records[1] as ActivityRecord).ipAddress).toBeUndefined();
  });

  it('reads AADNonInteractiveUserSignInLogs (it has a ClientCredentialType column) as user sign-ins', async () => {
    const schema = JSON.parse(new TextDecoder().decode(readSample('../reference/table-schemas/AADNonInteractiveUserSignInLogs.json'))) as {
      Properties: { Name: string }[];
    };
    const row: Record<string, unknown> = Object.fromEntries(schema.Properties.map(({ Name }) => [Name, '']));
    Object.assign(row, {
      TimeGenerated: '2024-06-01T11:00:05Z',
      CreatedDateTime: '2024-06-01T11:00:00Z',
      Id: 'ni-1',
      UserPrincipalName: 'Alice@Contoso.com',
      UserId: '728309ae-1a37-4937-9afe-e35d964db09b',
      AppDisplayName: 'Microsoft Teams',
      ClientAppUsed: 'Mobile Apps and Desktop clients',
      IPAddress: '198.51.100.9',
      ResultType: '50140',
      Status: JSON.stringify({ errorCode: 50140, failureReason: 'Keep me signed in interrupt' }),
      ClientCredentialType: 'none',
      IsInteractive: false,
    });
    const { records, summary } = await parseAll('ni.json', encode(JSON.stringify([row])));
    expect(summary).toMatchObject({ format: 'entra-workload-sign-in', accepted: 1, unattributed: 0 });
    expect(records[0]).toMatchObject({ kind: 'signIn', success: false, errorCode: 50140, time: Date.UTC(2024, 5, 1, 11), isInteractive: false });
  });
});
