/**
 * Policies, decisions and resets saved in the store act on stored data with no re-import: the alerts
 * queue hides what a policy hides (the pure verdict is the oracle), the stored scores follow, and the
 * preview the Policies panel shows predicts exactly what saving then does.
 */
import 'fake-indexeddb/auto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAll } from '../../shared/formats/parse.ts';
import type { NormalizedRecord } from '../../shared/model/records.ts';
import { DEFAULT_POLICIES, policyVerdict, type PolicySettings } from '../../shared/score/policies.ts';
import { encodeText } from '../../shared/simulate/sink.ts';
import { DEMO_SCALE_OPTIONS, GROUND_TRUTH_FILE, README_FILE, generateWorkspace } from '../../shared/simulate/workspace.ts';
import { db } from './index.ts';
import { Ingestor } from './ingest.ts';
import { listAlertQueue, type QueueItem } from './repo.ts';
import { loadDecisionLog, loadPolicies, recordDecision, recordReset, revokeDecision, revokeReset, savePolicies } from './score-settings.ts';
import { loadBaseline, previewPolicies, rescoreWorkspace, saveBaseline } from './scoring.ts';

beforeAll(async () => {
  const workspace = generateWorkspace({ ...DEMO_SCALE_OPTIONS, seed: 3, users: 40, events: 4000 });
  await db.open();
  await Promise.all(db.tables.map((table) => table.clear()));
  const builder = await loadBaseline(db);
  const ingestor = await Ingestor.open(db);
  ingestor.onCommit = ({ attributed, merges }) => {
    for (const { from, into } of merges) builder.mergeUsers(from, into);
    builder.add(attributed);
  };
  for (const file of workspace.files) {
    if (file.path === GROUND_TRUTH_FILE || file.path === README_FILE) continue;
    const { records } = await parseAll(file.path, encodeText(file.content, file.encoding));
    const list: NormalizedRecord[] = records;
    if (list.length) await ingestor.writeBatch('i1', file.path, 1, list);
  }
  await saveBaseline(db, builder);
  await rescoreWorkspace(db);
}, 120_000);

afterAll(async () => {
  await db.delete();
});

async function wholeQueue(): Promise<QueueItem[]> {
  const rows: QueueItem[] = [];
  let page = await listAlertQueue({}, 37);
  rows.push(...page.rows);
  while (page.next) {
    page = await listAlertQueue({}, 37, page.next);
    rows.push(...page.rows);
  }
  return rows;
}

async function everyQueueItem(): Promise<QueueItem[]> {
  return [...(await db.alerts.toArray()), ...(await db.riskDetections.toArray())] as QueueItem[];
}

// Turning Identity Protection's alert service off takes its alerts and detections out of the window's scores.
const serviceOff: PolicySettings = { ...DEFAULT_POLICIES, alertService: 'off' };

