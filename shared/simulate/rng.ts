/**
 * A small seeded pseudo-random number generator for the simulators.
 *
 * sfc32 (Chris Doty-Humphrey's Small Fast Counter), seeded through splitmix32. It is fast, has a
 * period of about 2^128 and passes PractRand well beyond what a demo tenant needs. Not for
 * security. Everything is 32-bit integer arithmetic, so a seed gives the same stream on every
 * JavaScript engine.
 *
 * `fork(label)` derives an independent stream from this generator's seed and a label, without
 * consuming from this one. Each behaviour generator takes its own fork, so adding a new story or
 * a new noise source never shifts the records the others produce.
 */

/** A seed: a 32-bit integer, or any string (hashed to one). */
export type Seed = number | string;

/** FNV-1a over UTF-16 code units, then a final avalanche: a 32-bit seed from a string. */
export function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return avalanche(h);
}

function avalanche(value: number): number {
  let z = value >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function seedToInt(seed: Seed): number {
  if (typeof seed === 'string') return hashSeed(seed);
  if (!Number.isFinite(seed)) throw new RangeError(`seed must be finite, got ${seed}`);
  // Keep the low 32 bits and fold in the high ones so that large integer seeds still differ.
  const low = seed >>> 0;
  const high = Math.floor(Math.abs(seed) / 0x1_0000_0000) >>> 0;
  return (low ^ avalanche(high)) >>> 0;
}

const HEX = '0123456789abcdef';

export class Rng {
  /** The 32-bit seed this stream was built from (forks derive from it). */
  readonly seed: number;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: Seed) {
    this.seed = seedToInt(seed);
    // splitmix32 to spread the seed over the four state words.
    let s = this.seed;
    const next = (): number => {
      s = (s + 0x9e3779b9) | 0;
      return avalanche(s);
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next() | 1;
    for (let i = 0; i < 15; i++) this.nextUint32();
  }

  /** An independent stream named by `label`; the parent's state is not touched. */
  fork(label: string): Rng {
    return new Rng((this.seed ^ hashSeed(label)) >>> 0);
  }

  /** A uniform 32-bit unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  next(): number {
    return this.nextUint32() / 0x1_0000_0000;
  }

  /** A uniform integer in [min, max], both inclusive. */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) throw new RangeError(`bad int range [${min}, ${max}]`);
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** A uniform float in [min, max). */
  float(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  /** One element, uniformly. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick from an empty list');
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One element, with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, weight] of entries) {
      if (weight < 0 || !Number.isFinite(weight)) throw new RangeError(`bad weight ${weight}`);
      total += weight;
    }
    if (total <= 0) throw new RangeError('weighted pick needs a positive total weight');
    let roll = this.next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    // Floating-point leftovers: the last entry with a weight.
    for (let i = entries.length - 1; i >= 0; i--) {
      const entry = entries[i];
      if (entry && entry[1] > 0) return entry[0];
    }
    throw new RangeError('unreachable');
  }

  /** A normal deviate (Box–Muller), mean `mean`, standard deviation `sd`. */
  gaussian(mean = 0, sd = 1): number {
    let u = this.next();
    while (u === 0) u = this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** A gaussian clamped to [min, max]. */
  gaussianClamped(mean: number, sd: number, min: number, max: number): number {
    return Math.min(max, Math.max(min, this.gaussian(mean, sd)));
  }

  /** A shuffled copy (Fisher–Yates). */
  shuffle<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }

  /** `count` distinct elements, in random order. */
  sample<T>(items: readonly T[], count: number): T[] {
    if (count > items.length) throw new RangeError(`cannot sample ${count} of ${items.length}`);
    return this.shuffle(items).slice(0, count);
  }

  /** `length` lower-case hex digits. */
  hex(length: number): string {
    let out = '';
    while (out.length < length) {
      let word = this.nextUint32();
      for (let i = 0; i < 8 && out.length < length; i++) {
        out += HEX[word & 0xf];
        word >>>= 4;
      }
    }
    return out;
  }

  /** A lower-case GUID shaped like a version-4 UUID (version nibble 4, variant 8–b). */
  guid(): string {
    const h = this.hex(32);
    const variant = HEX[8 + (this.nextUint32() & 3)] as string;
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }
}
