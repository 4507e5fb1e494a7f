import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashSeed, Rng } from './rng.ts';

const GUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('Rng', () => {
  it('gives the same stream for the same seed, and a different one for another seed', () => {
    const a = new Rng(20261122);
    const b = new Rng(20261122);
    const c = new Rng(20261123);
    const take = (rng: Rng) => Array.from({ length: 32 }, () => rng.nextUint32());
    const first = take(a);
    expect(take(b)).toEqual(first);
    expect(take(c)).not.toEqual(first);
  });

  it('accepts string seeds and large integer seeds', () => {
    expect(new Rng('demo').nextUint32()).toBe(new Rng('demo').nextUint32());
    expect(new Rng('demo').nextUint32()).not.toBe(new Rng('demo2').nextUint32());
    expect(new Rng(2 ** 40 + 5).nextUint32()).not.toBe(new Rng(5).nextUint32());
    expect(hashSeed('abc')).toBe(hashSeed('abc'));
  });

  it('forks independent streams without consuming the parent', () => {
    const parent = new Rng(7);
    const expected = new Rng(7).nextUint32();
    const child = parent.fork('stories');
    child.nextUint32();
    expect(parent.nextUint32()).toBe(expected);
    expect(new Rng(7).fork('stories').nextUint32()).toBe(new Rng(7).fork('stories').nextUint32());
    expect(new Rng(7).fork('a').nextUint32()).not.toBe(new Rng(7).fork('b').nextUint32());
  });

  it('keeps int, float and next inside their ranges', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: -1000, max: 1000 }), fc.integer({ min: 0, max: 1000 }), (seed, min, span) => {
        const rng = new Rng(seed);
        for (let i = 0; i < 20; i++) {
          const n = rng.int(min, min + span);
          expect(Number.isInteger(n)).toBe(true);
          expect(n).toBeGreaterThanOrEqual(min);
          expect(n).toBeLessThanOrEqual(min + span);
          const x = rng.next();
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThan(1);
        }
      }),
    );
  });

  it('makes lower-case v4-shaped GUIDs and hex of the asked length', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer({ min: 0, max: 80 }), (seed, length) => {
        const rng = new Rng(seed);
        expect(rng.guid()).toMatch(GUID_V4);
        expect(rng.hex(length)).toMatch(new RegExp(`^[0-9a-f]{${length}}$`));
      }),
    );
  });

  it('shuffles into a permutation and samples distinct items', () => {
    fc.assert(
      fc.property(fc.integer(), fc.array(fc.integer(), { maxLength: 40 }), (seed, items) => {
        const rng = new Rng(seed);
        const shuffled = rng.shuffle(items);
        expect([...shuffled].sort((a, b) => a - b)).toEqual([...items].sort((a, b) => a - b));
        const unique = [...new Set(items)];
        const count = Math.floor(unique.length / 2);
        expect(new Set(rng.sample(unique, count)).size).toBe(count);
      }),
    );
  });

  it('picks by weight, never choosing a zero weight', () => {
    const rng = new Rng(1);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 20_000; i++)
      counts[
        rng.weighted([
          ['a', 1],
          ['b', 3],
          ['c', 0],
        ] as const)
      ]++;
    expect(counts.c).toBe(0);
    expect(counts.b / counts.a).toBeGreaterThan(2.6);
    expect(counts.b / counts.a).toBeLessThan(3.4);
    expect(() => rng.weighted([['a', 0]])).toThrow();
    expect(() => rng.pick([])).toThrow();
  });

  it('draws gaussians with about the right mean and spread', () => {
    const rng = new Rng(3);
    const values = Array.from({ length: 20_000 }, () => rng.gaussian(10, 2));
    const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(10, 1);
    expect(sd).toBeGreaterThan(1.9);
    expect(sd).toBeLessThan(2.1);
    expect(rng.gaussianClamped(0, 100, -1, 1)).toBeLessThanOrEqual(1);
  });
});
