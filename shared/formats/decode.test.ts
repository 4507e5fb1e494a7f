import { describe, expect, it } from 'vitest';
import { DecodeError, decodeChunks, sniffEncoding } from './decode.ts';
import { parseAll } from './parse.ts';

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
    await expect(decode(utf32('ab', true).subarray(0, 10))).rejects.toThrow(/invalid UTF-32LE at byte 8 \(line 1\): the file ends inside a character/);
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

/** Decodes in chunks of `chunkSize` until the end or the first error: the text yielded, and the error. */
async function decodeUntilError(bytes: Uint8Array, chunkSize: number): Promise<{ text: string; error: DecodeError | undefined }> {
  async function* chunks() {
    for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
  }
  let text = '';
  try {
    for await (const part of decodeChunks(chunks())) text += part;
  } catch (error) {
    if (!(error instanceof DecodeError)) throw error;
    return { text, error };
  }
  return { text, error: undefined };
}

const join = (...parts: (string | number[])[]) => {
  const arrays = parts.map((part) => (typeof part === 'string' ? new TextEncoder().encode(part) : new Uint8Array(part)));
  const out = new Uint8Array(arrays.reduce((sum, array) => sum + array.length, 0));
  let at = 0;
  for (const array of arrays) {
    out.set(array, at);
    at += array.length;
  }
  return out;
};

/** Rows of `width` bytes (ending in a line break), so an offset picks a line: ASCII but for one 東 (3 bytes) in each. */
const rows = (count: number, width = 64) => Array.from({ length: count }, (_, i) => `${i},東,`.padEnd(width - 3, 'x') + '\n').join('');

describe('locating invalid text', () => {
  // Decoding works in 32 KiB pieces; bad bytes past the first piece, at and across piece boundaries, with and
  // without a character carried over from the piece before, in any chunk size the reader hands over.
  const PIECE = 32 * 1024;
  const cases: [name: string, good: string, bad: number[], rest: string][] = [
    ['Windows-1252 é in the first line', 'Id,Name\n1,Jos', [0xe9], ',x\n'],
    ['a lone 0xFF past the first piece', rows(1000), [0xff], 'tail\n'],
    ['a Windows-1252 é just before a piece boundary', rows(512).slice(0, PIECE - 1), [0xe9], ',x\n'],
    ['a Windows-1252 é just after a piece boundary', rows(512) + 'ab', [0xe9], ',x\n'],
    ['a bad byte after 東 split across a piece boundary', rows(512).slice(0, PIECE - 1 - 4) + 'a東', [0xc3, 0x28], 'x\n'],
    ['a lead byte whose continuation is missing, in the third piece', rows(1500) + 'x', [0xe6, 0x97, 0x41], 'x\n'],
  ];

  it.each(cases)('names the offset and line of %s, and yields all text before it', async (_, good, bad, rest) => {
    const bytes = join(good, bad, rest);
    const offset = new TextEncoder().encode(good).length;
    const line = good.split('\n').length;
    for (const chunkSize of [1, 7, 4096, PIECE, PIECE + 1, bytes.length]) {
      const { text, error } = await decodeUntilError(bytes, chunkSize);
      expect(text).toBe(good);
      expect(error).toMatchObject({ byteOffset: offset, line });
      expect(error?.message).toBe(
        `invalid UTF-8 at byte ${offset.toLocaleString('en-US')} (line ${line.toLocaleString('en-US')}): the file is not UTF-8. ` +
          'If Excel saved it as "CSV", save it as "CSV UTF-8" (or Unicode text); if Windows PowerShell wrote it, add -Encoding UTF8; then import it again',
      );
    }
  });

  it('counts offsets from the start of the file, BOM included', async () => {
    const { text, error } = await decodeUntilError(join([0xef, 0xbb, 0xbf], 'a,b\n', [0xe9]), 2);
    expect(text).toBe('a,b\n');
    expect(error).toMatchObject({ byteOffset: 7, line: 2 });
  });

  it('says a file that ends inside a character was cut short, and where that character starts', async () => {
    const good = rows(600);
    const { text, error } = await decodeUntilError(join(good, [0xe6, 0x97]), 5000);
    expect(text).toBe(good);
    expect(error?.message).toMatch(/^invalid UTF-8 at byte 38,400 \(line 601\): the file ends inside a character, so it was cut short or is not UTF-8/);
  });

  it('locates a lone surrogate in UTF-16 past the first piece', async () => {
    const good = rows(700);
    const bytes = utf16(`${good}\ud800x\n`, true, true);
    for (const chunkSize of [3, 4096, bytes.length]) {
      const { text, error } = await decodeUntilError(bytes, chunkSize);
      expect(text).toBe(good);
      // Two bytes of BOM, then two per UTF-16 code unit.
      expect(error).toMatchObject({ byteOffset: 2 + 2 * good.length, line: 701 });
      expect(error?.message).toMatch(/^invalid UTF-16LE at byte 86,802 \(line 701\): the file is damaged/);
    }
  });

  it('imports every record before the bad byte, then stops with the error', async () => {
    // A risky-user export whose last row was typed in as Windows-1252: more than a piece of good rows first.
    const header = 'Id,UserPrincipalName,RiskLevel,RiskState,RiskLastUpdatedDateTime\n';
    const good = Array.from(
      { length: 3000 },
      (_, i) => `${String(i).padStart(8, '0')}-1111-1111-1111-111111111111,user${i}@contoso.com,high,atRisk,2024-03-01T10:00:00Z\n`,
    ).join('');
    const bytes = join(header, good, '99999999-1111-1111-1111-111111111111,fran', [0xe7], 'ois@contoso.com,low,atRisk,2024-03-01T10:00:00Z\n');
    const { records, summary } = await parseAll('risky.csv', bytes);
    expect(records).toHaveLength(3000);
    expect(summary.accepted).toBe(3000);
    const offset = new TextEncoder().encode(header + good).length + 41;
    expect(summary.fatal?.reason).toMatch(new RegExp(`^invalid UTF-8 at byte ${offset.toLocaleString('en-US')} \\(line 3,002\\)`));
  });
});
