/**
 * The raw source text of a batch's events, stored compressed. JSON exports compress about tenfold, and
 * the raw text was the largest thing an import wrote (187 MB per 100k simulated events, written again as
 * structured-cloned strings: about a fifth of the import's IndexedDB time). The texts are cut into blocks
 * of about `RAW_BLOCK_BYTES` and each block is deflated on its own, so showing one record inflates one
 * block, not the batch.
 *
 * A text is one `JSON.stringify` result: it never holds a raw newline, so a block is its texts joined
 * by `\n`, in UTF-8. The batch travels to the compressing thread as those bytes (`encodeRawTexts`),
 * in a transferred buffer: joining ~10,000 texts into one string, cloned again on the way, put tens of
 * megabytes of short-lived strings on both threads' heaps for every batch.
 */
export const RAW_BLOCK_BYTES = 256 * 1024;

export interface PackedRaw {
  /** Each block: deflate-raw of its texts joined by `\n` (UTF-8). */
  blocks: ArrayBuffer[];
  /** The index of the first text of each block. */
  starts: number[];
  count: number;
}

const NEWLINE = 0x0a;

/** The texts as UTF-8, joined by `\n` (a view of a buffer that may be a little longer: transfer `.buffer`). */
export function encodeRawTexts(texts: readonly string[]): Uint8Array<ArrayBuffer> {
  const encoder = new TextEncoder();
  let chars = 0;
  for (const text of texts) chars += text.length + 1;
  // Exports are mostly ASCII: one byte a character, with room to spare before growing.
  let buffer = new Uint8Array(Math.ceil(chars * 1.1) + 16);
  let at = 0;
  texts.forEach((text, i) => {
    if (text.includes('\n')) throw new Error(`raw text ${i} holds a newline`);
    for (;;) {
      const room = i ? buffer.length - at - 1 : buffer.length - at;
      if (room >= 0) {
        const { read, written } = encoder.encodeInto(text, buffer.subarray(at + (i ? 1 : 0)));
        if (read === text.length) {
          if (i) buffer[at++] = NEWLINE;
          at += written;
          return;
        }
      }
      const grown = new Uint8Array(Math.max(buffer.length * 2, at + 1 + text.length * 3));
      grown.set(buffer.subarray(0, at));
      buffer = grown;
    }
  });
  return buffer.subarray(0, at);
}

/** Compresses a batch encoded by `encodeRawTexts`; `count` is how many texts it must hold. */
export async function packRawBytes(bytes: Uint8Array<ArrayBuffer>, count: number): Promise<PackedRaw> {
  if (!count && !bytes.length) return { blocks: [], starts: [], count: 0 };
  const ranges: { start: number; from: number; to: number }[] = [];
  let texts = 0;
  let blockFrom = 0;
  let blockStart = 0;
  for (let from = 0; ;) {
    const newline = bytes.indexOf(NEWLINE, from);
    const end = newline < 0 ? bytes.length : newline;
    texts++;
    if (newline < 0 || end + 1 - blockFrom >= RAW_BLOCK_BYTES) {
      ranges.push({ start: blockStart, from: blockFrom, to: end });
      blockFrom = end + 1;
      blockStart = texts;
    }
    if (newline < 0) break;
    from = newline + 1;
  }
  if (texts !== count) throw new Error(`a batch of ${count} raw texts arrived as ${texts}: one holds a newline`);
  const blocks = await Promise.all(ranges.map(({ from, to }) => transform(bytes.subarray(from, to), new CompressionStream('deflate-raw'))));
  return { blocks, starts: ranges.map((range) => range.start), count };
}

/** Async, so a text holding a newline is a rejection like every other failure to pack. */
export async function packRawTexts(texts: readonly string[]): Promise<PackedRaw> {
  return packRawBytes(encodeRawTexts(texts), texts.length);
}

/** Parts packed one after another, as one: the texts of the second follow those of the first. */
export function concatPacked(parts: readonly PackedRaw[]): PackedRaw {
  if (parts.length === 1) return parts[0]!;
  const packed: PackedRaw = { blocks: [], starts: [], count: 0 };
  for (const part of parts) {
    packed.blocks.push(...part.blocks);
    packed.starts.push(...part.starts.map((start) => start + packed.count));
    packed.count += part.count;
  }
  return packed;
}

/** The text at `index`, inflating only its block. */
export async function unpackRawText(packed: PackedRaw, index: number): Promise<string | undefined> {
  if (!Number.isInteger(index) || index < 0 || index >= packed.count) return undefined;
  let block = packed.starts.length - 1;
  while (block > 0 && packed.starts[block]! > index) block--;
  const bytes = await transform(new Uint8Array(packed.blocks[block]!), new DecompressionStream('deflate-raw'));
  return new TextDecoder().decode(bytes).split('\n')[index - packed.starts[block]!];
}

async function transform(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream): Promise<ArrayBuffer> {
  const writer = stream.writable.getWriter();
  void writer.write(bytes).catch(() => undefined);
  void writer.close().catch(() => undefined);
  return new Response(stream.readable).arrayBuffer();
}
