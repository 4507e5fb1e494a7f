import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import type { AlertRecord } from '../../../model/records.ts';
import { FieldReader } from '../../fields.ts';
import { parseAll } from '../../parse.ts';
import { mdcaAlert } from './mdca-alert.ts';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const encode = (text: string) => new TextEncoder().encode(text);

describe('Defender for Cloud Apps alerts on the samples', () => {
  it('reads the documentation list page (its {data:[…]} envelope): a Defender for Identity detection', async () => {
    const bytes = readSample('vendor-doc-examples/mdca-alerts-list.json');
    const expected = (JSON.parse(decode(bytes)) as { data: unknown[] }).data.length;
    const { records, summary } = await parseAll('mdca-alerts-list.json', bytes);
    expect(summary).toMatchObject({ format: 'mdca-alert', accepted: expected, rejected: 0, unattributed: 0 });
    expect(records[0]).toMatchObject({
      kind: 'alert',
      id: 'alert:603f704aaf7417985bbf3b22',
      title: 'Honeytoken activity',
      // The "Active Directory" service (app 20940): Defender for Identity surfaced through Cloud Apps.
      source: 'defender-for-identity',
      app: 'Active Directory',
      severity: 'medium',
      status: 'new',
      alertType: 'ANOMALY_DETECTION',
      category: 'THREAT_DETECTION',
      mitreTechniques: ['T1087', 'T1087.002'],
      devices: ['DC3', 'DC4', 'Client1', 'DC1'],
      identifiers: [{ type: 'upn', value: 'user1@contoso.com' }],
      time: 1621941916475,
      timeRaw: '1621941916475',
    });
    // The entity ids are Cloud Apps' own: never an object id.
    expect((records[0] as AlertRecord).identifiers.some((id) => id.type === 'objectId')).toBe(false);
  });

  it('reads the alert of the demisto excerpt (ALERT_BY_ID_DATA) as the API returns it', async () => {
    const excerpt = JSON.parse(decode(readSample('cloud-apps/mcas_alert_and_activity_by_id.json'))) as Record<string, unknown>;
    const { records, summary } = await parseAll('alert.json', encode(JSON.stringify(excerpt.ALERT_BY_ID_DATA)));
    expect(summary).toMatchObject({ format: 'mdca-alert', accepted: 1, rejected: 0 });
    expect(records[0]).toMatchObject({
      id: 'alert:5f06d71dba4289d0602ba5ac',
      source: 'defender-for-cloud-apps',
      app: 'Microsoft OneDrive for Business',
      title: 'block png files',
      severity: 'low',
      // statusValue 1 is READ: the alert is still open.
      status: 'new',
      alertType: 'FILE',
      time: 1594283802753,
    });
    // The account entity (pa/em) and the user entity (id) are the same person.
    expect((records[0] as AlertRecord).affectedUsers).toEqual([[{ type: 'upn', value: 'dev@demistodev.onmicrosoft.com' }]]);
  });

  it('reads the excerpt file as a keyed collection: its alert as an alert, its activity as an activity', async () => {
    const whole = await parseAll('mcas_alert_and_activity_by_id.json', readSample('cloud-apps/mcas_alert_and_activity_by_id.json'));
    expect(whole.summary).toMatchObject({ format: 'mdca-alert', otherFormats: ['mdca-activity'], accepted: 2, rejected: 0 });
    expect(whole.records.map((record) => record.kind)).toEqual(['alert', 'activity']);
  });
});

describe('Defender for Cloud Apps alerts by hand', () => {
  const base = {
    _id: '65a0c0ffee0000000000000a',
    timestamp: 1704067200000,
    title: 'Impossible travel activity',
    severityValue: 2,
    statusValue: 0,
    resolutionStatusValue: 0,
    description: 'The user alex@contoso.com signed in from Paris and Sydney within 1 hour.',
    entities: [
      { id: 11161, label: 'Office 365', type: 'service' },
      {
        em: 'alex@contoso.com',
        entityType: 2,
        id: 'b1b1b1b1-0000-0000-0000-000000000000',
        inst: 0,
        label: 'Alex Wilber',
        pa: 'alex@contoso.com',
        saas: 11161,
        type: 'account',
      },
      { id: '203.0.113.50', label: '203.0.113.50', type: 'ip' },
    ],
  };

  const read = (changes: Record<string, unknown>): AlertRecord => {
    const raw = { ...base, ...changes };
    const result = mdcaAlert.normalize(new FieldReader(raw), raw);
    if (!result.ok) throw new Error(`${result.field}: ${result.reason}`);
    return result.record;
  };

  it('maps resolution statuses, with the classification the close action implies', () => {
    expect([0, 1, 2, 3, 4, 5].map((code) => [read({ resolutionStatusValue: code }).status, read({ resolutionStatusValue: code }).classification])).toEqual([
      ['new', undefined],
      ['dismissed', undefined],
      ['resolved', undefined],
      ['resolved', 'falsePositive'],
      ['resolved', 'informationalExpectedActivity'],
      ['resolved', 'truePositive'],
    ]);
    expect(read({ resolutionStatusValue: undefined, statusValue: 2 }).status).toBe('resolved');
  });

  it('maps severities, keeps unknown codes verbatim, and reads IPs and the app', () => {
    expect([0, 1, 2, 3].map((code) => read({ severityValue: code }).severity)).toEqual(['low', 'medium', 'high', 'informational']);
    const odd = read({ severityValue: 7, resolutionStatusValue: 9 });
    expect([odd.severity, odd.status]).toEqual(['7', '9']);
    expect(read({})).toMatchObject({
      source: 'defender-for-cloud-apps',
      app: 'Office 365',
      ipAddresses: ['203.0.113.50'],
      identifiers: [{ type: 'upn', value: 'alex@contoso.com' }],
    });
  });

  it('rejects an alert without its _id, naming the field; a list page is read alert by alert', async () => {
    const { summary } = await parseAll('alerts.json', encode(JSON.stringify([base, { ...base, _id: undefined }])));
    expect(summary).toMatchObject({ format: 'mdca-alert', accepted: 1, rejected: 1 });
    expect(summary.errors[0]).toMatchObject({ record: 2, field: '_id', reason: 'missing alert id' });
    const page = { data: [base, { ...base, _id: '65a0c0ffee0000000000000b' }], hasNext: false, max: 100, total: 2, moreThanTotal: false };
    const envelope = await parseAll('page.json', encode(JSON.stringify(page)));
    expect(envelope.summary).toMatchObject({ format: 'mdca-alert', accepted: 2, rejected: 0 });
    const empty = await parseAll('page.json', encode(JSON.stringify({ ...page, data: [{ ...base, _id: null }] })));
    expect(empty.summary).toMatchObject({ accepted: 0, rejected: 1 });
    expect(empty.summary.errors[0]).toMatchObject({ record: 1, field: '_id', reason: 'missing alert id' });
    // A page of activities shares the envelope: it is read as activities, not alerts.
    const activities = {
      ...page,
      data: [{ _id: 'act-1', timestamp: 1704067200000, eventTypeValue: 'EVENT_O365_ONEDRIVE_GENERIC', user: { userName: 'alex@contoso.com' } }],
    };
    const notAlerts = await parseAll('activities.json', encode(JSON.stringify(activities)));
    expect(notAlerts.summary.format).not.toBe('mdca-alert');
    expect(notAlerts.records.every((record) => record.kind !== 'alert')).toBe(true);
  });
});
