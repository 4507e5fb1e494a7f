/**
 * A fast content fingerprint of a file: SHA-256 of every 8 MiB block (native WebCrypto, so about as
 * fast as the bytes arrive), then SHA-256 of the block digests. It recognises a file imported before
 * without parsing it; the ledger's whole-file SHA-256 is computed while parsing.
 */
export const FINGERPRINT_BLOCK = 8 * 1024 * 1024;

export class BlockFingerprint {
  private readonly block = new Uint8Array(FINGERPRINT_BLOCK);
  private filled = 0;
  private readonly digests: Promise<ArrayBuffer>[] = [];

  update(chunk: Uint8Array): void {
    let offset = 0;
    while (offset < chunk.length) {
      const take = Math.min(chunk.length - offset, FINGERPRINT_BLOCK - this.filled);
      this.block.set(chunk.subarray(offset, offset + take), this.filled);
      this.filled += take;
      offset += take;
      if (this.filled === FINGERPRINT_BLOCK) this.flush();
    }
  }

  async digest(): Promise<string> {
    if (this.filled > 0 || this.digests.length === 0) this.flush();
    const parts = await Promise.all(this.digests);
    const joined = new Uint8Array(parts.length * 32);
    parts.forEach((part, i) => joined.set(new Uint8Array(part), i * 32));
    return toHex(await crypto.subtle.digest('SHA-256', joined));
  }

  private flush(): void {
    // digest() copies its input synchronously (WebCrypto's "get a copy of the bytes"), so the block is refilled at once.
    this.digests.push(crypto.subtle.digest('SHA-256', this.block.subarray(0, this.filled)));
    this.filled = 0;
  }
}

function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Bytes read at each end of a file for its sampled fingerprint, and at each point between. */
export const SAMPLE_EDGE = 1024 * 1024;
export const SAMPLE_POINT = 64 * 1024;
export const SAMPLE_POINTS = 16;

/** The byte ranges a sampled fingerprint reads: both ends and evenly spaced points, never overlapping. */
export function sampleRanges(size: number): [start: number, end: number][] {
  if (size <= 2 * SAMPLE_EDGE + SAMPLE_POINTS * SAMPLE_POINT) return [[0, size]];
  const ranges: [number, number][] = [[0, SAMPLE_EDGE]];
  const span = size - 2 * SAMPLE_EDGE;
  for (let i = 0; i < SAMPLE_POINTS; i++) {
    const start = SAMPLE_EDGE + Math.floor(((i + 0.5) * span) / SAMPLE_POINTS - SAMPLE_POINT / 2);
    ranges.push([start, start + SAMPLE_POINT]);
  }
  ranges.push([size - SAMPLE_EDGE, size]);
  return ranges;
}

/**
 * A fingerprint that reads about 3 MiB of a file whatever its size: SHA-256 of its size and of the
 * sampled ranges. It only vouches for a file together with the same name, size and modification time
 * (see the worker): an edit that keeps all three and falls between the samples would go unnoticed,
 * which is why any difference in any of them falls back to reading every byte.
 */
export async function sampledFingerprint(file: Blob): Promise<string> {
  const ranges = sampleRanges(file.size);
  const parts = await Promise.all(ranges.map(([start, end]) => file.slice(start, end).arrayBuffer()));
  const header = new TextEncoder().encode(`sampled-v1:${file.size}:`);
  const joined = new Uint8Array(header.length + parts.reduce((sum, part) => sum + part.byteLength, 0));
  joined.set(header);
  let offset = header.length;
  for (const part of parts) {
    joined.set(new Uint8Array(part), offset);
    offset += part.byteLength;
  }
  return toHex(await crypto.subtle.digest('SHA-256', joined));
}
