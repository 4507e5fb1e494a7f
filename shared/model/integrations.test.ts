import { describe, expect, it } from 'vitest';
import { readSample } from '../../test/samples.ts';
import { parseAll } from '../formats/parse.ts';
import { integrationOf, integrations, isRecordSourceEnabled, parseDisabledIntegrations, sourcesOf } from './integrations.ts';
import { sourceLabels, type SourceProduct } from './records.ts';

const allSources = Object.keys(sourceLabels) as SourceProduct[];

describe('integrations', () => {
  it('puts every product under exactly one of the four switches', () => {
    const covered = integrations.flatMap((integration) => sourcesOf([integration]));
    expect(covered.sort()).toEqual([...allSources].sort());
    expect(sourcesOf(['identity-protection']).sort()).toEqual(['entra-audit', 'entra-sign-ins', 'identity-protection']);
    expect(sourcesOf(['defender-for-cloud-apps']).sort()).toEqual(['defender-for-cloud-apps', 'office-365']);
    expect(sourcesOf([])).toEqual([]);
  });

  it('hides the records of a disabled integration, per record, in a file that mixes products', async () => {
    // One advanced-hunting result holds rows of XDR, Defender for Identity and Cloud Apps tables.
    const { records } = await parseAll('Microsoft365DefenderEvents.json', readSample('defender-xdr-hunting/Microsoft365DefenderEvents.json'));
    const products = new Set(records.map((record) => integrationOf(record.source)));
    expect(products.size).toBeGreaterThan(1);
    for (const off of products) {
      const visible = records.filter((record) => isRecordSourceEnabled(record, new Set([off])));
      expect(visible.length).toBeGreaterThan(0);
      expect(visible.length).toBeLessThan(records.length);
      expect(visible.every((record) => integrationOf(record.source) !== off)).toBe(true);
    }
    expect(records.filter((record) => isRecordSourceEnabled(record, new Set())).length).toBe(records.length);
  });

  it('hides sign-ins and audit records with Identity Protection, and keeps a product it does not know', async () => {
    const { records } = await parseAll('graph-signIns-list.json', readSample('vendor-doc-examples/graph-signIns-list.json'));
    expect(records.length).toBeGreaterThan(0);
    expect(records.some((record) => isRecordSourceEnabled(record, new Set(['identity-protection'])))).toBe(false);
    expect(records.every((record) => isRecordSourceEnabled(record, new Set(['defender-xdr'])))).toBe(true);
    expect(isRecordSourceEnabled({ source: 'a-future-product' as SourceProduct }, new Set(integrations))).toBe(true);
  });

  it('reads stored settings defensively', () => {
    expect(parseDisabledIntegrations(['defender-xdr', 'nonsense', 3, 'defender-xdr'])).toEqual(['defender-xdr']);
    expect(parseDisabledIntegrations('defender-xdr')).toEqual([]);
    expect(parseDisabledIntegrations(null)).toEqual([]);
  });
});
