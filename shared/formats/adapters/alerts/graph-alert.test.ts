import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import type { AlertRecord } from '../../../model/records.ts';
import { FieldReader } from '../../fields.ts';
import { parseAll } from '../../parse.ts';
import { graphSecurityAlert } from './graph-alert.ts';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const encode = (text: string) => new TextEncoder().encode(text);

describe('Graph security alerts v2 on the samples', () => {
  it('reads the Graph documentation page: one Defender for Endpoint alert, no user', async () => {
    const bytes = readSample('vendor-doc-examples/graph-alerts_v2-list.json');
    const expected = (JSON.parse(decode(bytes)) as { value: unknown[] }).value.length;
    const { records, summary } = await parseAll('graph-alerts_v2-list.json', bytes);
    expect(summary).toMatchObject({ format: 'graph-security-alert', container: 'graph-page', accepted: expected, rejected: 0 });
    const alert = records[0] as AlertRecord;
    expect(alert).toMatchObject({
      kind: 'alert',
      id: 'alert:da637551227677560813_-961444813',
      source: 'defender-xdr',
      severity: 'low',
      status: 'new',
      classification: 'unknown',
      serviceSource: 'microsoftDefenderForEndpoint',
      detectionSource: 'antivirus',
      incidentId: '28282',
      mitreTechniques: ['T1564.001'],
      devices: ['tempDns'],
      time: Date.UTC(2021, 3, 27, 12, 19, 27, 721),
      timeRaw: '2021-04-27T12:19:27.7211305Z',
      firstActivity: Date.UTC(2021, 3, 26, 7, 45, 50, 116),
    });
    // The only account is the process's NT AUTHORITY\SYSTEM: not a person.
    expect(alert.identifiers).toEqual([]);
    expect(alert.affectedUsers).toEqual([]);
    expect(alert.app).toBeUndefined();
  });

  it('reads the Panther test events: Defender for Identity alerts with their users', async () => {
    const bytes = readSample('security-alerts/panther-analysis_graph_alerts_v2_test_events.ndjson');
    const lines = decode(bytes)
      .split('\n')
      .filter((line) => line.trim());
    const { records, summary } = await parseAll('alerts_v2.ndjson', bytes);
    expect(summary).toMatchObject({ format: 'graph-security-alert', accepted: lines.length, rejected: 0 });
    expect(records).toHaveLength(4);
    const alerts = records as AlertRecord[];
    expect(alerts.map((alert) => [alert.source, alert.severity, alert.status])).toEqual([
      ['defender-for-identity', 'medium', 'new'],
      ['defender-for-identity', 'high', 'new'],
      ['defender-for-identity', 'high', 'resolved'],
      ['defender-xdr', 'informational', 'new'],
    ]);
    const [anonymous, spray] = alerts;
    expect(anonymous).toMatchObject({ id: 'alert:abcd12345efghijk6789', app: 'Active Directory', category: 'AnonymousLogin', ipAddresses: ['185.220.103.6'] });
    expect(anonymous!.identifiers).toEqual([
      { type: 'objectId', value: '011d5ede-0faa-4946-a25e-b2cd0c47a52c' },
      // accountName + domainName are the UPN's halves (a cloud account): no DOMAIN\\sam is made up from them.
      { type: 'upn', value: 'homer.simpson@corporation.onmicrosoft.com' },
    ]);
    expect(anonymous!.affectedUsers).toEqual([anonymous!.identifiers]);
    // No object id on the second alert's user: the UPN still names him.
    expect(spray!.identifiers).toContainEqual({ type: 'upn', value: 'homer.simpson@corporation.onmicrosoft.com' });
    expect(alerts[3]!.app).toBeUndefined();
  });
});

const base = {
  id: 'a1',
  title: 'Suspected identity theft (pass-the-ticket)',
  createdDateTime: '2024-05-01T10:00:00Z',
  severity: 'high',
  status: 'new',
  serviceSource: 'microsoftDefenderForIdentity',
  detectionSource: 'microsoftDefenderForIdentity',
};

