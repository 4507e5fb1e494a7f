/** The arithmetic of SCORING.md steps 3 to 6 and the bands: small pure functions the ledger cites. */
import { BANDS, FLAG_WEIGHTS, INPUT_CAP, SCORE_CAP_TOTAL, type Band } from './constants.ts';

export interface Flags {
  firstForUser: boolean;
  uncommonForUser: boolean;
  uncommonInOrg: boolean;
  firstInOrg: boolean;
}

export const NO_FLAGS: Flags = { firstForUser: false, uncommonForUser: false, uncommonInOrg: false, firstInOrg: false };

/** Step 3: m = 1 + 0.5·firstForUser + 0.25·uncommonForUser + 0.5·uncommonInOrg + 0.25·firstInOrg. */
export function abnormalityMultiplier(flags: Flags): number {
  let m = 1;
  for (const key of Object.keys(FLAG_WEIGHTS) as (keyof Flags)[]) if (flags[key]) m += FLAG_WEIGHTS[key];
  return m;
}

/** Step 4: d = 1 / (1 + log10(1 + k)), k = other users with the same alert title or detection type. */
export function popularityDiscount(otherUsers: number): number {
  return 1 / (1 + Math.log10(1 + Math.max(0, otherUsers)));
}

/** Step 5: v = base · m · d, at most the cap. */
export function inputValue(base: number, m: number, d: number): number {
  return Math.min(INPUT_CAP, base * m * d);
}

/** The weight of the i-th largest value (1-based): 1 / i^1.5. */
export function rankWeight(rank: number): number {
  return 1 / rank ** 1.5;
}

/**
 * Step 6: 100 · Σ v_i / i^1.5 / capTotal over the values sorted descending, at most 100.
 * `capTotal` is 25 · 2.5924 by default; Elastic's published example uses 261.2.
 */
export function aggregate(values: readonly number[], capTotal: number = SCORE_CAP_TOTAL): number {
  const sorted = [...values].filter((v) => v > 0).sort((a, b) => b - a);
  let sum = 0;
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]! * rankWeight(i + 1);
  return Math.min(100, (100 * sum) / capTotal);
}

/** The "sum" mode: plain Σ v, as the retired Cloud Apps score did (unbounded). */
export function aggregateSum(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + Math.max(0, v), 0);
}

export function bandOf(score: number): Band {
  for (const { band, from } of BANDS) if (score >= from) return band;
  return 'low';
}

/** Σ_{i=1..terms} 1/i^s: how the 2.5924 constant is derived (ζ(1.5) over 10,000 terms). */
export function partialZeta(s: number, terms: number): number {
  let sum = 0;
  for (let i = terms; i >= 1; i--) sum += 1 / i ** s;
  return sum;
}
