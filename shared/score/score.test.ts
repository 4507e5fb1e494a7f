import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord, RiskDetectionRecord } from '../model/records.ts';
import { BaselineBuilder, BaselineIndex, type Attributed, type BaselineState } from './baseline.ts';
import { ALGORITHM_VERSION, DAY_MS, SCORE_CAP_TOTAL } from './constants.ts';
import { DEFAULT_POLICIES } from './policies.ts';
import { dailySnapshots, scoreAll, type ScoreResult, type UserScore } from './score.ts';
import { parsedTenant, type ParsedTenant } from './testing.ts';

let tenant: ParsedTenant;
let baseline: BaselineState;
let result: ScoreResult;
beforeAll(async () => {
  tenant = await parsedTenant();
  baseline = new BaselineBuilder().add(tenant.attributed).toJSON();
  // The demo's stories are spread over its month: score the whole export.
  result = scoreAll(tenant.attributed, baseline, { windowDays: 30 });
});

const byId = (r: ScoreResult) => new Map(r.users.map((u) => [u.userId, u]));
const scoresOf = (r: ScoreResult) => Object.fromEntries(r.users.map((u) => [u.userId, u.score]));
const story = (scenario: string) => tenant.truth.stories.find((s) => s.scenario === scenario)!;

describe('scoreAll on the demo tenant', () => {
  it('puts the confirmed-compromised user first and the other planted compromised users right after', () => {
    const compromised = tenant.truth.stories.filter((s) => s.verdict === 'compromised').map((s) => tenant.userIdOf(s.user.userId));
    expect(result.users[0]!.userId).toBe(tenant.userIdOf(story('confirmedCompromised').user.userId));
    expect(result.users[0]!.confirmedCompromised).toBe(true);
    expect(new Set(result.users.slice(0, compromised.length).map((u) => u.userId))).toEqual(new Set(compromised));
    const noisy = byId(result).get(tenant.userIdOf(story('noisyBenign').user.userId))!;
    expect(noisy.rank).toBeGreaterThan(Math.ceil(tenant.truth.people.length / 10));
  });

  it('records the algorithm version, the as-of time (the newest record) and the window', () => {
    const newest = Math.max(...tenant.records.map((r) => r.time));
    expect(result).toMatchObject({ algorithmVersion: ALGORITHM_VERSION, asOf: newest, window: { from: newest - 30 * DAY_MS, to: newest }, mode: 'bounded' });
  });

  it('explains every point: contributions recompute from base, m, d and rank, and add up to the score', () => {
    for (const user of result.users) {
      expect(user.score).toBeGreaterThanOrEqual(0);
      expect(user.score).toBeLessThanOrEqual(100);
      const total = user.inputs.reduce((sum, input) => sum + input.contribution, 0);
      expect(Math.min(100, total)).toBeCloseTo(user.score, 9);
      user.inputs.forEach((input, i) => {
        expect(input.rank).toBe(i + 1);
        expect(input.value).toBeCloseTo(Math.min(25, input.base * input.m * input.d), 12);
        expect(input.contribution).toBeCloseTo((100 * input.value) / (i + 1) ** 1.5 / SCORE_CAP_TOTAL, 12);
        expect(input.m).toBeGreaterThanOrEqual(1);
        expect(input.m).toBeLessThanOrEqual(2.5);
        expect(input.reason).toContain(`${input.base} points`);
        if (i > 0) expect(input.value).toBeLessThanOrEqual(user.inputs[i - 1]!.value);
      });
    }
  });

  it('lists what it did not count, with the reason, and gives it no points', () => {
    const notCounted = result.users.flatMap((u) => u.notCounted);
    const reasons = new Set(notCounted.map((n) => n.reason.replace(/ \(.*$/, '').replace(/:.*$/, '')));
    expect(reasons).toEqual(new Set(['classified false positive', 'classified benign', 'hidden by policy', 'repeats an anomaly already counted', 'explained']));
    // With every detection let in, the remediated and dismissed ones still count for nothing, by their state.
    const all = scoreAll(tenant.attributed, baseline, { windowDays: 30, policies: { ...DEFAULT_POLICIES, alertService: 'all' } });
    const states = new Set(all.users.flatMap((u) => u.notCounted.filter((n) => n.kind === 'riskDetection').map((n) => n.reason)));
    expect(states).toEqual(new Set(['remediated', 'dismissed']));
    const counted = new Set(result.users.flatMap((u) => u.inputs.map((i) => i.recordId)));
    for (const entry of notCounted) expect(counted.has(entry.recordId)).toBe(false);
    // The noisy benign user's alerts are resolved as benign or false positive: none of them counts.
    const noisy = byId(result).get(tenant.userIdOf(story('noisyBenign').user.userId))!;
    expect(noisy.inputs.filter((i) => i.kind === 'alert')).toEqual([]);
    expect(noisy.notCounted.filter((n) => n.kind === 'alert').length).toBeGreaterThan(3);
  });

  it('gives percentiles among users above 0, red at 90 and above', () => {
    const positive = result.users.filter((u) => u.score > 0);
    expect(Math.max(...positive.map((u) => u.percentile))).toBe(100);
    for (const user of result.users) {
      expect(user.red).toBe(user.percentile >= 90);
      if (user.score === 0) expect(user.percentile).toBe(0);
    }
    const sorted = [...positive].sort((a, b) => a.score - b.score);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i]!.percentile).toBeGreaterThanOrEqual(sorted[i - 1]!.percentile);
  });

  it('offers the sum mode, with the same inputs', () => {
    const sum = scoreAll(tenant.attributed, baseline, { windowDays: 30, mode: 'sum' });
    const rafael = tenant.userIdOf(story('leakedCredentials').user.userId);
    const user = byId(sum).get(rafael)!;
    expect(user.score).toBeCloseTo(
      user.inputs.reduce((s, i) => s + i.value, 0),
      9,
    );
    expect(user.inputs.map((i) => i.recordId).sort()).toEqual(
      byId(result)
        .get(rafael)!
        .inputs.map((i) => i.recordId)
        .sort(),
    );
  });
});

