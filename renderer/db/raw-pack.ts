/**
 * The raw source text of a batch's events, stored compressed. JSON exports compress about tenfold, and
 * the raw text was the largest thing an import wrote (187 MB per 100k simulated events, written again as
 * structured-cloned strings: about a fifth of the import's IndexedDB time). The texts are cut into blocks
 * of about `RAW_BLOCK_CHARS` and each block is deflated on its own, so showing one record inflates one
 * block, not the batch.
 *
 * A text is one `JSON.stringify` result: it never holds a raw newline, so a block is its texts joined
 * by `\n`.
 */
export const RAW_BLOCK_CHARS = 256 * 1024;

export interface PackedRaw {
  /** Each block: deflate-raw of its texts joined by `\n` (UTF-8). */
  blocks: ArrayBuffer[];
  /** The index of the first text of each block. */
  starts: number[];
  count: number;
}

export async function packRawTexts(texts: readonly string[]): Promise<PackedRaw> {
  const groups: { start: number; texts: string[] }[] = [];
  let chars = RAW_BLOCK_CHARS;
  texts.forEach((text, i) => {
    if (text.includes('\n')) throw new Error(`raw text ${i} holds a newline`);
    if (chars >= RAW_BLOCK_CHARS) {
      groups.push({ start: i, texts: [] });
      chars = 0;
    }
    groups.at(-1)!.texts.push(text);
    chars += text.length + 1;
  });
  const blocks = await Promise.all(groups.map((group) => transform(new TextEncoder().encode(group.texts.join('\n')), new CompressionStream('deflate-raw'))));
  return { blocks, starts: groups.map((group) => group.start), count: texts.length };
}

/** The text at `index`, inflating only its block. */
export async function unpackRawText(packed: PackedRaw, index: number): Promise<string | undefined> {
  if (!Number.isInteger(index) || index < 0 || index >= packed.count) return undefined;
  let block = packed.starts.length - 1;
  while (block > 0 && packed.starts[block]! > index) block--;
  const bytes = await transform(new Uint8Array(packed.blocks[block]!), new DecompressionStream('deflate-raw'));
  return new TextDecoder().decode(bytes).split('\n')[index - packed.starts[block]!];
}

async function transform(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<ArrayBuffer> {
  const writer = stream.writable.getWriter();
  void writer.write(bytes as Uint8Array<ArrayBuffer>).catch(() => undefined);
  void writer.close().catch(() => undefined);
  return new Response(stream.readable).arrayBuffer();
}
