import { afterEach, describe, expect, it, vi } from 'vitest';
import { samplesDir } from '../test/samples.ts';
import { analyze, formatReport } from './analyze.ts';
import { main } from './main.ts';

afterEach(() => vi.restoreAllMocks());

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
});