describe('properties SCORING.md asks for', () => {
  it('re-importing the same data, or reading a file twice, leaves every score unchanged', () => {
    const twice = [...tenant.attributed, ...tenant.attributed];
    const baselineTwice = new BaselineBuilder().add(tenant.attributed).add(tenant.attributed).toJSON();
    expect(baselineTwice).toEqual(baseline);
    expect(scoresOf(scoreAll(twice, baselineTwice, { windowDays: 30 }))).toEqual(scoresOf(result));
  });

  it('a policy change rescores at once from the same stored records and baseline, and changes back', () => {
    const index = new BaselineIndex(baseline);
    const lowered = scoreAll(tenant.attributed, index, { windowDays: 30, policies: { ...DEFAULT_POLICIES, riskySignIn: { enabled: true, threshold: 'low' } } });
    expect(lowered.hiddenByPolicy['ip:riskySignIn']).toBeUndefined();
    const moved = lowered.users.filter((u) => u.score > (byId(result).get(u.userId)?.score ?? 0) + 1e-9);
    expect(moved.length).toBeGreaterThan(0);
    expect(scoresOf(scoreAll(tenant.attributed, index, { windowDays: 30, policies: DEFAULT_POLICIES }))).toEqual(scoresOf(result));
  });

  it("adding an alert or a detection to a user never lowers that user's score, and scores stay within 0–100", () => {
    const index = new BaselineIndex(baseline);
    const users = result.users.map((u) => u.userId);
    const asOf = result.asOf;
    const extra = fc.record({
      user: fc.constantFrom(...users),
      kind: fc.constantFrom('alert', 'riskDetection'),
      level: fc.constantFrom('informational', 'low', 'medium', 'high', 'weird'),
      title: fc.constantFrom('Mass download by a single user', 'Unfamiliar sign-in properties', 'Brand new detection'),
      ago: fc.integer({ min: 0, max: 29 * DAY_MS }),
    });
    let n = 0;
    const make = (e: { user: string; kind: string; level: string; title: string; ago: number }): Attributed => {
      const time = asOf - e.ago;
      const common = { nativeId: `x${++n}`, time, timeRaw: '', identifiers: [], raw: null };
      const record =
        e.kind === 'alert'
          ? ({
              ...common,
              kind: 'alert',
              id: `alert:x${n}`,
              source: 'defender-xdr',
              format: 'test',
              title: e.title,
              severity: e.level,
              status: 'new',
              mitreTechniques: [],
              affectedUsers: [],
              ipAddresses: [],
              devices: [],
            } satisfies AlertRecord)
          : ({
              ...common,
              kind: 'riskDetection',
              id: `riskDetection:x${n}`,
              source: 'identity-protection',
              format: 'test',
              riskEventType: 'leakedCredentials',
              riskLevel: e.level,
              riskState: 'atRisk',
            } satisfies RiskDetectionRecord);
      return { userId: e.user, record };
    };
    fc.assert(
      fc.property(fc.array(extra, { maxLength: 6 }), extra, (before, added) => {
        const base = [...tenant.attributed, ...before.map(make)];
        const one = make(added);
        const scoreBefore = byId(scoreAll(base, index, { asOf, windowDays: 30 })).get(added.user)!.score;
        const after = scoreAll([...base, one], index, { asOf, windowDays: 30 });
        expect(byId(after).get(added.user)!.score).toBeGreaterThanOrEqual(scoreBefore - 1e-9);
        for (const user of after.users) expect(user.score).toBeLessThanOrEqual(100);
      }),
      { numRuns: 15 },
    );
  });
});

