import { describe, expect, it } from 'vitest';
import { parseAll } from '../../shared/formats/parse.ts';
import { readDemoFile } from '../../test/demo.ts';
import { readSample } from '../../test/samples.ts';
import { recordUserLabel } from './describe.ts';

describe('recordUserLabel', () => {
  it('calls an XDR incident’s user by UPN, not by the object id its identifiers start with', async () => {
    const { records } = await parseAll('incidents.json', readDemoFile('defender/xdr/incidents.json'));
    const incident = records.find((record) => record.kind === 'incident' && record.nativeId === '2476')!;
    expect(incident.displayName).toBeUndefined();
    expect(incident.identifiers[0]!.type).toBe('objectId');
    expect(recordUserLabel(incident)).toBe('rafael.zeller@northwindtraders.example');
  });

  it('prefers the display name a record carries', async () => {
    const { records } = await parseAll('list_risk_detections.json', readSample('identity-protection/list_risk_detections.json'));
    expect(recordUserLabel(records[0]!)).toBe('Olivia Lack');
  });
});
