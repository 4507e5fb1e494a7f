import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import { FieldReader, isObject } from '../../fields.ts';
import { parseAll } from '../../parse.ts';
import { DETECTION_THRESHOLD } from '../../registry.ts';
import { activityAdapters } from './index.ts';

/** Every field name of a sample's records, as detection sees them. */
async function sampleFields(path: string): Promise<Set<string>> {
  const { records } = await parseAll(path, readSample(path));
  const fields = new Set<string>();
  for (const record of records) if (isObject(record.raw)) for (const name of new FieldReader(record.raw).names()) fields.add(name);
  return fields;
}

describe('activity adapters leave the Entra samples to the Entra adapters', () => {
  const entraSamples: [string, string][] = [
    ['identity-protection/list_risk_detections.json', 'entra-risk-detection'],
    ['identity-protection/list_risky_users.json', 'entra-risky-user'],
    ['vendor-doc-examples/graph-riskDetections-list.json', 'entra-risk-detection'],
    ['vendor-doc-examples/graph-signIns-list.json', 'entra-sign-in'],
    ['signin/sign-in_adelete.csv', 'entra-sign-in'],
    ['signin/disable_accounts.csv', 'entra-sign-in'],
  ];
  it.each(entraSamples)('%s stays %s, and no activity adapter reaches the threshold on it', async (path, format) => {
    const { summary } = await parseAll(path, readSample(path));
    expect(summary.format).toBe(format);
    const fields = await sampleFields(path);
    expect(fields.size).toBeGreaterThan(0);
    for (const adapter of activityAdapters) expect([adapter.id, adapter.detect(fields)]).toEqual([adapter.id, expect.any(Number)]);
    expect(activityAdapters.filter((adapter) => adapter.detect(fields) >= DETECTION_THRESHOLD).map((adapter) => adapter.id)).toEqual([]);
  });
});

describe('each activity sample goes to its adapter', () => {
  const samples: [string, string][] = [
    ['defender-xdr-hunting/Microsoft365DefenderEvents.json', 'defender-hunting-mixed'],
    ['entra-audit/AADAuditEvents.json', 'entra-directory-audit'],
    ['entra-audit/AuditLogs_Hunting.csv', 'entra-directory-audit'],
    ['vendor-doc-examples/graph-directoryAudits-list.json', 'entra-directory-audit'],
    ['vendor-doc-examples/graph-directoryAudits-list-filter-initiatedby.json', 'entra-directory-audit'],
    ['o365-ual/AuditLog.csv', 'o365-unified-audit-log'],
    ['office-activity/OfficeActivityEvents.json', 'sentinel-office-activity'],
    ['office-activity/office_activity.csv', 'sentinel-office-activity'],
    ['office-activity/office_activity_inbox_rule.csv', 'sentinel-office-activity'],
    ['signin/panther-analysis_azure_signin_test_events.ndjson', 'azure-diagnostic-entra'],
  ];
  it.each(samples)('%s → %s', async (path, format) => {
    expect((await parseAll(path, readSample(path))).summary.format).toBe(format);
  });

  it('has unique adapter ids', () => {
    expect(new Set(activityAdapters.map((adapter) => adapter.id)).size).toBe(activityAdapters.length);
  });
});

describe('normalize is total', () => {
  const names = [
    'Timestamp',
    'TimeGenerated',
    'ActionType',
    'ReportId',
    'AccountSid',
    'AccountUpn',
    'AccountName',
    'AccountDomain',
    'AccountObjectId',
    'AccountId',
    'AccountType',
    'InitiatingProcessAccountSid',
    'InitiatingProcessFileName',
    'DeviceId',
    'LogonType',
    'QueryType',
    'ActivityObjects',
    'RawEventData',
    'AdditionalFields',
    'OAuthAppId',
    'AuditData',
    'CreationDate',
    'UserIds',
    'Operations',
    'Operation',
    'UserId',
    'UserKey',
    'UserType',
    'OfficeWorkload',
    'ClientIP',
    'ResultStatus',
    'OfficeId',
    'id',
    'activityDateTime',
    'activityDisplayName',
    'initiatedBy',
    'targetResources',
    'result',
    'additionalDetails',
    'createdDateTime',
    'servicePrincipalId',
    'servicePrincipalName',
    'clientCredentialType',
    'userPrincipalName',
    'status',
    'time',
    'category',
    'properties',
    'resultType',
    '_id',
    'timestamp',
    'user',
    'mainInfo',
    'rawDataJson',
    'location',
    'device',
    'Type',
  ];
  const leaf = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(
      '2024-01-01T00:00:00Z',
      '{"user":{"id":"x"}}',
      '[{"Type":"User"}]',
      "{'A': True}",
      'LogonFailed',
      'SignInLogs',
      'AuditLogs',
      'ServicePrincipalSignInLogs',
    ),
  );
  const value = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.array(tie('node'), { maxLength: 3 }),
      fc.dictionary(fc.constantFrom(...names), tie('node'), { maxKeys: 4 }),
    ),
  })).node;
  const record = fc.dictionary(fc.constantFrom(...names), value, { maxKeys: 12 });

  it('returns a record or a located rejection for any object, never throws', () => {
    fc.assert(
      fc.property(record, (raw) => {
        for (const adapter of activityAdapters) {
          const result = adapter.normalize(new FieldReader(raw), raw);
          if (result.ok) {
            expect(Number.isFinite(result.record.time)).toBe(true);
            expect(result.record.id).toMatch(/^(activity|signIn):./);
          } else expect(result.field.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 300 },
    );
  });
});
