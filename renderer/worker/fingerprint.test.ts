import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { BlockFingerprint, FINGERPRINT_BLOCK } from './fingerprint.ts';

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
