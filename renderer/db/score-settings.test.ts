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
import type { AlertFilter } from './filters.ts';
import { listAlertQueue, type QueueItem, type QueueRow, type QueueSort } from './repo.ts';
import {
  loadDecisionLog,
  loadPolicies,
  policyHiddenMark,
  recordDecision,
  recordReset,
  revokeDecision,
  revokeReset,
  savePolicies,
  visibleUnderPolicies,
} from './score-settings.ts';
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

async function wholeQueue(filter: AlertFilter = {}, sort?: QueueSort): Promise<QueueRow[]> {
  const rows: QueueRow[] = [];
  let page = await listAlertQueue(filter, 37, undefined, sort);
  rows.push(...page.rows);
  while (page.next) {
    page = await listAlertQueue(filter, 37, page.next, sort);
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

  it('list what they hide on demand, each item marked with the policy and the reason, and only that with `only`', async () => {
    const all = await everyQueueItem();
    const hiddenIds = all.filter((row) => policyVerdict({ userId: row.userId, record: row }, DEFAULT_POLICIES).hidden).map((row) => row.id);
    expect(hiddenIds.length).toBeGreaterThan(0);
    for (const sort of ['-time', 'severity'] as const) {
      const shown = await wholeQueue({ policyHidden: 'show' }, sort);
      expect(shown.map((row) => row.id).sort()).toEqual(all.map((row) => row.id).sort());
      expect(
        shown
          .filter((row) => row.policyHidden)
          .map((row) => row.id)
          .sort(),
      ).toEqual([...hiddenIds].sort());
      const only = await wholeQueue({ policyHidden: 'only' }, sort);
      expect(only.map((row) => row.id).sort()).toEqual([...hiddenIds].sort());
      expect(only.every((row) => row.policyHidden)).toBe(true);
    }
    // The default and an explicit `hide` list the same, unmarked.
    const hide = await wholeQueue({ policyHidden: 'hide' });
    expect(hide.map((row) => row.id)).toEqual((await wholeQueue()).map((row) => row.id));
    expect(hide.some((row) => row.policyHidden)).toBe(false);
    // Other filters still apply on top.
    const detections = await wholeQueue({ policyHidden: 'only', sources: ['identity-protection'] });
    expect(detections.length).toBeGreaterThan(0);
    expect(detections.every((row) => row.source === 'identity-protection' && row.policyHidden)).toBe(true);
    // The default Risky sign-in threshold (High) is what hides them, and the mark says so by name.
    expect(detections[0]!.policyHidden).toEqual({
      policy: 'ip:riskySignIn',
      name: 'Risky sign-in',
      reason: expect.stringMatching(/^(medium|low|none|hidden|unknown) is below the Risky sign-in \(Identity Protection\) threshold \(high\)$/) as string,
    });
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

describe('the queue’s policy views (pure)', () => {
  const detection = (riskLevel: string, riskEventType = 'unfamiliarFeatures') =>
    ({ kind: 'riskDetection', id: `riskDetection:${riskLevel}`, userId: 'u1', riskLevel, riskEventType }) as unknown as QueueItem;
  const mdiAlert = {
    kind: 'alert',
    id: 'alert:1',
    userId: 'u1',
    title: 'Suspected DCSync attack (replication of directory services)',
    alertType: 'DirectoryServicesReplication',
    serviceSource: 'microsoftDefenderForIdentity',
    severity: 'high',
    identifiers: [],
    affectedUsers: [],
    devices: [],
    ipAddresses: [],
  } as unknown as QueueItem;
  const mdiOff: PolicySettings = {
    ...DEFAULT_POLICIES,
    detections: { 'mdi:DirectoryServicesReplication': { enabled: false, exclusions: { users: [], devices: [], ips: [] } } },
  };

  it('hide, show or keep only what a policy hides', () => {
    const rows = [detection('high'), detection('medium'), detection('low', 'leakedCredentials')];
    const ids = (view?: 'hide' | 'show' | 'only') => rows.filter(visibleUnderPolicies(DEFAULT_POLICIES, view)).map((row) => row.id);
    expect(ids()).toEqual(['riskDetection:high', 'riskDetection:low']);
    expect(ids('hide')).toEqual(ids());
    expect(ids('show')).toEqual(rows.map((row) => row.id));
    expect(ids('only')).toEqual(['riskDetection:medium']);
  });

  it('name the policy as Settings lists it, with the verdict’s reason', () => {
    expect(policyHiddenMark(detection('high'), DEFAULT_POLICIES)).toBeUndefined();
    expect(policyHiddenMark(detection('low'), DEFAULT_POLICIES)).toEqual({
      policy: 'ip:riskySignIn',
      name: 'Risky sign-in',
      reason: 'low is below the Risky sign-in (Identity Protection) threshold (high)',
    });
    expect(policyHiddenMark(detection('low'), { ...DEFAULT_POLICIES, alertService: 'off' })).toMatchObject({
      name: 'Identity Protection alert service',
      reason: 'the Identity Protection alert service is off',
    });
    // A detection policy goes by its alert's title, not the type code in its id.
    expect(policyHiddenMark(mdiAlert, DEFAULT_POLICIES)).toBeUndefined();
    expect(policyHiddenMark(mdiAlert, mdiOff)).toEqual({
      policy: 'mdi:DirectoryServicesReplication',
      name: 'Suspected DCSync attack (replication of directory services)',
      reason: 'the detection policy "Suspected DCSync attack (replication of directory services)" is off',
    });
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
