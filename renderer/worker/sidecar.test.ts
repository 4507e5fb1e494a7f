import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import { unpackRawText } from '../db/raw-pack.ts';
import { BlockFingerprint } from './fingerprint.ts';
import { handleSidecarMessage, hashFileOffThread, OffThreadSha256, packRawOffThread, type HashJobs } from './sidecar.ts';

const bytes = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 7 + (i >> 9)) % 256);

describe('the sidecar worker', () => {
  it('keeps interleaved files apart and gives each its SHA-256', async () => {
    const jobs: HashJobs = new Map();
    const other = new TextEncoder().encode('another file');
    for (let offset = 0; offset < bytes.length; offset += 1_000_000) {
      await handleSidecarMessage(jobs, { type: 'update', job: 1, bytes: bytes.slice(offset, offset + 1_000_000).buffer });
      if (offset === 0) await handleSidecarMessage(jobs, { type: 'update', job: 2, bytes: other.slice().buffer });
    }
    expect(await handleSidecarMessage(jobs, { type: 'digest', job: 2 })).toEqual({ type: 'digest', job: 2, hex: bytesToHex(sha256(other)) });
    expect(await handleSidecarMessage(jobs, { type: 'digest', job: 1 })).toEqual({ type: 'digest', job: 1, hex: bytesToHex(sha256(bytes)) });
    expect(jobs.size).toBe(0);
  });

  it('forgets a dropped file, and hashes an empty one', async () => {
    const jobs: HashJobs = new Map();
    await handleSidecarMessage(jobs, { type: 'update', job: 3, bytes: bytes.slice(0, 10).buffer });
    await handleSidecarMessage(jobs, { type: 'drop', job: 3 });
    expect(jobs.size).toBe(0);
    expect(((await handleSidecarMessage(jobs, { type: 'digest', job: 4 })) as { hex: string }).hex).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
  });
});

describe('a whole file hashed by the sidecar', () => {
  const big = new Uint8Array(17 * 1024 * 1024 + 5).map((_, i) => (i * 13 + (i >> 11)) % 256);
  const expected = async () => {
    const print = new BlockFingerprint();
    print.update(big);
    return { sha256: bytesToHex(sha256(big)), fingerprint: await print.digest() };
  };

  it('gives the SHA-256 and the block fingerprint of every byte, read in slices', async () => {
    const reply = await handleSidecarMessage(new Map(), { type: 'hash-file', job: 5, file: new Blob([big]) });
    expect(reply).toEqual({ type: 'file-hashes', job: 5, hashes: await expected() });
    expect(await hashFileOffThread(new Blob([big])).hashes).toEqual(await expected());
  });

  it('stops when the import drops it', async () => {
    const jobs: HashJobs = new Map();
    const hashing = handleSidecarMessage(jobs, { type: 'hash-file', job: 6, file: new Blob([big]) });
    await handleSidecarMessage(jobs, { type: 'drop', job: 6 });
    expect(await hashing).toEqual({ type: 'failed', job: 6, reason: 'dropped' });
    const local = hashFileOffThread(new Blob([big]));
    local.drop();
    await expect(local.hashes).rejects.toThrow('dropped');
  });
});

describe('OffThreadSha256 without a worker (as under Node)', () => {
  it('computes the same digest in the calling thread', async () => {
    const hasher = new OffThreadSha256();
    for (let offset = 0; offset < bytes.length; offset += 65_536) hasher.update(bytes.subarray(offset, offset + 65_536));
    expect(await hasher.digest()).toBe(bytesToHex(sha256(bytes)));
  });
});

describe('raw text packing', () => {
  it('packs a batch (in the calling thread without a worker) and answers a bad batch with a reason', async () => {
    const texts = ['{"a":1}', '{"b":"ü"}'];
    const packed = await packRawOffThread(texts);
    expect(await unpackRawText(packed, 1)).toBe(texts[1]);
    const message = (job: number, joined: string, count: number) => {
      const bytes = new TextEncoder().encode(`${joined}padding`);
      return { type: 'pack' as const, job, bytes: bytes.buffer, length: bytes.length - 'padding'.length, count };
    };
    expect(await handleSidecarMessage(new Map(), message(8, ['{"a":1}', '{"b":2}'].join('\n'), 2))).toMatchObject({
      type: 'packed',
      packed: { count: 2 },
    });
    expect(await handleSidecarMessage(new Map(), message(9, ['x\ny', 'z'].join('\n'), 2))).toEqual({
      type: 'failed',
      job: 9,
      reason: 'a batch of 2 raw texts arrived as 3: one holds a newline',
    });
  });
});
