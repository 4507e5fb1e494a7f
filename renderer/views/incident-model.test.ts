import { describe, expect, it } from 'vitest';
import type { IncidentRecord, NormalizedRecord } from '../../shared/model/records.ts';
import { IdentityResolver } from '../../shared/model/resolver.ts';
import { parseAll } from '../../shared/formats/parse.ts';
import { readDemoFile } from '../../test/demo.ts';
import { readSample } from '../../test/samples.ts';
import type { StoredAlert, StoredIncident } from '../db/schema.ts';
import { alertTime, incidentMatches, incidentNamesUser, positionOnSpan, summarizeIncident } from './incident-model.ts';

/** Parses an export and attributes each record to a user with the real resolver, as the import does. */
async function stored(name: string, bytes: Uint8Array) {
  const { records } = await parseAll(name, bytes);
  const resolver = new IdentityResolver();
  const attributed = records.map((record: NormalizedRecord) => ({
    ...record,
    userId: resolver.resolve(record.identifiers, record.id, record.time).userId,
    importId: 'test',
  }));
  const incidents = attributed.filter((record): record is StoredIncident => record.kind === 'incident');
  const alerts = new Map(attributed.filter((record): record is StoredAlert => record.kind === 'alert').map((alert) => [alert.id, alert]));
  const alertsOf = (incident: IncidentRecord) => incident.alertIds.flatMap((id) => (alerts.has(id) ? [alerts.get(id)!] : []));
  return { incidents, alertsOf };
}

const demo = () => stored('incidents.json', readDemoFile('defender/xdr/incidents.json'));

describe('the incident page on the demo workspace', () => {
  it('names Rafael Zeller as the one affected user of his multi-stage incident, with every alert in order', async () => {
    const { incidents, alertsOf } = await demo();
    const incident = incidents.find((candidate) => candidate.nativeId === '2476')!;
    const alerts = alertsOf(incident);
    const summary = summarizeIncident(incident, alerts);

    expect(summary.users).toEqual([
      expect.objectContaining({
        userId: 'objectId:4bdd8cf9-af93-4684-bfe8-55a0fe3e490f',
        label: 'rafael.zeller@northwindtraders.example',
        alerts: alerts.length,
      }),
    ]);
    expect(summary.sources.reduce((sum, source) => sum + source.alerts, 0)).toBe(alerts.length);
    // XDR carries other products' alerts: each is counted under the product that raised it.
    expect(summary.sources.map((source) => source.label).sort()).toEqual(['Defender for Cloud Apps', 'Entra ID Protection']);
    expect(summary.sources.flatMap((source) => source.services)).toContain('AzureAdIdentityProtection');
    expect(summary.missingAlertIds).toEqual([]);

    const times = summary.events.map((event) => event.time);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(summary.events.filter((event) => event.kind === 'alert').map((event) => event.alert!.id)).toEqual(
      [...alerts].sort((a, b) => alertTime(a) - alertTime(b)).map((alert) => alert.id),
    );
    expect(summary.events.map((event) => event.kind)).toContain('created');
    expect(summary.events.at(-1)).toMatchObject({ kind: 'updated', time: Date.parse('2026-10-29T02:51:55.576Z') });
    // Leaked credentials came first: its activity precedes the incident's creation.
    expect(summary.events[0]).toMatchObject({ kind: 'alert', title: 'Leaked credentials' });
    expect(summary.first).toBe(times[0]);
    expect(summary.last).toBe(times.at(-1));
  });

  it('gives every demo incident at least one attributed user, and lists alerts the store lacks', async () => {
    const { incidents, alertsOf } = await demo();
    expect(incidents).toHaveLength(13);
    for (const incident of incidents) {
      const alerts = alertsOf(incident);
      const summary = summarizeIncident(incident, alerts);
      expect(
        summary.users.some((user) => user.userId),
        incident.nativeId,
      ).toBe(true);
      expect(summary.events.filter((event) => event.kind === 'alert')).toHaveLength(incident.alertIds.length);

      const withoutFirst = summarizeIncident(incident, alerts.slice(1));
      expect(withoutFirst.missingAlertIds).toEqual([alerts[0]!.id]);
    }
  });

  it('still shows the users an incident names when none of its alerts were imported', async () => {
    const { incidents } = await demo();
    const incident = incidents.find((candidate) => candidate.nativeId === '2476')!;
    const summary = summarizeIncident(incident, []);
    expect(summary.users).toEqual([expect.objectContaining({ userId: incident.userId, alerts: 0 })]);
    expect(summary.sources).toEqual([expect.objectContaining({ source: 'defender-xdr', alerts: 0 })]);
    expect(summary.missingAlertIds).toEqual(incident.alertIds);
    expect(summary.events.map((event) => event.kind)).toEqual(['created', 'updated']);
  });

  it('finds incidents by title, id, status and user', async () => {
    const { incidents } = await demo();
    const incident = incidents.find((candidate) => candidate.nativeId === '2476')!;
    for (const text of ['multi-stage', '2476', 'NEW', 'rafael.zeller']) expect(incidentMatches(incident, text), text).toBe(true);
    expect(incidentMatches(incident, 'carlos')).toBe(false);
    expect(incidentMatches(incident, '  ')).toBe(true);
    // The names the store knows its users by: what the list shows under the title.
    expect(incidentMatches(incident, 'rafael z')).toBe(false);
    expect(incidentMatches(incident, 'rafael z', ['Rafael Zeller'])).toBe(true);
  });
});

