import { describe, expect, it } from 'vitest';
import type { NormalizedRecord } from '../../shared/model/records.ts';
import { IdentityResolver } from '../../shared/model/resolver.ts';
import { parseAll } from '../../shared/formats/parse.ts';
import { readDemoFile } from '../../test/demo.ts';
import {
  chooseBinSize,
  densityBins,
  hasActivityNear,
  laneOf,
  matchesTimelineFilter,
  pointOf,
  RELATED_ACTIVITY_SLACK_MS,
  SeenAccumulator,
  timelineType,
  zoomRange,
  type TimelineItem,
} from './user-model.ts';

const files = [
  'entra/graph/signIns-part001.json',
  'entra/graph/riskDetections.json',
  'defender/graph/alerts_v2.json',
  'defender/advanced-hunting/CloudAppEvents-part001.ndjson',
  'defender/advanced-hunting/IdentityLogonEvents-part001.ndjson',
];

/** The demo's records of several sources, attributed with the real resolver as the import does. */
async function demoItems(): Promise<TimelineItem[]> {
  const resolver = new IdentityResolver();
  const out: TimelineItem[] = [];
  for (const file of files) {
    const { records } = await parseAll(file.split('/').at(-1)!, readDemoFile(file));
    for (const record of records as NormalizedRecord[]) {
      if (record.kind === 'riskyUser' || record.kind === 'incident') continue;
      const userId = resolver.resolve(record.identifiers, record.id, record.time).userId;
      out.push({ ...record, userId, importId: 'test', contentHash: '', rawKey: '', rawIndex: 0 } as TimelineItem);
    }
  }
  // The resolver may fold users after a record was read: attribute every record to its final user.
  return out.map((item) => ({ ...item, userId: resolver.resolve(item.identifiers, item.id, item.time).userId }));
}

const rafael = 'objectId:4bdd8cf9-af93-4684-bfe8-55a0fe3e490f';

