/**
 * The analysis report: counts over a stream of normalized records, users reconciled across sources.
 * Pure, so the command line and tests build the same document; it holds counters, never the records.
 */
import type { NormalizedRecord } from '../model/records.ts';
import { identifierKey } from '../model/identity.ts';
import { IdentityResolver } from '../model/resolver.ts';
import type { FileSummary, RecordError } from '../formats/parse.ts';
import type { Attributed } from '../score/baseline.ts';
import { BaselineBuilder } from '../score/baseline.ts';
import { WINDOW_DAYS } from '../score/constants.ts';
import { scoreAll, type ScoreOptions, type ScoreResult } from '../score/score.ts';

export interface FileReport {
  path: string;
  format: string | null;
  formatLabel?: string;
  /** Formats of records the file's own format could not read (mixed files). */
  otherFormats?: string[];
  /** How its slash dates were read, and whether its own dates left that to the month-first default. */
  dateOrder?: 'month-first' | 'day-first';
  dateOrderGuessed?: true;
  /** Field values cleaned before they were kept, and the first, located. */
  cleaned?: { values: number; first: RecordError };
  container?: string;
  bytes: number;
  accepted: number;
  rejected: number;
  unattributed: number;
  skipped?: string;
  fatal?: RecordError;
  errors: { line?: number; record?: number; field?: string; reason: string }[];
}

/** One input of a top user's score, as the report prints it. */
export interface TopUserInput {
  recordId: string;
  kind: string;
  base: number;
  multiplier: number;
  discount: number;
  contribution: number;
  reason: string;
}

/** A user among the highest investigation priorities. */
export interface TopUser {
  id: string;
  upn: string | null;
  score: number;
  band: string;
  percentile: number;
  riskLevel: string;
  riskState: string;
  inputs: TopUserInput[];
}

/** How many users the report ranks. */
export const TOP_USERS = 50;

export interface AnalysisReport {
  files: FileReport[];
  users: { count: number; linked: { id: string; identifiers: string[] }[]; top: TopUser[] };
  /** The investigation priority's parameters, so the figures can be reproduced. */
  scoring: { algorithmVersion: string; asOf: string | null; windowDays: number; mode: string; hiddenByPolicy: Record<string, number> };
  alerts: { count: number; bySource: Record<string, number>; bySeverity: Record<string, number> };
  riskDetections: { count: number; byType: Record<string, number>; byLevel: Record<string, number>; byState: Record<string, number> };
  riskyUsers: { count: number; byLevel: Record<string, number>; byState: Record<string, number> };
  signIns: { count: number };
  activities: { count: number; byKind: Record<string, number> };
  incidents: { count: number };
  unattributed: number;
  timeRange: { from: string | null; to: string | null };
}

const round = (value: number, digits = 2) => Math.round(value * 10 ** digits) / 10 ** digits;

function bump(counter: Record<string, number>, key: string | undefined): void {
  const name = key || 'unknown';
  counter[name] = (counter[name] ?? 0) + 1;
}

/** Accumulates records and file summaries into an AnalysisReport. Duplicate records (same id) count once. */
export class ReportBuilder {
  private readonly resolver = new IdentityResolver();
  private readonly seen = new Set<string>();
  /** Each distinct combination of identifiers a record carried, as sorted keys joined by a space. */
  private readonly combinations = new Set<string>();
  private readonly files: FileReport[] = [];
  private readonly report: Omit<AnalysisReport, 'files' | 'users' | 'timeRange' | 'scoring'> = {
    alerts: { count: 0, bySource: {}, bySeverity: {} },
    riskDetections: { count: 0, byType: {}, byLevel: {}, byState: {} },
    riskyUsers: { count: 0, byLevel: {}, byState: {} },
    signIns: { count: 0 },
    activities: { count: 0, byKind: {} },
    incidents: { count: 0 },
    unattributed: 0,
  };
  private from = Infinity;
  private to = -Infinity;
  /** What the score reads, without the raw source records: alerts, detections, risky users, sign-ins and activities. */
  private readonly scoring: NormalizedRecord[] = [];

  addRecords(records: readonly NormalizedRecord[]): void {
    for (const record of records) {
      if (this.seen.has(record.id)) continue;
      this.seen.add(record.id);
      const resolution = this.resolver.resolve(record.identifiers, record.id, record.time);
      if (!resolution.userId) this.report.unattributed++;
      else {
        this.combinations.add(record.identifiers.map(identifierKey).sort().join(' '));
        if (record.kind !== 'incident') this.scoring.push({ ...record, raw: undefined });
      }
      if (Number.isFinite(record.time)) {
        this.from = Math.min(this.from, record.time);
        this.to = Math.max(this.to, record.time);
      }
      const r = this.report;
      switch (record.kind) {
        case 'alert':
          r.alerts.count++;
          bump(r.alerts.bySource, record.source);
          bump(r.alerts.bySeverity, record.severity);
          break;
        case 'riskDetection':
          r.riskDetections.count++;
          bump(r.riskDetections.byType, record.riskEventType);
          bump(r.riskDetections.byLevel, record.riskLevel);
          bump(r.riskDetections.byState, record.riskState);
          break;
        case 'riskyUser':
          r.riskyUsers.count++;
          bump(r.riskyUsers.byLevel, record.riskLevel);
          bump(r.riskyUsers.byState, record.riskState);
          break;
        case 'signIn':
          r.signIns.count++;
          break;
        case 'activity':
          r.activities.count++;
          bump(r.activities.byKind, record.activityType);
          break;
        case 'incident':
          r.incidents.count++;
          break;
      }
    }
  }

