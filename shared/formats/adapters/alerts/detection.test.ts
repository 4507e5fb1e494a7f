import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSample } from '../../../../test/samples.ts';
import { FieldReader, isObject, type JsonObject } from '../../fields.ts';
import { parseAll } from '../../parse.ts';
import { adapters, DETECTION_THRESHOLD } from '../../registry.ts';
import { alertAdapters } from './index.ts';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
const alertIds = alertAdapters.map((adapter) => adapter.id);

/** The records of a JSON sample as the scanner finds them: a root array, a `value` page, NDJSON, or one object. */
function jsonRecords(path: string): JsonObject[] {
  const text = decode(readSample(path)).trim();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as JsonObject);
  }
  if (Array.isArray(parsed)) return parsed.filter(isObject);
  // List pages: Graph's `value`, Cloud Apps' `data`, unwrapped as the JSON scanner does.
  if (isObject(parsed) && Array.isArray(parsed.value)) return parsed.value.filter(isObject);
  if (isObject(parsed) && Array.isArray(parsed.data)) return parsed.data.filter(isObject);
  return isObject(parsed) ? [parsed] : [];
}

function fieldsOf(records: JsonObject[]): Set<string> {
  const fields = new Set<string>();
  for (const record of records.slice(0, 20)) for (const name of new FieldReader(record).names()) fields.add(name);
  return fields;
}

const alertSamples: [string, string][] = [
  ['vendor-doc-examples/graph-alerts_v2-list.json', 'graph-security-alert'],
  ['security-alerts/panther-analysis_graph_alerts_v2_test_events.ndjson', 'graph-security-alert'],
  ['vendor-doc-examples/graph-incident-get.json', 'graph-security-incident'],
  ['vendor-doc-examples/graph-incidents-expand-alerts.json', 'graph-security-incident'],
  ['defender-xdr-incidents/raw_incident_with_user.json', 'xdr-incident'],
  ['vendor-doc-examples/xdr-incidents-list.json', 'xdr-incident'],
  ['vendor-doc-examples/mdca-alerts-list.json', 'mdca-alert'],
];

describe('alert detection', () => {
  it.each(alertSamples)('%s is claimed by %s alone', (path, format) => {
    const fields = fieldsOf(jsonRecords(path));
    const claiming = adapters.filter((adapter) => adapter.detect(fields) >= DETECTION_THRESHOLD).map((adapter) => adapter.id);
    expect(claiming).toEqual([format]);
  });

  it('leaves the Entra samples to the Entra adapters, as before', async () => {
    const entra: [string, string, number][] = [
      ['identity-protection/list_risk_detections.json', 'entra-risk-detection', 1],
      ['identity-protection/list_risky_users.json', 'entra-risky-user', 3],
      ['vendor-doc-examples/graph-signIns-list.json', 'entra-sign-in', 1],
      ['vendor-doc-examples/graph-riskDetections-list.json', 'entra-risk-detection', 1],
    ];
    for (const [path, format, accepted] of entra) {
      const { summary } = await parseAll(path, readSample(path));
      expect([path, summary.format, summary.accepted, summary.rejected]).toEqual([path, format, accepted, 0]);
      const fields = fieldsOf(jsonRecords(path));
      for (const adapter of alertAdapters) expect([path, adapter.id, adapter.detect(fields)]).toEqual([path, adapter.id, 0]);
    }
  });

  it('claims none of the kit samples that are not alerts or incidents', async () => {
    const others = [
      'defender-xdr-hunting/Microsoft365DefenderEvents.json',
      'entra-audit/AADAuditEvents.json',
      'entra-audit/AuditLogs_Hunting.csv',
      'o365-ual/AuditLog.csv',
      'office-activity/OfficeActivityEvents.json',
      'office-activity/office_activity.csv',
      'office-activity/office_activity_inbox_rule.csv',
      'signin/disable_accounts.csv',
      'signin/panther-analysis_azure_signin_test_events.ndjson',
      'signin/sign-in_adelete.csv',
      'vendor-doc-examples/graph-directoryAudits-list-filter-initiatedby.json',
      'vendor-doc-examples/graph-directoryAudits-list.json',
    ];
    for (const path of others) {
      const { summary } = await parseAll(path, readSample(path));
      expect([path, alertIds.includes(summary.format ?? '')]).toEqual([path, false]);
    }
  });
});

describe('alert adapters are total', () => {
  const samples = alertSamples.flatMap(([path]) => jsonRecords(path));
  const jsonValue = fc.jsonValue({ maxDepth: 3 });

  it('give a record or a named field and reason for any damage to a sample record, never an exception', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: samples.length - 1 }),
        fc.dictionary(fc.string({ maxLength: 3 }), jsonValue, { maxKeys: 4 }),
        fc.array(fc.nat(), { maxLength: 4 }),
        jsonValue,
        (which, added, hits, value) => {
          const record: JsonObject = { ...samples[which]!, ...added };
          const keys = Object.keys(record);
          for (const hit of hits) if (keys.length) record[keys[hit % keys.length]!] = value;
          for (const adapter of alertAdapters) {
            const result = adapter.normalize(new FieldReader(record), record);
            if (result.ok) {
              for (const out of [result.record, ...(result.extra ?? [])]) {
                expect(out.id).toMatch(/^(alert|incident):./);
                expect(Number.isFinite(out.time)).toBe(true);
              }
            } else {
              expect(typeof result.field).toBe('string');
              expect(result.reason).not.toBe('');
            }
          }
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });
});