describe('the user page model on the demo workspace', () => {
  it('lists Romania, the leaked-credentials attack country, as the newest country Rafael Zeller was seen in', async () => {
    const items = (await demoItems()).filter((item) => item.userId === rafael);
    const seen = new SeenAccumulator();
    items.forEach((item) => seen.add(item));
    const countries = seen.result('country');
    expect(countries[0]?.value).toMatch(/^(RO|Romania)$/);
    // Oracle: the first and last time and count of each country, straight from the records.
    for (const row of countries) {
      const times = items.filter((item) => item.kind !== 'alert' && item.location?.country === row.value).map((item) => item.time);
      expect(row).toMatchObject({ first: Math.min(...times), last: Math.max(...times), count: times.length });
    }
    const attackIp = seen.result('ip').find((row) => row.value === '192.0.2.130');
    expect(attackIp).toBeDefined();
    expect(attackIp!.first).toBeGreaterThan(countries.find((row) => row.value !== countries[0]!.value)!.first);
  });

  it('filters by type, source and severity as the lists of each say', async () => {
    const items = await demoItems();
    const alerts = items.filter((item) => matchesTimelineFilter(item, { types: ['alert'] }));
    expect(alerts.length).toBe(items.filter((item) => item.kind === 'alert').length);
    const source = alerts.find((item) => item.kind === 'alert' && item.severity === 'high')!.source;
    const highOfSource = items.filter((item) => matchesTimelineFilter(item, { sources: [source], severities: ['high'] }));
    expect(highOfSource.length).toBeGreaterThan(0);
    expect(highOfSource.length).toBeLessThan(items.filter((item) => item.source === source).length);
    for (const item of highOfSource) {
      expect(item.source).toBe(source);
      expect(item.kind === 'alert' ? item.severity : item.kind === 'riskDetection' ? item.riskLevel : 'high').toBe('high');
    }
    const logons = items.filter((item) => matchesTimelineFilter(item, { types: ['onPremLogon'] }));
    expect(logons.length).toBe(items.filter((item) => item.kind === 'activity' && item.activityType === 'onPremLogon').length);
  });

  it('bins the density strip so every point in range is counted once, in its lane', async () => {
    const points = (await demoItems()).map(pointOf);
    const from = Math.min(...points.map((point) => point.time));
    const to = Math.max(...points.map((point) => point.time)) + 1;
    const size = chooseBinSize(to - from);
    const bins = densityBins(points, from, to, size);
    expect(bins.length).toBeLessThanOrEqual(121);
    const total = bins.reduce((sum, bin) => sum + bin.alerts + bin.signIns + bin.activities, 0);
    expect(total).toBe(points.length);
    // Oracle: one bin picked at random, counted directly.
    const busiest = bins.reduce((best, bin) => (bin.activities > best.activities ? bin : best));
    const inBin = points.filter((point) => point.time >= busiest.start && point.time < busiest.end);
    expect(busiest.activities).toBe(inBin.filter((point) => laneOf(point.type) === 'activities').length);
    expect(busiest.signIns).toBe(inBin.filter((point) => point.type === 'signIn').length);
  });

  it('chooses minute bins for an hour and day or week bins for months', () => {
    expect(chooseBinSize(60 * 60_000)).toBe(60_000);
    expect(chooseBinSize(30 * 86_400_000)).toBe(6 * 3_600_000);
    expect(chooseBinSize(100 * 86_400_000)).toBe(86_400_000);
    expect(chooseBinSize(2 * 365 * 86_400_000)).toBe(7 * 86_400_000);
  });

  it('finds activity around an alert only within the slack', () => {
    const times = Float64Array.from([1_000_000, 5_000_000, 90_000_000]);
    expect(hasActivityNear({ time: 5_000_000 + RELATED_ACTIVITY_SLACK_MS }, times)).toBe(true);
    expect(hasActivityNear({ time: 5_000_001 + RELATED_ACTIVITY_SLACK_MS }, times)).toBe(false);
    expect(hasActivityNear({ time: 20_000_000, firstActivity: 10_000_000, lastActivity: 89_000_000 }, times)).toBe(true);
    expect(hasActivityNear({ time: 1 }, new Float64Array())).toBe(false);
  });

  it('says which of the demo alerts have no activity of their user around them', async () => {
    const items = await demoItems();
    const activityTimes = (userId: string) =>
      Float64Array.from(
        items
          .filter((item) => item.userId === userId && (item.kind === 'signIn' || item.kind === 'activity'))
          .map((item) => item.time)
          .sort((a, b) => a - b),
      );
    const alerts = items.filter((item) => item.kind === 'alert' && item.userId);
    const verdicts = alerts.map((alert) => hasActivityNear(alert as never, activityTimes(alert.userId)));
    // Oracle: a linear search over the same records.
    const oracle = alerts.map((alert) => {
      const a = alert as Extract<TimelineItem, { kind: 'alert' }>;
      const from = (a.firstActivity ?? a.time) - RELATED_ACTIVITY_SLACK_MS;
      const to = (a.lastActivity ?? a.firstActivity ?? a.time) + RELATED_ACTIVITY_SLACK_MS;
      return items.some((item) => item.userId === a.userId && (item.kind === 'signIn' || item.kind === 'activity') && item.time >= from && item.time <= to);
    });
    expect(verdicts).toEqual(oracle);
    expect(verdicts).toContain(true);
  });

  it('zooms around the centre and stays inside the history', () => {
    const bounds = { from: 0, to: 1_000_000_000 };
    expect(zoomRange(bounds, 0.5, bounds)).toEqual({ from: 250_000_000, to: 750_000_000 });
    expect(zoomRange({ from: 0, to: 100_000_000 }, 4, bounds)).toEqual({ from: 0, to: 400_000_000 });
    expect(zoomRange({ from: 0, to: 1_000_000 }, 0.001, bounds)).toEqual({ from: 200_000, to: 800_000 });
  });

  it('names each item by its timeline type', async () => {
    const types = new Set((await demoItems()).map(timelineType));
    expect(types).toEqual(new Set(['signIn', 'riskDetection', 'alert', 'cloudAppActivity', 'onPremLogon']));
  });
});
