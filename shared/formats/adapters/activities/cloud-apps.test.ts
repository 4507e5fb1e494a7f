import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import type { ActivityRecord } from '../../../model/records.ts';
import { parseAll } from '../../parse.ts';
import { activityAdapters } from './index.ts';

const encode = (text: string) => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

const cloudAppColumns = (JSON.parse(decode(readSample('../reference/table-schemas/CloudAppEvents.json'))) as { Properties: { name: string }[] }).Properties.map(
  (column) => column.name,
);

/** The two CloudAppEvents rows of the OTRF hunting file, cut down to the CloudAppEvents columns: a pure export. */
function pureCloudAppRows(): Record<string, unknown>[] {
  return decode(readSample('defender-xdr-hunting/Microsoft365DefenderEvents.json'))
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((row) => row.ActivityType === 'Run' || row.ActivityType === 'Basic')
    .map((row) =>
      Object.fromEntries(Object.entries(row).filter(([key]) => cloudAppColumns.includes(key.replace(/_(string|dynamic)$/, '')) || key === 'UserId')),
    );
}

describe('CloudAppEvents', () => {
  it('reads a pure CloudAppEvents export (the OTRF rows cut to the table schema)', async () => {
    const rows = pureCloudAppRows();
    expect(rows).toHaveLength(2);
    const { records, summary } = await parseAll('CloudAppEvents.json', encode(JSON.stringify(rows)));
    expect(summary).toMatchObject({ format: 'mdca-cloud-app-events', source: 'defender-for-cloud-apps', accepted: 2, rejected: 0, unattributed: 1 });
    const [mail, grant] = records as ActivityRecord[];
    expect(mail).toMatchObject({ action: 'MailItemsAccessed', identifiers: [], workload: { name: 'SimuLandApp' }, userAgent: 'Client=REST;;' });
    expect(grant!.identifiers).toEqual([
      { type: 'objectId', value: 'aead923d-498b-4f64-a66c-2af91447a8b6' },
      { type: 'upn', value: 'pgustavo@simulandlabs.com' },
    ]);
  });

  it('reads AccountId as an object id, or as a UPN when it holds an @; AccountType Application is a workload', async () => {
    const base = {
      Timestamp: '2024-05-01T08:00:00Z',
      Application: 'Microsoft 365',
      ApplicationId: 11161,
      ActionType: 'FileDownloaded',
      ActivityType: 'Download',
      ReportId: 'x',
      IPAddress: '198.51.100.4',
      CountryCode: 'FR',
      City: 'Paris',
      ISP: 'Orange',
      IsAdminOperation: 'True',
      ObjectName: 'plan.docx',
      ActivityObjects: [],
      RawEventData: {},
    };
    const rows = [
      { ...base, ReportId: 'a', AccountObjectId: '', AccountId: 'Bob@Contoso.com', AccountDisplayName: 'Bob' },
      { ...base, ReportId: 'b', AccountObjectId: '', AccountId: '11111111-2222-3333-4444-555555555555', AccountDisplayName: 'Carol' },
      {
        ...base,
        ReportId: 'c',
        AccountObjectId: '99999999-2222-3333-4444-555555555555',
        AccountId: '99999999-2222-3333-4444-555555555555',
        AccountType: 'Application',
        AccountDisplayName: 'Sync app',
      },
    ];
    const { records, summary } = await parseAll('cae.json', encode(JSON.stringify(rows)));
    expect(summary).toMatchObject({ format: 'mdca-cloud-app-events', accepted: 3, unattributed: 1 });
    const [bob, carol, app] = records as ActivityRecord[];
    expect(bob).toMatchObject({
      identifiers: [{ type: 'upn', value: 'bob@contoso.com' }],
      location: { city: 'Paris', country: 'FR' },
      isp: 'Orange',
      isAdminOperation: true,
      objectName: 'plan.docx',
    });
    expect(carol!.identifiers).toEqual([{ type: 'objectId', value: '11111111-2222-3333-4444-555555555555' }]);
    expect(app).toMatchObject({ identifiers: [], workload: { id: '99999999-2222-3333-4444-555555555555', name: 'Sync app', type: 'servicePrincipal' } });
  });
});

describe('Defender for Cloud Apps REST activity', () => {
  const excerpt = JSON.parse(decode(readSample('cloud-apps/mcas_alert_and_activity_by_id.json'))) as Record<string, unknown>;

  it('reads the activity of the demisto excerpt (ACTIVITIES_BY_ID_DATA) as an API response', async () => {
    const { records, summary } = await parseAll('activity.json', encode(JSON.stringify(excerpt.ACTIVITIES_BY_ID_DATA)));
    expect(summary).toMatchObject({ format: 'mdca-activity', source: 'defender-for-cloud-apps', accepted: 1, rejected: 0, unattributed: 0 });
    expect(records[0]).toMatchObject({
      kind: 'activity',
      id: 'activity:97134000_15600_97ee2049-893e-4c9d-a312-08d82b46faf7',
      activityType: 'cloudAppActivity',
      action: 'FilePreviewed',
      app: 'Microsoft OneDrive for Business',
      time: 1595096313000,
      timeRaw: '1595096313000',
      identifiers: [{ type: 'upn', value: 'avishai@demistodev.onmicrosoft.com' }],
      ipAddress: '8.8.8.8',
      location: { city: 'Tel Aviv', state: 'Tel Aviv', country: 'IL' },
      isp: 'Cellcom Group',
      userAgent: 'OneDriveMpc-Transform_Thumbnail/1.0',
      objectName: 'https://demistodev-my.sharepoint.com/personal/avishai_demistodev_onmicrosoft_com/Documents/ibanexample.docx',
    });
    expect(new Date(records[0]!.time).toISOString()).toBe('2020-07-18T18:18:33.000Z');
  });

  it('does not take the alert of the excerpt, and the file as a whole is not read as activities', async () => {
    const alert = await parseAll('alert.json', encode(JSON.stringify(excerpt.ALERT_BY_ID_DATA)));
    expect(activityAdapters.map((adapter) => adapter.id)).not.toContain(alert.summary.format);
    const whole = await parseAll('mcas_alert_and_activity_by_id.json', readSample('cloud-apps/mcas_alert_and_activity_by_id.json'));
    expect(activityAdapters.map((adapter) => adapter.id)).not.toContain(whole.summary.format);
  });
});
