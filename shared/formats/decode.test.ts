import { describe, expect, it } from 'vitest';
import { DecodeError, decodeChunks, sniffEncoding } from './decode.ts';

async function decode(bytes: Uint8Array, pieceSize = bytes.length || 1): Promise<string> {
  async function* pieces() {
    for (let at = 0; at < bytes.length; at += pieceSize) yield bytes.subarray(at, at + pieceSize);
  }
  let text = '';
  for await (const part of decodeChunks(pieces())) text += part;
  return text;
}

function utf16(text: string, littleEndian: boolean, bom: boolean): Uint8Array {
  const out = new Uint8Array((text.length + (bom ? 1 : 0)) * 2);
  const view = new DataView(out.buffer);
  let at = 0;
  if (bom) {
    view.setUint16(0, 0xfeff, littleEndian);
    at = 2;
  }
  for (let i = 0; i < text.length; i++, at += 2) view.setUint16(at, text.charCodeAt(i), littleEndian);
  return out;
}

const sample = '{"userPrincipalName":"zoë@contoso.com","city":"Zürich 東京"}';

describe('decoding exports', () => {
  it('reads UTF-8 with and without a BOM, split anywhere', async () => {
    const plain = new TextEncoder().encode(sample);
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...plain]);
    for (const size of [1, 2, 3, 5, 64]) {
      expect(await decode(plain, size)).toBe(sample);
      expect(await decode(bom, size)).toBe(sample);
    }
  });

  it('reads UTF-16 LE and BE, with a BOM as PowerShell writes it and without', async () => {
    for (const littleEndian of [true, false]) {
      for (const bom of [true, false]) {
        expect(await decode(utf16(sample, littleEndian, bom), 3)).toBe(sample);
      }
    }
    expect(sniffEncoding(utf16(sample, true, false))).toEqual({ encoding: 'utf-16le', bomLength: 0 });
    expect(sniffEncoding(utf16(sample, false, false))).toEqual({ encoding: 'utf-16be', bomLength: 0 });
  });

  it('fails on invalid UTF-8 instead of storing replacement characters', async () => {
    const bad = new Uint8Array([0x7b, 0x22, 0x61, 0xff, 0xfe, 0x22, 0x7d].slice(0, 3).concat([0xc3, 0x28, 0x7d]));
    await expect(decode(bad)).rejects.toThrow(DecodeError);
  });

  it('reads UTF-32 LE and BE with a BOM, split anywhere, and rejects a code point past U+10FFFF', async () => {
    const utf32 = (text: string, littleEndian: boolean) => {
      const codePoints = [0xfeff, ...[...text].map((char) => char.codePointAt(0)!)];
      const out = new Uint8Array(codePoints.length * 4);
      codePoints.forEach((codePoint, i) => new DataView(out.buffer).setUint32(i * 4, codePoint, littleEndian));
      return out;
    };
    const withEmoji = `${sample} 🦆`;
    for (const littleEndian of [true, false]) {
      const bytes = utf32(withEmoji, littleEndian);
      expect(sniffEncoding(bytes)).toEqual({ encoding: littleEndian ? 'utf-32le' : 'utf-32be', bomLength: 4 });
      for (const size of [1, 3, 5, 4096]) expect(await decode(bytes, size)).toBe(withEmoji);
    }
    const bad = utf32('ab', true);
    new DataView(bad.buffer).setUint32(4, 0x110000, true);
    await expect(decode(bad)).rejects.toThrow(DecodeError);
    await expect(decode(utf32('ab', true).subarray(0, 10))).rejects.toThrow(/invalid utf-32le text/);
  });

  it('hands a large chunk on in pieces of at most 32 KiB, split inside characters and still exact', async () => {
    // The importer reads files in 8 MiB slices; a string that large would live in V8's large-object space.
    const text = `[${Array.from({ length: 9_000 }, (_, i) => `{"i":${i},"city":"Zürich 東京 😀"}`).join(',')}]`;
    const bytes = new TextEncoder().encode(text);
    async function* oneChunk() {
      yield bytes;
    }
    const pieces: string[] = [];
    for await (const piece of decodeChunks(oneChunk())) pieces.push(piece);
    expect(pieces.length).toBeGreaterThanOrEqual(Math.floor(bytes.length / 32_768));
    expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThanOrEqual(32_768);
    expect(pieces.join('')).toBe(text);
  });
});
