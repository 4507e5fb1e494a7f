/**
 * Policy what-if (PRODUCT.md "Where Sightline goes beyond every peer"): moving a slider shows at once
 * which alerts change state and which users' scores and ranks move, because all the data is local.
 * Pure: both sides are scored from the same records and the same baseline, nothing is re-imported.
 */
import { BaselineIndex, type Attributed, type BaselineState } from './baseline.ts';
import { applyPolicies, type PolicySettings, type PolicyVerdict } from './policies.ts';
import { scoreAll, type ScoreOptions } from './score.ts';

export interface AlertChange {
  recordId: string;
  userId: string;
  kind: 'alert' | 'riskDetection';
  label: string;
  before: PolicyVerdict;
  after: PolicyVerdict;
}

export interface UserChange {
  userId: string;
  scoreBefore: number;
  scoreAfter: number;
  rankBefore: number;
  rankAfter: number;
}

export interface WhatIf {
  alerts: AlertChange[];
  /** Alerts and detections the change would take out of the queue and the scores, and bring back. */
  hide: number;
  show: number;
  /** Alerts the change would mark excluded (kept in the queue, out of the scores), and unmark. */
  exclude: number;
  include: number;
  /** Users whose score or rank moves, the biggest score change first. */
  users: UserChange[];
  hiddenBefore: Record<string, number>;
  hiddenAfter: Record<string, number>;
}

const VISIBLE: PolicyVerdict = { hidden: false, excluded: false };
const same = (a: PolicyVerdict, b: PolicyVerdict) => a.hidden === b.hidden && a.excluded === b.excluded && a.policy === b.policy;

export function policyWhatIf(
  records: readonly Attributed[],
  baseline: BaselineState | BaselineIndex,
  before: PolicySettings,
  after: PolicySettings,
  options: Omit<ScoreOptions, 'policies'> = {},
): WhatIf {
  const index = baseline instanceof BaselineIndex ? baseline : new BaselineIndex(baseline);
  // Unattributed alerts are in the queue too: they count as hidden or shown, though they move no score.
  const items = records.filter((item) => item.record.kind === 'alert' || item.record.kind === 'riskDetection');
  const was = applyPolicies(items, before);
  const will = applyPolicies(items, after);
  const alerts: AlertChange[] = [];
  const seen = new Set<string>();
  for (const { userId, record } of items) {
    if (seen.has(record.id)) continue;
    seen.add(record.id);
    const a = was.verdicts.get(record.id) ?? VISIBLE;
    const b = will.verdicts.get(record.id) ?? VISIBLE;
    if (same(a, b)) continue;
    const label = record.kind === 'alert' ? record.title : record.kind === 'riskDetection' ? record.riskEventType : record.id;
    alerts.push({ recordId: record.id, userId, kind: record.kind as AlertChange['kind'], label, before: a, after: b });
  }
  const scoredBefore = scoreAll(records, index, { ...options, policies: before });
  const scoredAfter = scoreAll(records, index, { ...options, asOf: scoredBefore.asOf, policies: after });
  const previous = new Map(scoredBefore.users.map((u) => [u.userId, u]));
  const users: UserChange[] = [];
  for (const user of scoredAfter.users) {
    const old = previous.get(user.userId);
    if (!old || (Math.abs(old.score - user.score) < 1e-9 && old.rank === user.rank)) continue;
    users.push({ userId: user.userId, scoreBefore: old.score, scoreAfter: user.score, rankBefore: old.rank, rankAfter: user.rank });
  }
  users.sort((a, b) => Math.abs(b.scoreAfter - b.scoreBefore) - Math.abs(a.scoreAfter - a.scoreBefore) || a.rankAfter - b.rankAfter);
  const count = (test: (change: AlertChange) => boolean) => alerts.filter(test).length;
  return {
    alerts,
    hide: count((c) => !c.before.hidden && c.after.hidden),
    show: count((c) => c.before.hidden && !c.after.hidden),
    exclude: count((c) => !c.before.excluded && c.after.excluded),
    include: count((c) => c.before.excluded && !c.after.excluded),
    users,
    hiddenBefore: was.hiddenByPolicy,
    hiddenAfter: will.hiddenByPolicy,
  };
}
