import { describe, expect, it } from 'vitest';
import { packRawTexts, RAW_BLOCK_CHARS, unpackRawText } from './raw-pack.ts';

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
    expect(total / RAW_BLOCK_CHARS).toBeGreaterThan(packed.blocks.length - 1);
    expect(packed.blocks.reduce((sum, block) => sum + block.byteLength, 0)).toBeLessThan(total / 5);
    for (const i of [0, 1, 500, 1234, packed.starts[1]!, packed.starts[1]! - 1, texts.length - 1]) expect(await unpackRawText(packed, i)).toBe(texts[i]);
  });

  it('answers nothing for an index it does not hold, and refuses a text with a raw newline', async () => {
    const packed = await packRawTexts(texts.slice(0, 3));
    expect(await unpackRawText(packed, 3)).toBeUndefined();
    expect(await unpackRawText(packed, -1)).toBeUndefined();
    await expect(packRawTexts(['{"a":1}', 'two\nlines'])).rejects.toThrow('raw text 1 holds a newline');
  });
});