describe('decisions and resets', () => {
  it('a local confirm-compromised puts the user first; revoking it puts them back', () => {
    const last = result.users[result.users.length - 1]!;
    const decision = { id: 'd1', kind: 'confirmCompromised' as const, userId: last.userId, by: 'analyst', at: result.asOf - DAY_MS, why: 'called the user' };
    const confirmed = scoreAll(tenant.attributed, baseline, { windowDays: 30, decisions: [decision] });
    const top = confirmed.users.filter((u) => u.confirmedCompromised).map((u) => u.userId);
    expect(top).toContain(last.userId);
    expect(confirmed.users.slice(0, top.length).every((u) => u.confirmedCompromised)).toBe(true);
    expect(
      byId(confirmed)
        .get(last.userId)!
        .inputs.some((i) => i.recordId === 'riskDetection:local:d1'),
    ).toBe(true);
    const revoked = scoreAll(tenant.attributed, baseline, {
      windowDays: 30,
      decisions: [{ ...decision, revoked: { by: 'lead', at: result.asOf, why: 'wrong user' } }],
    });
    expect(scoresOf(revoked)).toEqual(scoresOf(result));
  });

  it('dismissing user risk stops their open detections counting, marked as a local decision', () => {
    const rafael = tenant.userIdOf(story('leakedCredentials').user.userId);
    const dismissed = scoreAll(tenant.attributed, baseline, {
      windowDays: 30,
      decisions: [{ id: 'd2', kind: 'dismissUserRisk', userId: rafael, by: 'analyst', at: result.asOf, why: 'known travel' }],
    });
    const user = byId(dismissed).get(rafael)!;
    expect(user.inputs.filter((i) => i.kind === 'riskDetection')).toEqual([]);
    expect(
      user.notCounted.filter((n) => n.kind === 'riskDetection' && n.reason.startsWith('dismissed by a local decision (known travel)')).length,
    ).toBeGreaterThan(0);
    expect(user.risk).toMatchObject({ riskLevel: 'none', riskState: 'dismissed', source: 'local' });
    expect(user.score).toBeLessThan(byId(result).get(rafael)!.score);
  });

  it('confirming a detection safe stops it counting, listed with the decision; revoking it counts it again', () => {
    const user = result.users.find((u) => u.inputs.some((i) => i.kind === 'riskDetection'))!;
    const input = user.inputs.find((i) => i.kind === 'riskDetection')!;
    const decision = {
      id: 'd3',
      kind: 'confirmSafe' as const,
      userId: user.userId,
      target: input.recordId,
      by: 'analyst',
      at: result.asOf,
      why: 'the user was travelling',
    };
    const safe = byId(scoreAll(tenant.attributed, baseline, { windowDays: 30, decisions: [decision] })).get(user.userId)!;
    expect(safe.inputs.some((i) => i.recordId === input.recordId)).toBe(false);
    expect(safe.notCounted.find((n) => n.recordId === input.recordId)?.reason).toBe('confirmedSafe by a local decision (the user was travelling)');
    expect(safe.score).toBeLessThan(user.score);
    const revoked = scoreAll(tenant.attributed, baseline, {
      windowDays: 30,
      decisions: [{ ...decision, revoked: { by: 'lead', at: result.asOf, why: 'not so' } }],
    });
    expect(scoresOf(revoked)).toEqual(scoresOf(result));
  });

  it('a reset ignores the inputs before it, and only for that user', () => {
    const target = result.users[1]!;
    const reset = scoreAll(tenant.attributed, baseline, { windowDays: 30, resets: { [target.userId]: result.asOf } });
    const user = byId(reset).get(target.userId)!;
    expect(user.score).toBe(0);
    expect(user.resetAt).toBe(result.asOf);
    expect(user.notCounted.some((n) => n.reason.startsWith("before the user's reset"))).toBe(true);
    const others = (r: ScoreResult) => r.users.filter((u) => u.userId !== target.userId).map((u: UserScore): [string, number] => [u.userId, u.score]);
    expect(new Map(others(reset))).toEqual(new Map(others(result)));
  });
});

