import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ALGORITHM_VERSION } from '../shared/score/constants.ts';
import type { WorkspaceTruth } from '../shared/simulate/workspace.ts';
import { samplesDir } from '../test/samples.ts';
import { analyze, formatReport } from './analyze.ts';
import { main } from './main.ts';

afterEach(() => vi.restoreAllMocks());

/** The built-in demo workspace: the simulator's output with its answer key. */
const demoDir = fileURLToPath(new URL('../resources/demo/', import.meta.url));

describe('sightline analyze', () => {
  it('reports the Identity Protection samples with their counts', async () => {
    const report = await analyze([`${samplesDir}identity-protection`]);
    expect(report.files.map((file) => [file.path.split('/').pop(), file.format, file.accepted, file.rejected])).toEqual([
      ['list_risk_detections.json', 'entra-risk-detection', 1, 0],
      ['list_risky_users.json', 'entra-risky-user', 3, 0],
    ]);
    expect(report.riskDetections).toEqual({ count: 1, byType: { unfamiliarFeatures: 1 }, byLevel: { medium: 1 }, byState: { remediated: 1 } });
    expect(report.riskyUsers).toEqual({ count: 3, byLevel: { none: 3 }, byState: { dismissed: 2, remediated: 1 } });
    expect(report.users.count).toBe(4);
    expect(report.timeRange).toEqual({ from: '2018-09-05T00:09:18.782Z', to: '2021-08-09T11:47:58.558Z' });
  });

  it('reads the Log Analytics sign-in CSV exports, including one without a time column', async () => {
    const report = await analyze([`${samplesDir}signin/sign-in_adelete.csv`, `${samplesDir}signin/disable_accounts.csv`]);
    expect(report.files.map((file) => [file.format, file.accepted, file.rejected])).toEqual([
      ['entra-sign-in', 56, 0],
      ['entra-sign-in', 4, 0],
    ]);
    expect(report.signIns.count).toBe(60);
    expect(formatReport(report)).toContain('Sign-ins: 60');
  });

  it('prints one JSON document with --json, and fails clearly on a path it cannot read', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['analyze', `${samplesDir}identity-protection/list_risky_users.json`, '--json'])).toBe(0);
    expect(JSON.parse(String(out.mock.calls[0]?.[0]))).toMatchObject({ riskyUsers: { count: 3 }, files: [{ accepted: 3 }] });
    expect(await main(['analyze', '/nonexistent/exports'])).toBe(1);
    expect(String(err.mock.calls[0]?.[0])).toBe('sightline: cannot read /nonexistent/exports: no such file or folder');
  });

  it('recognizes every sample file as its format, with the counts read off the files', async () => {
    const report = await analyze([samplesDir]);
    const table = report.files.map((file) => [file.path.slice(samplesDir.length), file.skipped ? 'skipped' : file.format, file.accepted, file.rejected]);
    expect(table).toEqual([
      // A fixture keyed by response name: one Cloud Apps alert and one activity, read as a keyed collection.
      ['cloud-apps/mcas_alert_and_activity_by_id.json', 'mdca-alert', 2, 0],
      ['defender-xdr-hunting/Microsoft365DefenderEvents.json', 'defender-hunting-mixed', 9, 0],
      ['defender-xdr-incidents/raw_incident_with_user.json', 'xdr-incident', 2, 0], // 1 incident + its 1 alert
      ['entra-audit/AADAuditEvents.json', 'entra-directory-audit', 4, 0],
      ['entra-audit/AuditLogs_Hunting.csv', 'entra-directory-audit', 0, 5], // a hunting query's output with no time column
      ['identity-protection/list_risk_detections.json', 'entra-risk-detection', 1, 0],
      ['identity-protection/list_risky_users.json', 'entra-risky-user', 3, 0],
      ['o365-ual/AuditLog.csv', 'o365-unified-audit-log', 100, 0],
      ['office-activity/office_activity_inbox_rule.csv', 'sentinel-office-activity', 2, 0],
      ['office-activity/office_activity.csv', 'sentinel-office-activity', 266, 0],
      ['office-activity/OfficeActivityEvents.json', 'sentinel-office-activity', 1, 0],
      ['security-alerts/panther-analysis_graph_alerts_v2_test_events.ndjson', 'graph-security-alert', 4, 0],
      ['signin/disable_accounts.csv', 'entra-sign-in', 4, 0],
      ['signin/panther-analysis_azure_signin_test_events.ndjson', 'azure-diagnostic-entra', 26, 0],
      ['signin/sign-in_adelete.csv', 'entra-sign-in', 56, 0],
      ['SOURCES.md', 'skipped', 0, 0],
      ['vendor-doc-examples/graph-alerts_v2-list.json', 'graph-security-alert', 1, 0],
      ['vendor-doc-examples/graph-directoryAudits-list-filter-initiatedby.json', 'entra-directory-audit', 1, 0],
      ['vendor-doc-examples/graph-directoryAudits-list.json', 'entra-directory-audit', 1, 0],
      ['vendor-doc-examples/graph-incident-get.json', 'graph-security-incident', 1, 0],
      ['vendor-doc-examples/graph-incidents-expand-alerts.json', 'graph-security-incident', 2, 0],
      ['vendor-doc-examples/graph-riskDetections-list.json', 'entra-risk-detection', 1, 0],
      ['vendor-doc-examples/graph-signIns-list.json', 'entra-sign-in', 1, 0],
      ['vendor-doc-examples/mdca-alerts-list.json', 'mdca-alert', 1, 0],
      ['vendor-doc-examples/xdr-incidents-list.json', 'xdr-incident', 6, 0], // 3 incidents + 3 alerts
    ]);
    for (const file of report.files.filter((file) => file.rejected)) for (const error of file.errors) expect(error.line ?? error.record).toBeGreaterThan(0);
  });

  it('joins pgustavo across three OTRF files into one user with his SID, UPN, object id and DOMAIN\\sam', async () => {
    const report = await analyze([
      `${samplesDir}defender-xdr-hunting/Microsoft365DefenderEvents.json`,
      `${samplesDir}entra-audit/AADAuditEvents.json`,
      `${samplesDir}office-activity/OfficeActivityEvents.json`,
    ]);
    const pgustavo = report.users.linked.filter((user) => user.identifiers.includes('upn:pgustavo@simulandlabs.com'));
    expect(pgustavo).toEqual([
      {
        id: 'objectId:aead923d-498b-4f64-a66c-2af91447a8b6',
        identifiers: [
          'objectId:aead923d-498b-4f64-a66c-2af91447a8b6',
          'samAccount:simulandlabs\\pgustavo',
          'sid:S-1-5-21-2490359158-13971675-3780420524-1105',
          'upn:pgustavo@simulandlabs.com',
        ],
      },
    ]);
  });
});