describe('the incident page on the public Defender XDR sample', () => {
  it('joins the one User entity into one affected user', async () => {
    const { incidents, alertsOf } = await stored('raw_incident_with_user.json', readSample('defender-xdr-incidents/raw_incident_with_user.json'));
    const [incident] = incidents;
    const summary = summarizeIncident(incident!, alertsOf(incident!));
    expect(summary.users).toEqual([expect.objectContaining({ userId: 'objectId:92c0a42f-cb8d-4bfe-bfc0-add2dd415aa5', label: 'username@domain', alerts: 1 })]);
    expect(summary.sources).toEqual([expect.objectContaining({ label: 'Defender XDR', services: ['MicrosoftDefenderForCloud', 'DefenderForDatabases'] })]);
  });
});

describe('the timeline strip', () => {
  it('places instants on the span, clamped, and a one-instant span in the middle', () => {
    expect(positionOnSpan(150, 100, 200)).toBe(0.5);
    expect(positionOnSpan(100, 100, 200)).toBe(0);
    expect(positionOnSpan(250, 100, 200)).toBe(1);
    expect(positionOnSpan(100, 100, 100)).toBe(0.5);
  });
});

describe('a user page’s incidents', () => {
  it('finds each demo incident from its user’s identities, and no other user’s', async () => {
    const { incidents } = await demo();
    const rafael = 'objectId:4bdd8cf9-af93-4684-bfe8-55a0fe3e490f';
    const rafaelKeys = new Set(['upn:rafael.zeller@northwindtraders.example', `${rafael}`]);
    const his = incidents.filter((incident) => incidentNamesUser(incident, rafael, rafaelKeys));
    expect(his.map((incident) => incident.nativeId)).toContain('2476');
    for (const incident of his) expect(incident.userId).toBe(rafael);
    // By an identifier alone (another user key), as when the incident's first user was folded under a different id.
    const byUpn = incidents.filter((incident) => incidentNamesUser(incident, 'someone-else', new Set(['upn:rafael.zeller@northwindtraders.example'])));
    expect(byUpn).toEqual(his);
    expect(incidents.filter((incident) => incidentNamesUser(incident, 'upn:nobody@example.com', new Set(['upn:nobody@example.com'])))).toEqual([]);
  });
});
