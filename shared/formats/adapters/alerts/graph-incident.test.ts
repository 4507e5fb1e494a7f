import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import type { AlertRecord, IncidentRecord } from '../../../model/records.ts';
import { parseAll } from '../../parse.ts';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const encode = (text: string) => new TextEncoder().encode(text);

describe('Graph security incidents on the samples', () => {
  it('reads the single incident of the get page, with its PascalCase enums and customTags', async () => {
    const { records, summary } = await parseAll('graph-incident-get.json', readSample('vendor-doc-examples/graph-incident-get.json'));
    expect(summary).toMatchObject({ format: 'graph-security-incident', container: 'objects', accepted: 1, rejected: 0 });
    expect(records[0]).toMatchObject({
      kind: 'incident',
      id: 'incident:2972395',
      source: 'defender-xdr',
      title: 'Multi-stage incident involving Initial access & Command and control on multiple endpoints reported by multiple sources',
      severity: 'medium',
      status: 'inProgress',
      classification: 'truePositive',
      determination: 'multiStagedAttack',
      assignedTo: 'KaiC@contoso.onmicrosoft.com',
      tags: ['Demo', 'Defender Experts'],
      alertIds: [],
      time: Date.UTC(2021, 7, 13, 8, 43, 35, 553),
      timeRaw: '2021-08-13T08:43:35.5533333Z',
    });
  });

  it('reads the $expand=alerts page: the incident and each nested alert, linked both ways', async () => {
    const bytes = readSample('vendor-doc-examples/graph-incidents-expand-alerts.json');
    const incidents = (JSON.parse(decode(bytes)) as { value: { alerts: unknown[] }[] }).value;
    const expected = incidents.length + incidents.reduce((sum, incident) => sum + incident.alerts.length, 0);
    const { records, summary } = await parseAll('graph-incidents-expand-alerts.json', bytes);
    expect(summary).toMatchObject({ format: 'graph-security-incident', container: 'graph-page', accepted: expected, rejected: 0 });
    const incident = records.find((record) => record.kind === 'incident') as IncidentRecord;
    const alerts = records.filter((record): record is AlertRecord => record.kind === 'alert');
    expect(incident).toMatchObject({ id: 'incident:2972395', status: 'inProgress', classification: 'truePositive', tags: ['Demo', 'Defender Experts'] });
    expect(incident.alertIds).toEqual(alerts.map((alert) => alert.id));
    expect(incident.alertIds).toEqual(['alert:da637551227677560813_-961444813']);
    // The docs print the nested alert with another incident's id (28282); the nesting is what links them.
    expect(alerts[0]).toMatchObject({
      kind: 'alert',
      incidentId: '2972395',
      severity: 'low',
      status: 'new',
      source: 'defender-xdr',
      mitreTechniques: ['T1564.001'],
    });
  });
});

describe('Graph security incidents by hand', () => {
  const incident = {
    id: '77',
    displayName: 'Password spray followed by a risky sign-in',
    incidentWebUrl: 'https://security.microsoft.com/incidents/77',
    createdDateTime: '2024-05-02T08:00:00Z',
    lastUpdateDateTime: '2024-05-02T09:00:00Z',
    status: 'redirected',
    severity: 'UnknownFutureValue',
    classification: 'brandNew',
    alerts: [
      {
        id: 'ip-1',
        title: 'Unfamiliar sign-in properties',
        createdDateTime: '2024-05-02T07:59:00Z',
        severity: 'medium',
        status: 'new',
        serviceSource: 'azureAdIdentityProtection',
        evidence: [
          {
            '@odata.type': '#microsoft.graph.security.userEvidence',
            userAccount: { azureAdUserId: 'c0ffee00-1111-2222-3333-444455556666', userPrincipalName: 'eve@contoso.com' },
          },
        ],
      },
      { title: 'An alert without its id', createdDateTime: '2024-05-02T07:59:00Z', serviceSource: 'microsoftDefenderForIdentity' },
    ],
  };

  it('keeps the incident when a nested alert cannot be read, and takes its users from the alerts', async () => {
    const { records, summary } = await parseAll('incident.json', encode(JSON.stringify(incident)));
    expect(summary).toMatchObject({ format: 'graph-security-incident', accepted: 2, rejected: 0 });
    const [read, alert] = records as [IncidentRecord, AlertRecord];
    expect(read).toMatchObject({ status: 'redirected', severity: 'UnknownFutureValue', classification: 'brandNew', alertIds: ['alert:ip-1'] });
    expect(read.identifiers).toEqual([
      { type: 'objectId', value: 'c0ffee00-1111-2222-3333-444455556666' },
      { type: 'upn', value: 'eve@contoso.com' },
    ]);
    expect(alert).toMatchObject({ id: 'alert:ip-1', source: 'identity-protection', incidentId: '77' });
  });

  it('rejects an incident without its id, naming the field', async () => {
    const { summary } = await parseAll('incident.json', encode(JSON.stringify({ ...incident, id: null })));
    expect(summary).toMatchObject({ format: 'graph-security-incident', accepted: 0, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ field: 'id', reason: 'missing incident id' });
  });
});
