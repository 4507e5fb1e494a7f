import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { BlockFingerprint, FINGERPRINT_BLOCK, SAMPLE_EDGE, sampledFingerprint, sampleRanges } from './fingerprint.ts';

/** The same construction computed independently with a JavaScript SHA-256. */
function expected(bytes: Uint8Array): string {
  const digests: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length || digests.length === 0; offset += FINGERPRINT_BLOCK)
    digests.push(sha256(bytes.subarray(offset, offset + FINGERPRINT_BLOCK)));
  const joined = new Uint8Array(digests.length * 32);
  digests.forEach((digest, i) => joined.set(digest, i * 32));
  return bytesToHex(sha256(joined));
}

describe('BlockFingerprint', () => {
  it('does not depend on how the bytes were chunked', async () => {
    const bytes = new Uint8Array(FINGERPRINT_BLOCK * 2 + 12345).map((_, i) => (i * 31) % 251);
    for (const size of [1000, 65536, FINGERPRINT_BLOCK, FINGERPRINT_BLOCK + 7]) {
      const print = new BlockFingerprint();
      for (let offset = 0; offset < bytes.length; offset += size) print.update(bytes.subarray(offset, offset + size));
      expect(await print.digest()).toBe(expected(bytes));
    }
  });

  it('tells files apart by one byte and fingerprints an empty file', async () => {
    const a = new Uint8Array(5000).fill(1);
    const b = a.slice();
    b[4999] = 2;
    const printA = new BlockFingerprint();
    printA.update(a);
    const printB = new BlockFingerprint();
    printB.update(b);
    expect(await printA.digest()).not.toBe(await printB.digest());
    expect(await new BlockFingerprint().digest()).toBe(expected(new Uint8Array(0)));
  });
});

describe('sampledFingerprint', () => {
  it('reads both ends and evenly spaced points of a large file, in order and without overlap', () => {
    for (const size of [2 * SAMPLE_EDGE + 2 * 1024 * 1024, 600 * 1024 * 1024]) {
      const ranges = sampleRanges(size);
      expect(ranges[0]).toEqual([0, SAMPLE_EDGE]);
      expect(ranges.at(-1)).toEqual([size - SAMPLE_EDGE, size]);
      ranges.slice(1).forEach(([start], i) => expect(start).toBeGreaterThanOrEqual(ranges[i]![1]));
      expect(ranges.reduce((sum, [start, end]) => sum + end - start, 0)).toBeLessThanOrEqual(3 * 1024 * 1024);
    }
    expect(sampleRanges(1000)).toEqual([[0, 1000]]);
  });

  it('changes with a byte inside a sample or with the size, not with a byte between samples', async () => {
    const size = 8 * 1024 * 1024;
    const bytes = new Uint8Array(size).map((_, i) => (i * 7) % 253);
    const base = await sampledFingerprint(new Blob([bytes]));
    expect(await sampledFingerprint(new Blob([bytes.slice()]))).toBe(base);
    const ranges = sampleRanges(size);
    const inside = bytes.slice();
    inside[ranges[3]![0] + 10]! ^= 1;
    expect(await sampledFingerprint(new Blob([inside]))).not.toBe(base);
    const lastByte = bytes.slice();
    lastByte[size - 1]! ^= 1;
    expect(await sampledFingerprint(new Blob([lastByte]))).not.toBe(base);
    expect(await sampledFingerprint(new Blob([bytes.subarray(0, size - 1)]))).not.toBe(base);
    // The documented blind spot: this is why the worker trusts it only with an unchanged modification time.
    const between = bytes.slice();
    between[ranges[1]![1] + 10]! ^= 1;
    expect(await sampledFingerprint(new Blob([between]))).toBe(base);
  });
});
