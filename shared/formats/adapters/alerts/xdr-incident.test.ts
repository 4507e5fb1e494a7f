import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import type { AlertRecord, IncidentRecord } from '../../../model/records.ts';
import { parseAll } from '../../parse.ts';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const encode = (text: string) => new TextEncoder().encode(text);

type XdrIncident = { incidentId: number; alerts: { alertId: string }[] };

describe('Defender XDR /api/incidents on the samples', () => {
  it('reads the single incident with a User entity: object id, UPN, SID and DOMAIN\\sam together', async () => {
    const bytes = readSample('defender-xdr-incidents/raw_incident_with_user.json');
    const incident = JSON.parse(decode(bytes)) as XdrIncident;
    const { records, summary } = await parseAll('raw_incident_with_user.json', bytes);
    expect(summary).toMatchObject({ format: 'xdr-incident', container: 'objects', accepted: 1 + incident.alerts.length, rejected: 0, unattributed: 0 });
    const [read, alert] = records as [IncidentRecord, AlertRecord];
    const user = [
      { type: 'objectId', value: '92c0a42f-cb8d-4bfe-bfc0-add2dd415aa5' },
      { type: 'upn', value: 'username@domain' },
      { type: 'sid', value: 'S-1-9-9999999999-9999999999-9999999999-9999-2607' },
      { type: 'samAccount', value: 'boqdevuser\\username' },
    ];
    expect(alert).toMatchObject({
      kind: 'alert',
      id: 'alert:dc3ad2104b-aa8f-3dbe-420f-0af3fe224e02',
      source: 'defender-xdr',
      serviceSource: 'MicrosoftDefenderForCloud',
      detectionSource: 'DefenderForDatabases',
      severity: 'medium',
      status: 'new',
      category: 'InitialAccess',
      incidentId: '336',
      ipAddresses: ['192.0.2.1'],
      time: Date.UTC(2026, 3, 30, 0, 19, 48, 170),
      timeRaw: '2026-04-30T00:19:48.17Z',
    });
    expect(alert.identifiers).toEqual(user);
    expect(alert.affectedUsers).toEqual([user]);
    // The export has no incident creation time: the incident takes its alert's.
    expect(read).toMatchObject({
      kind: 'incident',
      id: 'incident:336',
      title: 'User login from a domain not seen in 60 days',
      severity: 'medium',
      status: 'new',
      time: alert.time,
      alertIds: [alert.id],
    });
    expect(read.affectedUsers).toEqual([user]);
  });

  it('reads the documentation page: three incidents, each with its alert', async () => {
    const bytes = readSample('vendor-doc-examples/xdr-incidents-list.json');
    const incidents = (JSON.parse(decode(bytes)) as { value: XdrIncident[] }).value;
    const expected = incidents.length + incidents.reduce((sum, incident) => sum + incident.alerts.length, 0);
    const { records, summary } = await parseAll('xdr-incidents-list.json', bytes);
    expect(summary).toMatchObject({ format: 'xdr-incident', container: 'graph-page', accepted: expected, rejected: 0 });
    const read = records.filter((record): record is IncidentRecord => record.kind === 'incident');
    const alerts = records.filter((record): record is AlertRecord => record.kind === 'alert');
    expect(read.map((incident) => incident.id)).toEqual(incidents.map((incident) => `incident:${incident.incidentId}`));
    expect(read.map((incident) => incident.alertIds)).toEqual(incidents.map((incident) => incident.alerts.map((alert) => `alert:${alert.alertId}`)));
    expect(alerts.map((alert) => [alert.source, alert.incidentId])).toEqual([
      ['defender-for-cloud-apps', '924565'],
      ['defender-xdr', '924521'],
      ['defender-xdr', '924518'],
    ]);
    const [ransomware, mimikatz, phish] = alerts;
    expect(ransomware!.identifiers).toEqual([
      { type: 'objectId', value: 'fc8f7484-f813-4db2-afab-bc1507913fb6' },
      { type: 'upn', value: 'testuser2@contoso.com' },
      { type: 'sid', value: 'S-1-5-21-1721254763-462695806-1538882281-4156657' },
      { type: 'samAccount', value: 'europe\\testuser2' },
    ]);
    expect(ransomware!.ipAddresses).toEqual(['62.216.203.204']);
    expect(mimikatz).toMatchObject({ devices: ['user5cx.middleeast.corp.contoso.com'], identifiers: [] });
    // Mailbox entities name their owners; the mailbox address differs from the UPN for one of them.
    expect(phish).toMatchObject({ status: 'inProgress', severity: 'informational' });
    expect(phish!.affectedUsers).toEqual([
      [{ type: 'upn', value: 'testuser3@contoso.com' }],
      [
        { type: 'upn', value: 'testuser4@contoso.com' },
        { type: 'email', value: 'test.user4@contoso.com' },
      ],
    ]);
    expect(read[0]).toMatchObject({ status: 'inProgress', classification: 'unknown', determination: 'notAvailable' });
  });
});

describe('Defender XDR incidents by hand', () => {
  const incident = {
    incidentId: 9001,
    incidentName: 'Suspicious activity',
    createdTime: '2024-01-01T00:00:00Z',
    status: 'Redirected',
    severity: 'UnSpecified',
    classification: 'SomethingNew',
    determination: 'Apt',
    alerts: [
      {
        alertId: 'aa1',
        creationTime: '2024-01-01T00:00:01Z',
        serviceSource: 'MicrosoftDefenderForIdentity',
        detectionSource: 'AzureATP',
        status: 'New',
        severity: 'High',
        title: 'Suspected brute-force attack (LDAP)',
        mitreTechniques: ['T1110'],
        entities: [{ entityType: 'User', accountName: 'jdoe', domainName: 'CONTOSO', userSid: 'S-1-5-21-9-8-7-1500' }],
        devices: [{ mdatpDeviceId: 'abc123', deviceDnsName: null }],
      },
      { creationTime: '2024-01-01T00:00:02Z', title: 'no id' },
    ],
  };

  it('keeps unknown enums verbatim and maps known ones, and an MDI alert gets its app', async () => {
    const { records, summary } = await parseAll('incident.json', encode(JSON.stringify(incident)));
    expect(summary).toMatchObject({ format: 'xdr-incident', accepted: 2, rejected: 0 });
    const [read, alert] = records as [IncidentRecord, AlertRecord];
    expect(read).toMatchObject({
      status: 'Redirected',
      severity: 'UnSpecified',
      classification: 'SomethingNew',
      determination: 'apt',
      alertIds: ['alert:aa1'],
    });
    expect(alert).toMatchObject({
      source: 'defender-for-identity',
      app: 'Active Directory',
      severity: 'high',
      mitreTechniques: ['T1110'],
      devices: ['abc123'],
    });
    expect(alert.identifiers).toEqual([
      { type: 'sid', value: 'S-1-5-21-9-8-7-1500' },
      { type: 'samAccount', value: 'contoso\\jdoe' },
    ]);
  });

  it('rejects an incident without its id, naming the field', async () => {
    const { summary } = await parseAll('incidents.json', encode(JSON.stringify({ value: [incident, { ...incident, incidentId: undefined }] })));
    expect(summary).toMatchObject({ format: 'xdr-incident', accepted: 2, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ record: 2, field: 'incidentId', reason: 'missing incident id' });
  });
});
