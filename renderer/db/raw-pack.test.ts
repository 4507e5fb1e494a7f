import { describe, expect, it } from 'vitest';
import { encodeRawTexts, packRawBytes, packRawTexts, RAW_BLOCK_BYTES, unpackRawText } from './raw-pack.ts';

describe('packed raw text', () => {
  const texts = Array.from({ length: 3000 }, (_, i) =>
    JSON.stringify({ id: `record-${i}`, note: 'line one\nline two', city: 'Zürich ✓', padding: 'x'.repeat((i * 37) % 900) }),
  );

  it('gives back every text, across several blocks, and is much smaller than the text', async () => {
    const packed = await packRawTexts(texts);
    expect(packed.count).toBe(texts.length);
    expect(packed.blocks.length).toBeGreaterThan(2);
    expect(packed.starts[0]).toBe(0);
    const total = texts.reduce((sum, text) => sum + text.length, 0);
    expect(total / RAW_BLOCK_BYTES).toBeGreaterThan(packed.blocks.length - 1);
    expect(packed.blocks.reduce((sum, block) => sum + block.byteLength, 0)).toBeLessThan(total / 5);
    for (const i of [0, 1, 500, 1234, packed.starts[1]!, packed.starts[1]! - 1, texts.length - 1]) expect(await unpackRawText(packed, i)).toBe(texts[i]);
  });

  it('answers nothing for an index it does not hold, and refuses a text with a raw newline', async () => {
    const packed = await packRawTexts(texts.slice(0, 3));
    expect(await unpackRawText(packed, 3)).toBeUndefined();
    expect(await unpackRawText(packed, -1)).toBeUndefined();
    await expect(packRawTexts(['{"a":1}', 'two\nlines'])).rejects.toThrow('raw text 1 holds a newline');
  });

  it('encodes texts of any script as UTF-8 joined by newlines, growing its buffer when the guess is short', () => {
    // Three bytes a character for most of these: well past the one-byte-a-character first guess.
    const wide = ['"✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓✓"', '"日本語のテキスト"', '"a"', '""', '"😀"'];
    const bytes = encodeRawTexts(wide);
    expect(new TextDecoder().decode(bytes)).toBe(wide.join('\n'));
    expect(encodeRawTexts([]).length).toBe(0);
    expect(() => encodeRawTexts(['"a"', 'b\nc'])).toThrow('raw text 1 holds a newline');
  });

  it('packs bytes into blocks that each end at a text, and checks the count it was promised', async () => {
    const packed = await packRawBytes(encodeRawTexts(texts), texts.length);
    expect(packed.starts).toEqual((await packRawTexts(texts)).starts);
    for (const [block, start] of packed.starts.entries()) {
      expect(await unpackRawText(packed, start)).toBe(texts[start]);
      if (block) expect(await unpackRawText(packed, start - 1)).toBe(texts[start - 1]);
    }
    expect(await packRawBytes(encodeRawTexts([]), 0)).toEqual({ blocks: [], starts: [], count: 0 });
    const one = await packRawBytes(encodeRawTexts(['""']), 1);
    expect(await unpackRawText(one, 0)).toBe('""');
    await expect(packRawBytes(encodeRawTexts(['"a"', '"b"']), 3)).rejects.toThrow('a batch of 3 raw texts arrived as 2');
  });
});
