/**
 * A fast content fingerprint of a file: SHA-256 of every 8 MiB block (native WebCrypto, so about as
 * fast as the bytes arrive), then SHA-256 of the block digests. It recognises a file imported before
 * without parsing it; the ledger's whole-file SHA-256 is computed while parsing.
 */
export const FINGERPRINT_BLOCK = 8 * 1024 * 1024;

export class BlockFingerprint {
  private block = new Uint8Array(FINGERPRINT_BLOCK);
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
    // digest() copies its input synchronously, so the block can be refilled at once.
    this.digests.push(crypto.subtle.digest('SHA-256', this.block.subarray(0, this.filled)));
    this.block = new Uint8Array(FINGERPRINT_BLOCK);
    this.filled = 0;
  }
}

function toHex(buffer: ArrayBuffer): string {
  return [...new Uint8Array(buffer)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