describe('sightline analyze: investigation priority', () => {
  it('ranks the demo tenant: the confirmed-compromised user first, every input explained, reasons printed', async () => {
    const truth = JSON.parse(readFileSync(`${demoDir}ground-truth.json`, 'utf8')) as WorkspaceTruth;
    const report = await analyze([demoDir], { windowDays: 30 });
    const idOf = (scenario: string) => `objectId:${truth.stories.find((s) => s.scenario === scenario)!.user.userId}`;
    const compromised = truth.stories.filter((s) => s.verdict === 'compromised').map((s) => `objectId:${s.user.userId}`);
    expect(report.users.top[0]).toMatchObject({
      id: idOf('confirmedCompromised'),
      upn: 'ben.sato@northwindtraders.example',
      riskLevel: 'high',
      riskState: 'confirmedCompromised',
    });
    expect(new Set(report.users.top.slice(0, compromised.length).map((u) => u.id))).toEqual(new Set(compromised));
    expect(report.users.top.length).toBeLessThanOrEqual(50);
    expect(report.scoring).toMatchObject({ algorithmVersion: ALGORITHM_VERSION, windowDays: 30, mode: 'bounded', asOf: report.timeRange.to });
    for (const user of report.users.top) {
      expect(user.inputs.length).toBeGreaterThan(0);
      expect(user.inputs.reduce((sum, input) => sum + input.contribution, 0)).toBeCloseTo(user.score, 0);
      for (const input of user.inputs)
        expect(Object.keys(input).sort()).toEqual(['base', 'contribution', 'discount', 'kind', 'multiplier', 'reason', 'recordId']);
    }
    const text = formatReport(report);
    expect(text).toContain(`Investigation priority (${ALGORITHM_VERSION}, 30 days to ${report.scoring.asOf})`);
    const rafael = text.split('\n').findIndex((line) => /^ +\d+\. rafael.zeller@/.test(line));
    expect(
      text
        .split('\n')
        .slice(rafael + 1, rafael + 4)
        .every((line) => /^ {6}\+\d+\.\d {2}/.test(line)),
    ).toBe(true);
  });

  it('takes --window-days, and refuses a window that is not a number of days', async () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['analyze', demoDir, '--json', '--window-days', '30'])).toBe(0);
    expect(JSON.parse(String(out.mock.calls[0]?.[0]))).toMatchObject({ scoring: { windowDays: 30 } });
    expect(await main(['analyze', demoDir, '--window-days', 'week'])).toBe(2);
    expect(String(err.mock.calls[0]?.[0])).toMatch(/^--window-days needs a number of days/);
  });
});
