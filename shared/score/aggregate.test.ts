import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { abnormalityMultiplier, aggregate, aggregateSum, bandOf, inputValue, partialZeta, popularityDiscount, rankWeight } from './aggregate.ts';
import { INPUT_CAP, SCORE_CAP_TOTAL, ZETA_1_5 } from './constants.ts';

const value = fc.double({ min: 0, max: INPUT_CAP, noNaN: true });

describe('aggregation (SCORING.md step 6)', () => {
  it('reproduces the published Elastic example: 70, 45, 21, 21, 21 give 36.16 with the cap 261.2', () => {
    expect(aggregate([70, 45, 21, 21, 21], 261.2)).toBeCloseTo(36.16, 2);
    // The order the inputs arrive in does not matter: they are sorted descending first.
    expect(aggregate([21, 70, 21, 45, 21], 261.2)).toBeCloseTo(36.16, 2);
  });

  it('derives 2.5924 as ζ(1.5) summed over 10,000 terms, and 261.2 as 100·ζ(1.5)', () => {
    expect(partialZeta(1.5, 10_000)).toBeCloseTo(ZETA_1_5, 4);
    expect(100 * partialZeta(1.5, 10_000_000)).toBeCloseTo(261.2, 0);
    expect(SCORE_CAP_TOTAL).toBeCloseTo(64.81, 2);
  });

  it('stays within 0–100 for any inputs, and reaches 100 only at the cap', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), (values) => {
        const score = aggregate(values);
        expect(score).toBeGreaterThanOrEqual(0);
        expect(score).toBeLessThanOrEqual(100);
      }),
    );
    expect(aggregate([])).toBe(0);
    expect(aggregate(Array(10_000).fill(INPUT_CAP))).toBeCloseTo(100, 2);
    expect(aggregate(Array(20_000).fill(INPUT_CAP))).toBe(100);
  });

  it('never lowers a score when an input is added', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), value, (values, added) => {
        expect(aggregate([...values, added])).toBeGreaterThanOrEqual(aggregate(values) - 1e-9);
        expect(aggregateSum([...values, added])).toBeGreaterThanOrEqual(aggregateSum(values));
      }),
    );
  });

  it('weighs the i-th largest value by 1/i^1.5', () => {
    expect(rankWeight(1)).toBe(1);
    expect(rankWeight(4)).toBe(1 / 8);
    expect(aggregate([10, 10])).toBeCloseTo((100 * (10 + 10 / 2 ** 1.5)) / SCORE_CAP_TOTAL, 9);
  });
});

describe('an input (steps 3–5)', () => {
  it('has a multiplier between 1 and 2.5 built from the four flags', () => {
    expect(abnormalityMultiplier({ firstForUser: false, uncommonForUser: false, uncommonInOrg: false, firstInOrg: false })).toBe(1);
    expect(abnormalityMultiplier({ firstForUser: true, uncommonForUser: false, uncommonInOrg: false, firstInOrg: false })).toBe(1.5);
    expect(abnormalityMultiplier({ firstForUser: true, uncommonForUser: true, uncommonInOrg: true, firstInOrg: true })).toBe(2.5);
  });

  it('is discounted when it fires for other users, and capped at 25', () => {
    expect(popularityDiscount(0)).toBe(1);
    expect(popularityDiscount(9)).toBeCloseTo(0.5, 9);
    expect(popularityDiscount(99)).toBeCloseTo(1 / 3, 9);
    expect(inputValue(10, 2.5, 1)).toBe(25);
    expect(inputValue(6, 1.5, 0.5)).toBeCloseTo(4.5, 9);
  });

  it('falls in its band', () => {
    expect([0, 19.9, 20, 39.9, 40, 69.9, 70, 89.9, 90, 100].map(bandOf)).toEqual([
      'low',
      'low',
      'guarded',
      'guarded',
      'elevated',
      'elevated',
      'high',
      'high',
      'critical',
      'critical',
    ]);
  });
});