describe('policies saved in the store', () => {
  it('start at the defaults, and the queue shows exactly what they do not hide, page after page', async () => {
    expect(await loadPolicies(db)).toEqual(DEFAULT_POLICIES);
    const all = await everyQueueItem();
    const expected = all.filter((row) => !policyVerdict({ userId: row.userId, record: row }, DEFAULT_POLICIES).hidden).map((row) => row.id);
    expect(expected.length).toBeLessThan(all.length);
    expect((await wholeQueue()).map((row) => row.id).sort()).toEqual(expected.sort());
  });

  it('preview a change exactly as saving it then acts: queue counts, scores and ranks, with no re-import', async () => {
    const before = await previewPolicies(db, undefined);
    expect(before.whatIf).toBeUndefined();
    expect(before.hiddenByPolicy['ip:riskySignIn']).toBeGreaterThan(0);
    const queueBefore = (await wholeQueue()).length;
    const scoresBefore = new Map((await db.scores.toArray()).map((row) => [row.userId, row]));

    const preview = await previewPolicies(db, serviceOff);
    const whatIf = preview.whatIf!;
    // Everything of Identity Protection that the Risky sign-in threshold did not already hide.
    const identityProtection = (await everyQueueItem()).filter((row) => policyVerdict({ userId: row.userId, record: row }, serviceOff).hidden);
    expect(whatIf.hide).toBe(identityProtection.length - before.hiddenByPolicy['ip:riskySignIn']!);
    expect(whatIf.show).toBe(0);
    expect(whatIf.users.length).toBeGreaterThan(0);

    const imports = await db.imports.count();
    await savePolicies(db, serviceOff);
    await rescoreWorkspace(db);
    expect(await db.imports.count()).toBe(imports);
    expect((await wholeQueue()).length).toBe(queueBefore - whatIf.hide);
    const scoresAfter = new Map((await db.scores.toArray()).map((row) => [row.userId, row]));
    for (const change of whatIf.users) {
      expect(scoresBefore.get(change.userId)?.score ?? 0).toBeCloseTo(change.scoreBefore, 9);
      expect(scoresAfter.get(change.userId)!.score).toBeCloseTo(change.scoreAfter, 9);
      expect(scoresAfter.get(change.userId)!.rank).toBe(change.rankAfter);
    }
    // Users the preview did not name kept their score.
    const moved = new Set(whatIf.users.map((u) => u.userId));
    for (const [userId, row] of scoresAfter) if (!moved.has(userId)) expect(row.score).toBeCloseTo(scoresBefore.get(userId)?.score ?? 0, 9);

    // And back: the same store, the first scores.
    await savePolicies(db, DEFAULT_POLICIES);
    await rescoreWorkspace(db);
    expect((await wholeQueue()).length).toBe(queueBefore);
    for (const row of await db.scores.toArray()) expect(row.score).toBeCloseTo(scoresBefore.get(row.userId)!.score, 9);
  }, 60_000);

  it('end each trend on the day of the stored as-of time, at the stored score', async () => {
    const scores = await db.scores.toArray();
    const asOf = scores[0]!.asOf;
    for (const trend of await db.scoreTrends.toArray()) {
      const last = trend.days[trend.days.length - 1]!;
      expect(last.day).toBe(new Date(asOf).toISOString().slice(0, 10));
      expect(last.score).toBeCloseTo(scores.find((s) => s.userId === trend.userId)!.score, 9);
    }
  });
});

describe('local decisions and resets in the store', () => {
  it('are recorded with who, when and why, change the risk and rank at the next rescoring, and revert when reset', async () => {
    const last = (await db.scores.orderBy('rank').toArray()).at(-1)!;
    await expect(recordDecision(db, { kind: 'confirmCompromised', userId: last.userId, by: 'Ada', at: 1, why: ' ' })).rejects.toThrow(/why/);
    const decision = await recordDecision(db, { kind: 'confirmCompromised', userId: last.userId, by: ' Ada ', at: 1_800_000_000_000, why: 'called the user' });
    expect(decision).toMatchObject({ by: 'Ada', why: 'called the user', at: 1_800_000_000_000 });
    await rescoreWorkspace(db);
    const confirmed = (await db.scores.get(last.userId))!;
    expect(confirmed.risk).toMatchObject({ riskLevel: 'high', riskState: 'confirmedCompromised', source: 'local' });
    // Confirmed compromised users rank above everyone, whatever their score.
    const confirmedUsers = (await db.scores.toArray()).filter((row) => row.confirmedCompromised).length;
    expect(confirmed.rank).toBeLessThanOrEqual(confirmedUsers);
    expect(last.rank).toBeGreaterThan(confirmedUsers);

    await revokeDecision(db, decision.id, { by: 'Lead', at: 1_800_000_100_000, why: 'wrong user' });
    await rescoreWorkspace(db);
    expect((await db.scores.get(last.userId))!).toMatchObject({ rank: last.rank, risk: { riskState: last.risk.riskState } });
    const log = await loadDecisionLog(db);
    expect(log.decisions).toEqual([{ ...decision, revoked: { by: 'Lead', at: 1_800_000_100_000, why: 'wrong user' } }]);
  });

  it('a reset at the as-of time takes the user to 0 until it is revoked', async () => {
    const top = (await db.scores.orderBy('rank').toArray()).find((row) => row.score > 0)!;
    const reset = await recordReset(db, { userId: top.userId, at: top.asOf, recordedAt: 1_800_000_000_000, by: 'Ada', why: 'investigated, nothing found' });
    await rescoreWorkspace(db);
    expect((await db.scores.get(top.userId))!).toMatchObject({ score: 0, resetAt: top.asOf });
    await revokeReset(db, reset.id, { by: 'Ada', at: 1_800_000_000_001, why: 'new evidence' });
    await rescoreWorkspace(db);
    expect((await db.scores.get(top.userId))!.score).toBeCloseTo(top.score, 9);
  });
});
