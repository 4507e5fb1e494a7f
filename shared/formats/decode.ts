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
    /** The file offset of the first byte of the first invalid character. */
    readonly byteOffset: number,
    /** The physical line it is on. */
    readonly line: number,
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
 * On invalid bytes, the text before the first one is still yielded, then a DecodeError names its offset and line:
 * the records before it are imported, as before any other fatal problem.
 */

export async function* decodeChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let decoder: TrackedDecoder | undefined;
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
      decoder = new TrackedDecoder(sniffed.encoding, sniffed.bomLength);
      bytes = bytes.subarray(sniffed.bomLength);
    }
    for (let at = 0; at < bytes.length; at += DECODE_PIECE_BYTES) {
      const { text, error } = decoder.decode(bytes.subarray(at, Math.min(bytes.length, at + DECODE_PIECE_BYTES)), true);
      if (error) {
        if (text) yield text;
        throw error;
      }
      yield text;
    }
  }
  if (!decoder && pending) {
    const sniffed = sniffEncoding(pending);
    decoder = new TrackedDecoder(sniffed.encoding, sniffed.bomLength);
    const { text, error } = decoder.decode(pending.subarray(sniffed.bomLength), true);
    if (text) yield text;
    if (error) throw error;
  }
  if (decoder) {
    const { text, error } = decoder.decode(new Uint8Array(0), false);
    if (text) yield text;
    if (error) throw error;
  }
}

/** The most bytes a decoder holds back between pieces: the start of a UTF-8 character, or a surrogate pair and a half unit. */
const MAX_CARRY = 3;

/**
 * A streaming decoder that knows where it is in the file: the offset and line of the next byte, and the last
 * bytes it was given (any character it still waits to complete is among them). Keeping that costs a newline
 * count and a view per piece (about 0.1 s over 500 MB of short CSV rows, against a 26 s import); finding the
 * first invalid byte is work done only once a piece fails.
 */
class TrackedDecoder {
  private readonly decoder: ChunkDecoder;
  /** Lines the text decoded so far has ended. */
  private newlines = 0;
  private tail: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly encoding: TextEncodingName,
    /** The file offset of the next byte: decoding starts after the BOM. */
    private offset: number,
  ) {
    this.decoder = decoderFor(encoding);
  }

  /** The piece's text, or the text before its first invalid byte and the error that locates it. */
  decode(piece: Uint8Array, stream: boolean): { text: string; error?: DecodeError } {
    let text: string;
    try {
      text = this.decoder.decode(piece, { stream });
    } catch {
      return this.locate(piece, stream);
    }
    this.newlines += countNewlines(text);
    this.tail = piece.length >= MAX_CARRY ? piece.subarray(piece.length - MAX_CARRY) : concat(this.tail, piece).slice(-MAX_CARRY);
    this.offset += piece.length;
    return { text };
  }

  /** Re-decodes the failed piece, from the character the decoder carried into it, with fresh decoders. */
  private locate(piece: Uint8Array, stream: boolean): { text: string; error: DecodeError } {
    const carried = carriedBytes(this.encoding, this.tail, this.offset);
    const bytes = concat(carried, piece);
    // At the end of the file a decoder also fails on a last character cut short, though every byte was valid.
    const cutShort = !stream && decodeFresh(this.encoding, bytes, true) !== undefined;
    const bad = firstInvalidCharacter(this.encoding, bytes, cutShort);
    const text = decodeFresh(this.encoding, bytes.subarray(0, bad), false) ?? '';
    const offset = this.offset - carried.length + bad;
    const line = 1 + this.newlines + countNewlines(text);
    return { text, error: new DecodeError(invalidTextMessage(this.encoding, offset, line, cutShort), offset, line) };
  }
}

/** What the analyst reads: where the bad byte is, and, for UTF-8, the usual cause (an ANSI file) and its fix. */
function invalidTextMessage(encoding: TextEncodingName, offset: number, line: number, truncated: boolean): string {
  const where = `invalid ${encoding.toUpperCase()} at byte ${offset.toLocaleString('en-US')} (line ${line.toLocaleString('en-US')})`;
  const problem = truncated ? 'the file ends inside a character, so it was cut short or ' : 'the file ';
  if (encoding !== 'utf-8') return `${where}: ${problem}is damaged; export it again`;
  // No guessing at Windows-1252: which code page a file is in cannot be told reliably, and a wrong guess stores wrong names.
  return `${where}: ${problem}is not UTF-8. If Excel saved it as "CSV", save it as "CSV UTF-8" (or Unicode text); if Windows PowerShell wrote it, add -Encoding UTF8; then import it again`;
}

/**
 * The bytes of the character a streaming decoder still holds after `tail`, the last bytes it was given
 * (which end at file offset `end`): the shortest suffix that starts on a code unit, on which a fresh decoder
 * produces nothing and no error. A suffix that starts inside a character fails (a lone UTF-8 continuation
 * byte, a low surrogate); one that starts before a complete character produces it.
 */
function carriedBytes(encoding: TextEncodingName, tail: Uint8Array, end: number): Uint8Array {
  const unit = encoding === 'utf-8' ? 1 : encoding.startsWith('utf-16') ? 2 : 4;
  for (let from = 0; from < tail.length; from++) {
    if ((end - tail.length + from) % unit !== 0) continue;
    if (decodeFresh(encoding, tail.subarray(from), true) === '') return tail.subarray(from);
  }
  return tail.subarray(tail.length);
}

/**
 * Where the character with the first invalid byte starts, in bytes that start on a character. A decoder
 * fails as soon as it is given the byte that shows the error, so the shortest prefix a fresh streaming decoder
 * rejects ends with that byte (a binary search finds it); the character it belongs to starts where the
 * longest complete prefix before it ends. Text that is `cutShort` has no such byte: its last character is the bad one.
 */
function firstInvalidCharacter(encoding: TextEncodingName, bytes: Uint8Array, cutShort: boolean): number {
  let start = bytes.length;
  if (!cutShort) {
    let valid = 0;
    let invalid = bytes.length;
    while (invalid - valid > 1) {
      const middle = (valid + invalid) >>> 1;
      if (decodeFresh(encoding, bytes.subarray(0, middle), true) === undefined) invalid = middle;
      else valid = middle;
    }
    start = invalid - 1;
  }
  while (start > 0 && decodeFresh(encoding, bytes.subarray(0, start), false) === undefined) start--;
  return start;
}

/** Decodes with a new decoder, or undefined where the bytes are not valid text. */
function decodeFresh(encoding: TextEncodingName, bytes: Uint8Array, stream: boolean): string | undefined {
  try {
    return decoderFor(encoding).decode(bytes, { stream });
  } catch {
    return undefined;
  }
}

function countNewlines(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
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
