/**
 * Text decoding for exports: BOM sniffing (UTF-8, UTF-16 LE/BE as PowerShell writes them, UTF-32 LE/BE
 * when a tool is asked for it: Extractor-Suite's `-Encoding utf32`) and a NUL-byte heuristic for BOM-less UTF-16. Decoding is fatal: invalid bytes are an error that names
 * the offset, never a silent U+FFFD in the store.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be' | 'utf-32le' | 'utf-32be';

export interface SniffedEncoding {
  encoding: TextEncodingName;
  /** Bytes of byte-order mark to skip. */
  bomLength: number;
}

export function sniffEncoding(head: Uint8Array): SniffedEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  // UTF-32 LE's BOM begins like UTF-16 LE's, so it is tested first (a UTF-16 file cannot start with U+0000).
  if (head[0] === 0xff && head[1] === 0xfe && head[2] === 0 && head[3] === 0) return { encoding: 'utf-32le', bomLength: 4 };
  if (head[0] === 0 && head[1] === 0 && head[2] === 0xfe && head[3] === 0xff) return { encoding: 'utf-32be', bomLength: 4 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // ASCII text in UTF-16 has a NUL in every other byte: odd positions for LE, even for BE.
  const sample = Math.min(head.length, 512) & ~1;
  if (sample >= 4) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < sample; i += 2) {
      if (head[i] === 0) evenNul++;
      if (head[i + 1] === 0) oddNul++;
    }
    const pairs = sample / 2;
    if (oddNul > pairs * 0.6 && evenNul < pairs * 0.1) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenNul > pairs * 0.6 && oddNul < pairs * 0.1) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

export class DecodeError extends Error {
  constructor(
    message: string,
    readonly byteOffset: number,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

/**
 * The most bytes decoded into one string. Files are read in 8 MiB slices, but a string over 128 KiB goes to
 * V8's large-object space, which only a full collection frees: a million events' worth of slices (decoded,
 * then copied again by the scanner) let the import worker's heap grow by hundreds of MiB between
 * collections. Small strings die young, and cheaply. Parsing the 1M tenant's 524 MB sign-in CSV in Node:
 * peak heap 426 → 355 MiB, and 42 → 26 s (the copies went too); its 524 MB NDJSON 131 → 89 MiB, 12.9 → 8.9 s.
 */
const DECODE_PIECE_BYTES = 32 * 1024;

/**
 * Decodes a byte stream chunk by chunk, in pieces of at most `DECODE_PIECE_BYTES`. The first chunk decides
 * the encoding; chunks may split multi-byte characters anywhere (TextDecoder's streaming mode carries them over).
 */

export async function* decodeChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let decoder: ChunkDecoder | undefined;
  let consumed = 0;
  let pending: Uint8Array | undefined;
  for await (const chunk of chunks) {
    let bytes = chunk;
    if (!decoder) {
      // Wait for a few bytes so the sniffing sees a BOM or enough of a UTF-16 pattern.
      bytes = pending ? concat(pending, chunk) : chunk;
      if (bytes.length < 4) {
        pending = bytes;
        continue;
      }
      pending = undefined;
      const sniffed = sniffEncoding(bytes.subarray(0, 512));
      decoder = decoderFor(sniffed.encoding);
      bytes = bytes.subarray(sniffed.bomLength);
      consumed += sniffed.bomLength;
    }
    for (let at = 0; at < bytes.length; at += DECODE_PIECE_BYTES) {
      const piece = bytes.subarray(at, Math.min(bytes.length, at + DECODE_PIECE_BYTES));
      yield decodeOrThrow(decoder, piece, consumed, true);
      consumed += piece.length;
    }
  }
  if (!decoder && pending) {
    const sniffed = sniffEncoding(pending);
    decoder = decoderFor(sniffed.encoding);
    yield decodeOrThrow(decoder, pending.subarray(sniffed.bomLength), 0, true);
    consumed += pending.length;
  }
  if (decoder) {
    const tail = decodeOrThrow(decoder, new Uint8Array(0), consumed, false);
    if (tail) yield tail;
  }
}

function decodeOrThrow(decoder: ChunkDecoder, bytes: Uint8Array, offset: number, stream: boolean): string {
  try {
    return decoder.decode(bytes, { stream });
  } catch {
    throw new DecodeError(`invalid ${decoder.encoding} text near byte ${offset.toLocaleString('en-US')}`, offset);
  }
}

/** What decodeChunks needs of a decoder: TextDecoder's streaming `decode`, which throws on invalid bytes. */
interface ChunkDecoder {
  readonly encoding: string;
  decode(bytes: Uint8Array, options: { stream: boolean }): string;
}

function decoderFor(encoding: TextEncodingName): ChunkDecoder {
  if (encoding === 'utf-32le' || encoding === 'utf-32be') return new Utf32Decoder(encoding === 'utf-32le');
  return new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
}

/** UTF-32, which the Encoding Standard (and so TextDecoder) leaves out: four bytes per code point, carried across chunks. */
class Utf32Decoder implements ChunkDecoder {
  readonly encoding: string;
  private carry = new Uint8Array(0);

  constructor(private readonly littleEndian: boolean) {
    this.encoding = littleEndian ? 'utf-32le' : 'utf-32be';
  }

  decode(bytes: Uint8Array, options: { stream: boolean }): string {
    const all = this.carry.length ? concat(this.carry, bytes) : bytes;
    const whole = all.length - (all.length % 4);
    if (!options.stream && whole !== all.length) throw new TypeError('the text ends inside a character');
    const view = new DataView(all.buffer, all.byteOffset, whole);
    const parts: string[] = [];
    let codePoints: number[] = [];
    for (let i = 0; i < whole; i += 4) {
      const codePoint = view.getUint32(i, this.littleEndian);
      if (codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) throw new TypeError(`not a character: ${codePoint}`);
      codePoints.push(codePoint);
      if (codePoints.length === 4096) {
        parts.push(String.fromCodePoint(...codePoints));
        codePoints = [];
      }
    }
    parts.push(String.fromCodePoint(...codePoints));
    this.carry = all.slice(whole);
    return parts.join('');
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