describe('Graph security alerts v2 by hand', () => {
  it('reads every user evidence, both spellings of @odata.type, and merges the same person', () => {
    const raw = {
      ...base,
      mitreTechniques: ['T1550.003'],
      evidence: [
        {
          '@odata.type': '#microsoft.graph.security.userEvidence',
          userAccount: {
            accountName: 'alice',
            domainName: 'CONTOSO',
            userSid: 'S-1-5-21-1-2-3-1104',
            azureAdUserId: null,
            userPrincipalName: 'Alice@contoso.com',
            displayName: 'Alice Liddell',
          },
        },
        {
          at_sign_odata_type: '#microsoft.graph.security.userEvidence',
          userAccount: { accountName: 'bob', domainName: 'contoso.com', userSid: 'S-1-5-21-1-2-3-1105' },
        },
        // Alice again, from another entity: one person, not two.
        {
          '@odata.type': '#microsoft.graph.security.userEvidence',
          userAccount: { azureAdUserId: 'a0a0a0a0-1111-2222-3333-444455556666', userPrincipalName: 'alice@contoso.com' },
        },
        { '@odata.type': '#microsoft.graph.security.ipEvidence', ipAddress: '203.0.113.9' },
        { '@odata.type': '#microsoft.graph.security.deviceEvidence', deviceDnsName: 'dc1.contoso.com' },
      ],
    };
    const result = graphSecurityAlert.normalize(new FieldReader(raw), raw);
    if (!result.ok) throw new Error(result.reason);
    expect(result.record).toMatchObject({
      source: 'defender-for-identity',
      app: 'Active Directory',
      displayName: 'Alice Liddell',
      ipAddresses: ['203.0.113.9'],
      devices: ['dc1.contoso.com'],
    });
    expect(result.record.affectedUsers).toEqual([
      [
        { type: 'upn', value: 'alice@contoso.com' },
        { type: 'sid', value: 'S-1-5-21-1-2-3-1104' },
        { type: 'samAccount', value: 'contoso\\alice' },
        { type: 'objectId', value: 'a0a0a0a0-1111-2222-3333-444455556666' },
      ],
      [
        { type: 'sid', value: 'S-1-5-21-1-2-3-1105' },
        { type: 'samAccount', value: 'contoso\\bob' },
      ],
    ]);
    expect(result.record.identifiers).toEqual(result.record.affectedUsers[0]);
  });

  it('maps the source from serviceSource: Identity Protection, Cloud Apps, anything else', () => {
    const sourceOf = (serviceSource: string) => {
      const raw = { ...base, serviceSource };
      const result = graphSecurityAlert.normalize(new FieldReader(raw), raw);
      return result.ok ? result.record.source : result.reason;
    };
    expect(sourceOf('azureAdIdentityProtection')).toBe('identity-protection');
    expect(sourceOf('microsoftDefenderForCloudApps')).toBe('defender-for-cloud-apps');
    expect(sourceOf('microsoftDefenderForOffice365')).toBe('defender-xdr');
    expect(sourceOf('somethingNewFromMicrosoft')).toBe('defender-xdr');
  });

  it('keeps unknown enum values verbatim', () => {
    const raw = {
      ...base,
      severity: 'critical',
      status: 'awaitingCustomer',
      classification: 'somethingElse',
      determination: 'notYetDecided',
      serviceSource: 'brandNewProduct',
    };
    const result = graphSecurityAlert.normalize(new FieldReader(raw), raw);
    if (!result.ok) throw new Error(result.reason);
    expect(result.record).toMatchObject({
      severity: 'critical',
      status: 'awaitingCustomer',
      classification: 'somethingElse',
      determination: 'notYetDecided',
      serviceSource: 'brandNewProduct',
    });
  });

  it('rejects an alert without its id, naming the field, and keeps the others', async () => {
    const lines = [JSON.stringify(base), JSON.stringify({ ...base, id: undefined }), JSON.stringify({ ...base, id: 'a3', createdDateTime: 'yesterday' })].join(
      '\n',
    );
    const { records, summary } = await parseAll('alerts.ndjson', encode(lines));
    expect(summary).toMatchObject({ format: 'graph-security-alert', accepted: 1, rejected: 2 });
    expect(records.map((record) => record.id)).toEqual(['alert:a1']);
    expect(summary.errors).toEqual([
      { file: 'alerts.ndjson', record: 2, line: 2, field: 'id', reason: 'missing alert id' },
      { file: 'alerts.ndjson', record: 3, line: 3, field: 'createdDateTime', reason: 'unrecognized timestamp "yesterday"' },
    ]);
  });
});
