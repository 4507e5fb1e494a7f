import { describe, expect, it } from 'vitest';
import { parseAll } from '../../shared/formats/parse.ts';
import { readDemoFile } from '../../test/demo.ts';
import fc from 'fast-check';
import {
  activitiesHref,
  alertHistogram,
  alertsHref,
  alertTotals,
  binLabels,
  histogramUnit,
  parseInstant,
  severityKey,
  type AlertPoint,
} from './dashboard-model.ts';

/** The demo's alerts and risk detections as the dashboard's points. */
async function demoPoints(): Promise<AlertPoint[]> {
  const points: AlertPoint[] = [];
  for (const file of ['defender/graph/alerts_v2.json', 'entra/graph/riskDetections.json']) {
    const { records } = await parseAll(file.split('/').at(-1)!, readDemoFile(file));
    for (const record of records) {
      if (record.kind === 'alert')
        points.push({ time: record.time, source: record.source, severity: record.severity, status: record.status, userId: record.identifiers[0]?.value ?? '' });
      if (record.kind === 'riskDetection')
        points.push({
          time: record.time,
          source: record.source,
          severity: record.riskLevel,
          status: record.riskState,
          userId: record.identifiers[0]?.value ?? '',
        });
    }
  }
  return points;
}

const DAY = 86_400_000;

describe('the dashboard model on the demo alerts', () => {
  it('stacks alerts per day by source and by severity, each bin counting what a direct count finds', async () => {
    const points = await demoPoints();
    for (const by of ['source', 'severity'] as const) {
      const { bins, keys } = alertHistogram(points, by);
      expect(bins.reduce((sum, bin) => sum + bin.total, 0)).toBe(points.length);
      for (const bin of bins) {
        expect(bin.end - bin.start).toBe(DAY);
        expect(bin.start % DAY).toBe(0);
        const inBin = points.filter((point) => point.time >= bin.start && point.time < bin.end);
        expect(bin.total).toBe(inBin.length);
        for (const key of keys)
          expect(bin.counts[key] ?? 0).toBe(inBin.filter((point) => (by === 'source' ? point.source : severityKey(point.severity)) === key).length);
      }
    }
    expect(alertHistogram(points, 'severity').keys[0]).toBe('high');
  });

  it('widens its bars with the span: hours, days, Monday weeks, calendar months; every point in the bar that holds it', () => {
    const start = Date.UTC(2026, 9, 1, 5);
    expect(histogramUnit(start, start + 3 * DAY)).toBe('hour');
    expect(histogramUnit(start, start + 90 * DAY)).toBe('day');
    expect(histogramUnit(start, start + 365 * DAY)).toBe('week');
    expect(histogramUnit(start, start + 800 * DAY)).toBe('month');
    const point = (time: number): AlertPoint => ({ time, source: 'defender-xdr', severity: 'high', status: 'new', userId: 'u' });
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2040, 0, 1) }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 0, max: 4000 * DAY }),
        (offsets, spread) => {
          const times = offsets.map((t) => Date.UTC(2020, 0, 1) + ((t - Date.UTC(1990, 0, 1)) % (spread + 1)));
          const { bins, unit } = alertHistogram(times.map(point), 'source');
          expect(bins.length).toBeLessThanOrEqual(unit === 'month' ? 140 : 130);
          expect(bins.reduce((sum, bin) => sum + bin.total, 0)).toBe(times.length);
          bins.forEach((bin, i) => {
            expect(bin.total).toBe(times.filter((t) => t >= bin.start && t < bin.end).length);
            if (i > 0) expect(bin.start).toBe(bins[i - 1]!.end);
            const date = new Date(bin.start);
            if (unit === 'week') expect(date.getUTCDay()).toBe(1);
            if (unit === 'month') expect(date.getUTCDate()).toBe(1);
          });
        },
      ),
    );
  });

  it('keeps a stray old timestamp to a few hundred month bars instead of twenty thousand day bars', () => {
    const points = [Date.UTC(1970, 0, 1), Date.UTC(2026, 9, 3), Date.UTC(2026, 9, 29)].map((time): AlertPoint => ({
      time,
      source: 'defender-xdr',
      severity: 'high',
      status: 'new',
      userId: 'u',
    }));
    const { bins, unit } = alertHistogram(points, 'severity');
    expect(unit).toBe('month');
    expect(bins).toHaveLength(56 * 12 + 10);
    expect(bins.at(-1)!.total).toBe(2);
    expect(binLabels(bins.at(-1)!.start, 'month', true)).toEqual({ label: '2026-10', title: 'October 2026' });
    expect(binLabels(Date.UTC(2026, 9, 5), 'week', false)).toEqual({ label: '10-05', title: 'week of 2026-10-05' });
    expect(binLabels(Date.UTC(2026, 9, 5), 'day', true).label).toBe('2026-10-05');
  });

  it('totals a brushed range exactly, its ends included and excluded as a half-open range', async () => {
    const points = await demoPoints();
    const times = points.map((point) => point.time).sort((a, b) => a - b);
    const from = times[5]!;
    const to = times[20]!;
    const totals = alertTotals(points, { from, to });
    const inside = points.filter((point) => point.time >= from && point.time < to);
    expect(totals.total).toBe(inside.length);
    expect([...totals.bySource.values()].reduce((a, b) => a + b, 0)).toBe(inside.length);
    expect(totals.bySeverity.get('high') ?? 0).toBe(inside.filter((point) => point.severity === 'high').length);
    expect(totals.open).toBe(inside.filter((point) => !['resolved', 'dismissed', 'closed', 'remediated', 'confirmedSafe'].includes(point.status)).length);
  });

  it('writes the queue URLs of the contract, with ISO UTC bounds that read back to the same instant', () => {
    const href = alertsHref({
      sources: ['defender-xdr', 'identity-protection'],
      severities: ['high'],
      user: 'objectId:1',
      from: Date.UTC(2026, 9, 1),
      to: Date.UTC(2026, 9, 2),
    });
    expect(href).toBe(
      '/alerts?source=defender-xdr%2Cidentity-protection&severity=high&user=objectId%3A1&from=2026-10-01T00%3A00%3A00.000Z&to=2026-10-02T00%3A00%3A00.000Z',
    );
    const params = new URLSearchParams(href.split('?')[1]);
    expect(params.get('source')).toBe('defender-xdr,identity-protection');
    expect(parseInstant(params.get('from'))).toBe(Date.UTC(2026, 9, 1));
    expect(parseInstant('not a date')).toBeUndefined();
    expect(activitiesHref({ user: 'u', country: 'RO', result: 'failure' })).toBe('/activities?user=u&country=RO&result=failure');
    expect(alertsHref({})).toBe('/alerts');
  });
});