describe('daily snapshots', () => {
  it('give one score per user per day, each equal to scoring as of that day', () => {
    const snapshots = dailySnapshots(tenant.attributed, baseline, { windowDays: 7 });
    const days = [...new Set(snapshots.map((s) => s.day))];
    // From the first day anyone has an input (the first days are the baselines' warm-up) to the last day of data, every day.
    expect(days[days.length - 1]).toBe('2026-10-31');
    days.forEach((day, i) => i && expect(Date.parse(day) - Date.parse(days[i - 1]!)).toBe(DAY_MS));
    expect(days.length).toBeGreaterThan(20);
    for (const day of days) {
      const ofDay = snapshots.filter((s) => s.day === day);
      expect(new Set(ofDay.map((s) => s.userId)).size).toBe(ofDay.length);
    }
    for (const day of [days[10]!, days[20]!, days[days.length - 1]!]) {
      const ofDay = snapshots.filter((s) => s.day === day);
      const asOf = ofDay[0]!.asOf;
      const scored = byId(scoreAll(tenant.attributed, baseline, { asOf, windowDays: 7 }));
      for (const snapshot of ofDay) {
        const user = scored.get(snapshot.userId)!;
        expect(snapshot.score).toBeCloseTo(user.score, 9);
        expect(snapshot.top.map((t) => t.recordId)).toEqual(user.inputs.slice(0, 3).map((i) => i.recordId));
      }
    }
    // Given the as-of time (the store leaves unflagged activities out), the last day is its day, never the wall clock's.
    const older = tenant.attributed.filter((item) => item.record.time < Date.parse('2026-10-25T00:00:00Z'));
    const asOf = Date.parse('2026-10-31T12:00:00Z');
    const ending = dailySnapshots(older, baseline, { windowDays: 7, asOf });
    const last = ending[ending.length - 1]!;
    expect(last).toMatchObject({ day: '2026-10-31', asOf });
    for (const snapshot of ending.filter((s) => s.day === '2026-10-31'))
      expect(snapshot.score).toBeCloseTo(byId(scoreAll(older, baseline, { asOf, windowDays: 7 })).get(snapshot.userId)!.score, 9);
    // The leaked-credentials victim is quiet until the attack at the end of the month, then jumps.
    const rafael = snapshots.filter((s) => s.userId === tenant.userIdOf(story('leakedCredentials').user.userId));
    expect(rafael[rafael.length - 1]!.score).toBeGreaterThan(40);
  });
});
