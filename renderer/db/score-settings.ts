/**
 * The analyst's scoring settings in the workspace store: policies, local decisions and score resets.
 * They live in `scoreState` beside the scores they steer (the worker reads them there when it
 * rescores), so they travel with the workspace and are cleared with it. Writes only; the caller asks
 * for a rescoring (`requestRescore`) once a write is done.
 */
import { Dexie, type Table } from 'dexie';
import { policyVerdict, readPolicies, type PolicySettings } from '../../shared/score/policies.ts';
import type { DecisionKind, LocalDecision, ScoreReset } from '../../shared/score/risk.ts';
import type { PolicyHiddenView } from './filters.ts';
import type { ScoreRow, SightlineDB, StoredAlert, StoredRiskDetection } from './schema.ts';

export async function loadPolicies(db: SightlineDB): Promise<PolicySettings> {
  return readPolicies((await db.scoreState.get('policies'))?.value);
}

export async function savePolicies(db: SightlineDB, settings: PolicySettings): Promise<void> {
  await db.scoreState.put({ key: 'policies', value: readPolicies(settings) });
}

/** Why a policy hides a queue item, worded for the row's badge and the drawer. */
export interface PolicyHiddenMark {
  /** The policy's id as policyVerdict names it (`ip:riskySignIn`, `mdi:<type>`). */
  policy: string;
  /** Its name as Settings → Policies lists it. */
  name: string;
  reason: string;
}

/** Identity Protection's policies as Settings → Policies lists them (under an "Identity Protection" heading). */
const POLICY_NAMES: Record<string, string> = {
  'ip:leakedCredentials': 'Leaked credentials',
  'ip:riskySignIn': 'Risky sign-in',
  'ip:alertService': 'Identity Protection alert service',
};

/** The policy that hides this item under the settings, and why; undefined when no policy hides it. */
export function policyHiddenMark(row: StoredAlert | StoredRiskDetection, settings: PolicySettings): PolicyHiddenMark | undefined {
  const verdict = policyVerdict({ userId: row.userId ?? '', record: row }, settings);
  if (!verdict.hidden || !verdict.policy) return undefined;
  // A Defender for Identity detection policy is listed under its alert's title, whatever its id holds.
  const name = verdict.policy.startsWith('mdi:') && row.kind === 'alert' ? row.title : (POLICY_NAMES[verdict.policy] ?? verdict.policy);
  return { policy: verdict.policy, name, reason: verdict.reason ?? 'hidden by this policy' };
}

/**
 * Whether the alerts queue lists a row under these settings. By default a policy that is off or a
 * threshold hides it, exactly as it leaves it out of the scores; an excluded alert stays (marked, not
 * scored). `show` and `only` are the audit views.
 */
export function visibleUnderPolicies(settings: PolicySettings, view: PolicyHiddenView = 'hide'): (row: StoredAlert | StoredRiskDetection) => boolean {
  if (view === 'show') return () => true;
  const hidden = (row: StoredAlert | StoredRiskDetection) => policyVerdict({ userId: row.userId ?? '', record: row }, settings).hidden;
  return view === 'only' ? hidden : (row) => !hidden(row);
}

export interface DecisionLog {
  decisions: LocalDecision[];
  resets: ScoreReset[];
}

function listOf<T>(value: unknown): T[] {
  return Array.isArray(value) ? (value as T[]) : [];
}

/** Every decision and reset ever recorded, revoked ones included (the log is never rewritten, only appended to and marked). */
export async function loadDecisionLog(db: SightlineDB): Promise<DecisionLog> {
  const [decisions, resets] = await db.scoreState.bulkGet(['decisions', 'resets']);
  return { decisions: listOf<LocalDecision>(decisions?.value), resets: listOf<ScoreReset>(resets?.value) };
}

export interface Signature {
  by: string;
  at: number;
  why: string;
}

function checkSignature(signature: Signature): void {
  if (!signature.by.trim()) throw new Error('Say who decides.');
  if (!signature.why.trim()) throw new Error('Say why: the note is required.');
}

const newId = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** Appends to one of the logs in a single transaction, so two quick writes never lose each other. */
async function update<T>(db: SightlineDB, key: 'decisions' | 'resets', change: (list: T[]) => T[]): Promise<void> {
  const table = db.scoreState as Table<{ key: string; value: unknown }, string>;
  await db.transaction('rw', table, async () => {
    const list = listOf<T>((await table.get(key))?.value);
    await table.put({ key, value: change(list) });
  });
}

export async function recordDecision(db: SightlineDB, decision: { kind: DecisionKind; userId: string; target?: string } & Signature): Promise<LocalDecision> {
  checkSignature(decision);
  if (decision.kind === 'confirmSafe' && !decision.target) throw new Error('Pick the sign-in or detection that was safe.');
  const recorded: LocalDecision = {
    id: newId('decision'),
    kind: decision.kind,
    userId: decision.userId,
    ...(decision.target ? { target: decision.target } : {}),
    by: decision.by.trim(),
    at: decision.at,
    why: decision.why.trim(),
  };
  await update<LocalDecision>(db, 'decisions', (list) => [...list, recorded]);
  return recorded;
}

export async function revokeDecision(db: SightlineDB, id: string, signature: Signature): Promise<void> {
  checkSignature(signature);
  const revoked = { by: signature.by.trim(), at: signature.at, why: signature.why.trim() };
  await update<LocalDecision>(db, 'decisions', (list) => list.map((d) => (d.id === id && !d.revoked ? { ...d, revoked } : d)));
}

/** A per-user reset at `at` (inputs before it are ignored), signed by who decided it and when (`recordedAt`). */
export async function recordReset(db: SightlineDB, reset: { userId: string; at: number; recordedAt: number; by: string; why: string }): Promise<ScoreReset> {
  checkSignature({ by: reset.by, why: reset.why, at: reset.recordedAt });
  const recorded: ScoreReset = {
    id: newId('reset'),
    userId: reset.userId,
    at: reset.at,
    recordedAt: reset.recordedAt,
    by: reset.by.trim(),
    why: reset.why.trim(),
  };
  await update<ScoreReset>(db, 'resets', (list) => [...list, recorded]);
  return recorded;
}

export async function revokeReset(db: SightlineDB, id: string, signature: Signature): Promise<void> {
  checkSignature(signature);
  const revoked = { by: signature.by.trim(), at: signature.at, why: signature.why.trim() };
  await update<ScoreReset>(db, 'resets', (list) => list.map((r) => (r.id === id && !r.revoked ? { ...r, revoked } : r)));
}

export interface UserDecisionState extends DecisionLog {
  /** The user's stored priority with its risk (reported, and local decisions applied), as the last rescoring left it. */
  score?: ScoreRow;
  /** The user's risk detections, newest first: what "confirm safe" can point at. */
  detections: StoredRiskDetection[];
}

/** What the user page's decisions panel shows: this user's decisions and resets, their risk and score, their detections. */
export async function getUserDecisionState(db: SightlineDB, userId: string): Promise<UserDecisionState> {
  const [log, score, detections] = await Promise.all([
    loadDecisionLog(db),
    db.scores.get(userId),
    db.riskDetections.where('[userId+time]').between([userId, Dexie.minKey], [userId, Dexie.maxKey]).reverse().toArray(),
  ]);
  return {
    decisions: log.decisions.filter((d) => d.userId === userId),
    resets: log.resets.filter((r) => r.userId === userId),
    score,
    detections,
  };
}