  addFile(path: string, summary: FileSummary): void {
    this.files.push({
      path,
      format: summary.format ?? null,
      formatLabel: summary.formatLabel,
      ...(summary.otherFormats ? { otherFormats: summary.otherFormats } : {}),
      ...(summary.dateOrder ? { dateOrder: summary.dateOrder } : {}),
      ...(summary.dateOrderGuessed ? { dateOrderGuessed: summary.dateOrderGuessed } : {}),
      ...(summary.cleaned ? { cleaned: summary.cleaned } : {}),
      container: summary.container,
      bytes: summary.bytes,
      accepted: summary.accepted,
      rejected: summary.rejected,
      unattributed: summary.unattributed,
      ...(summary.skipped ? { skipped: summary.skipped } : {}),
      ...(summary.fatal ? { fatal: summary.fatal } : {}),
      errors: summary.errors.map(({ line, record, field, reason }) => ({ line, record, field, reason })),
    });
  }

  /**
   * Every scored record with its user as the resolver sees them now: a user folded into another
   * after a record was read is attributed to the survivor.
   */
  attributed(): Attributed[] {
    const userOf = new Map(this.resolver.links().map((link) => [link.key, link.userId]));
    return this.scoring.map((record) => ({ userId: userOf.get(identifierKey(record.identifiers[0]!)) ?? '', record }));
  }

  /** The investigation priority of every user, with the baseline built from the same records. */
  score(options: ScoreOptions = {}): ScoreResult {
    const attributed = this.attributed();
    const baseline = new BaselineBuilder().add(attributed);
    return scoreAll(attributed, baseline.state, options);
  }

  /** Each user's UPN (the newest-linked one when a user was renamed), for display. */
  upns(): Map<string, string> {
    const newest = new Map<string, { value: string; firstSeen: number }>();
    for (const link of this.resolver.links()) {
      if (link.type !== 'upn') continue;
      const known = newest.get(link.userId);
      if (!known || link.firstSeen > known.firstSeen) newest.set(link.userId, { value: link.value, firstSeen: link.firstSeen });
    }
    return new Map([...newest].map(([userId, upn]) => [userId, upn.value]));
  }

  build(options: ScoreOptions = {}): AnalysisReport {
    const scores = this.score(options);
    const upns = this.upns();
    const top: TopUser[] = scores.users
      .filter((user) => user.score > 0 || user.confirmedCompromised)
      .slice(0, TOP_USERS)
      .map((user) => ({
        id: user.userId,
        upn: upns.get(user.userId) ?? null,
        score: round(user.score),
        band: user.band,
        percentile: round(user.percentile),
        riskLevel: user.risk.riskLevel,
        riskState: user.risk.riskState,
        inputs: user.inputs.map((input) => ({
          recordId: input.recordId,
          kind: input.kind,
          base: input.base,
          multiplier: input.m,
          discount: round(input.d, 4),
          contribution: round(input.contribution),
          reason: input.reason,
        })),
      }));
    const links = new Map(this.resolver.links().map((link) => [link.key, link]));
    const byUser = new Map<string, { identifiers: string[]; combinations: number }>();
    for (const link of links.values()) {
      const user = byUser.get(link.userId) ?? { identifiers: [], combinations: 0 };
      user.identifiers.push(link.key);
      byUser.set(link.userId, user);
    }
    // A user is "linked" when records naming it in different ways were joined: the reconciliation mattered.
    for (const combination of this.combinations) {
      const owner = links.get(combination.split(' ')[0]!)?.userId;
      const user = owner ? byUser.get(owner) : undefined;
      if (user) user.combinations++;
    }
    const linked = [...byUser.entries()]
      .filter(([, user]) => user.combinations > 1)
      .map(([id, user]) => ({ id, identifiers: user.identifiers.sort() }))
      .sort((a, b) => a.id.localeCompare(b.id));
    return {
      files: this.files,
      users: { count: byUser.size, linked, top },
      scoring: {
        algorithmVersion: scores.algorithmVersion,
        asOf: this.scoring.length ? new Date(scores.asOf).toISOString() : null,
        windowDays: options.windowDays ?? WINDOW_DAYS,
        mode: scores.mode,
        hiddenByPolicy: scores.hiddenByPolicy,
      },
      ...this.report,
      timeRange: {
        from: Number.isFinite(this.from) ? new Date(this.from).toISOString() : null,
        to: Number.isFinite(this.to) ? new Date(this.to).toISOString() : null,
      },
    };
  }
}
