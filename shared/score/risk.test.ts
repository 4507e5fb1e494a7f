import { describe, expect, it } from 'vitest';
import type { RiskDetectionRecord, RiskyUserRecord } from '../model/records.ts';
import { effectiveDetectionState, isAgedOut, localDetections, resetTimes, userRisk, type LocalDecision, type ScoreReset } from './risk.ts';
import { DAY_MS } from './constants.ts';

const T = Date.UTC(2026, 9, 20);

function riskyUser(time: number, riskLevel: string, riskState: string): RiskyUserRecord {
  return {
    kind: 'riskyUser',
    id: `riskyUser:u1-${time}`,
    nativeId: 'u1',
    source: 'identity-protection',
    format: 'entra-risky-user',
    time,
    timeRaw: '',
    identifiers: [],
    raw: null,
    riskLevel,
    riskState,
  };
}

function detection(n: number, time: number, riskLevel: string, riskState = 'atRisk', requestId?: string): RiskDetectionRecord {
  return {
    kind: 'riskDetection',
    id: `riskDetection:d${n}`,
    nativeId: `d${n}`,
    source: 'identity-protection',
    format: 'entra-risk-detection',
    time,
    timeRaw: '',
    identifiers: [],
    raw: null,
    riskEventType: 'unfamiliarFeatures',
    riskLevel,
    riskState,
    ...(requestId ? { requestId } : {}),
  };
}

const decision = (id: string, kind: LocalDecision['kind'], at: number, extra: Partial<LocalDecision> = {}): LocalDecision => ({
  id,
  kind,
  userId: 'objectId:u1',
  by: 'analyst@contoso.com',
  at,
  why: 'reviewed the sign-ins',
  ...extra,
});

describe('user risk as reported', () => {
  it('comes from the newest risky-user record, whatever the order they arrive in', () => {
    const risk = userRisk([riskyUser(T + 1000, 'none', 'remediated'), riskyUser(T, 'high', 'atRisk')], []);
    expect(risk).toMatchObject({ riskLevel: 'none', riskState: 'remediated', source: 'export', label: 'none (reported)' });
  });

  it('without a risky-user record, is "not reported" with the highest open detection, labelled as such', () => {
    expect(userRisk([], [detection(1, T, 'medium'), detection(2, T, 'high', 'remediated'), detection(3, T, 'low')])).toMatchObject({
      riskLevel: 'medium',
      source: 'detections',
      label: 'medium (not reported: highest open detection)',
    });
    expect(userRisk([], [])).toMatchObject({ riskLevel: 'none', label: 'not reported' });
  });

  it('keeps unknown words as they are', () => {
    expect(userRisk([riskyUser(T, 'severe', 'unknownFutureValue')], [])).toMatchObject({ riskLevel: 'severe', riskState: 'unknownFutureValue' });
  });
});

describe('local decisions, applied as Entra applies them', () => {
  it('confirm compromised: level high, state confirmedCompromised, a local detection, and the reported values kept beside', () => {
    const confirm = decision('c1', 'confirmCompromised', T + DAY_MS);
    const risk = userRisk([riskyUser(T, 'low', 'atRisk')], [], [confirm]);
    expect(risk).toMatchObject({
      riskLevel: 'high',
      riskState: 'confirmedCompromised',
      source: 'local',
      decision: confirm,
      reported: { riskLevel: 'low', riskState: 'atRisk' },
    });
    expect(risk.label).toContain('local decision, not applied in the tenant');
    expect(localDetections([confirm])).toMatchObject([
      { id: 'riskDetection:local:c1', riskEventType: 'adminConfirmedUserCompromised', riskLevel: 'high', time: T + DAY_MS },
    ]);
  });

  it('dismiss user risk: level none, state dismissed, and every detection open at that time counts as dismissed', () => {
    const dismiss = decision('d1', 'dismissUserRisk', T + DAY_MS);
    expect(userRisk([riskyUser(T, 'high', 'atRisk')], [], [dismiss])).toMatchObject({ riskLevel: 'none', riskState: 'dismissed', source: 'local' });
    expect(effectiveDetectionState(detection(1, T, 'high'), [dismiss])).toEqual({ riskState: 'dismissed', decision: dismiss });
    expect(effectiveDetectionState(detection(2, T + 2 * DAY_MS, 'high'), [dismiss])).toEqual({ riskState: 'atRisk' });
    expect(effectiveDetectionState(detection(3, T, 'high', 'remediated'), [dismiss])).toEqual({ riskState: 'remediated' });
  });

  it("confirm safe on a sign-in: that sign-in's detection stops counting, the others do not", () => {
    const safe = decision('s1', 'confirmSafe', T + DAY_MS, { target: 'signIn:req-1' });
    expect(effectiveDetectionState(detection(1, T, 'high', 'atRisk', 'req-1'), [safe])).toEqual({ riskState: 'confirmedSafe', decision: safe });
    expect(effectiveDetectionState(detection(2, T, 'high', 'atRisk', 'req-2'), [safe])).toEqual({ riskState: 'atRisk' });
    // Confirming a sign-in safe does not change the user's displayed state.
    expect(userRisk([riskyUser(T, 'high', 'atRisk')], [], [safe])).toMatchObject({ source: 'export', riskLevel: 'high' });
  });

  it('are reversible: a revoked decision no longer applies, the newest active one does', () => {
    const confirm = decision('c1', 'confirmCompromised', T + DAY_MS, { revoked: { by: 'lead@contoso.com', at: T + 2 * DAY_MS, why: 'wrong user' } });
    expect(userRisk([riskyUser(T, 'low', 'atRisk')], [], [confirm])).toMatchObject({ riskLevel: 'low', source: 'export' });
    expect(localDetections([confirm])).toEqual([]);
    const later = decision('d2', 'dismissUserRisk', T + 3 * DAY_MS);
    const earlier = decision('c2', 'confirmCompromised', T + DAY_MS);
    expect(userRisk([], [], [later, earlier])).toMatchObject({ riskState: 'dismissed', decision: later });
  });
});

describe('ageing out', () => {
  it('marks low-risk detections older than 6 months, and only those', () => {
    const old = T - 181 * DAY_MS;
    expect(isAgedOut(detection(1, old, 'low'), T)).toBe(true);
    expect(isAgedOut(detection(2, old, 'high'), T)).toBe(false);
    expect(isAgedOut(detection(3, T - 100 * DAY_MS, 'low'), T)).toBe(false);
  });
});

describe('score resets', () => {
  it("take each user's newest active reset, and forget revoked ones", () => {
    const reset = (id: string, userId: string, at: number, revoked = false): ScoreReset => ({
      id,
      userId,
      at,
      by: 'analyst',
      why: 'investigated',
      ...(revoked ? { revoked: { by: 'lead', at: at + 1, why: 'too early' } } : {}),
    });
    expect(resetTimes([reset('1', 'a', T), reset('2', 'a', T + DAY_MS), reset('3', 'b', T + 5 * DAY_MS, true), reset('4', 'b', T)])).toEqual({
      a: T + DAY_MS,
      b: T,
    });
  });
});
