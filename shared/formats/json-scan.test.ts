import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JsonRecordScanner, JsonStructureError, type ScanItem } from './json-scan.ts';

function scanInPieces(text: string, pieceSizes: number[] = [text.length]): ScanItem[] {
  const scanner = new JsonRecordScanner();
  const out: ScanItem[] = [];
  let at = 0;
  let i = 0;
  while (at < text.length) {
    const size = Math.max(1, pieceSizes[i++ % pieceSizes.length]!);
    out.push(...scanner.push(text.slice(at, at + size)));
    at += size;
  }
  out.push(...scanner.end());
  return out;
}

const texts = (items: ScanItem[]) => items.map((item) => (item.type === 'record' ? JSON.parse(item.text) : item.reason));

describe('JsonRecordScanner', () => {
  it('reads the elements of a root array', () => {
    expect(texts(scanInPieces('[{"a":1},\n{"b":"x}"}]'))).toEqual([{ a: 1 }, { b: 'x}' }]);
  });

  it('reads the value array of a Graph page and ignores its @odata keys', () => {
    const page = JSON.stringify({ '@odata.context': 'x', '@odata.nextLink': 'y{', value: [{ id: 1 }, { id: 2, value: [3] }] }, null, 2);
    const scanner = new JsonRecordScanner();
    const items = [...scanner.push(page), ...scanner.end()];
    expect(texts(items)).toEqual([{ id: 1 }, { id: 2, value: [3] }]);
    expect(scanner.shape).toBe('graph-page');
  });

  it('reads one object as one record, and NDJSON as one record per line', () => {
    expect(texts(scanInPieces('{"Operation":"MailItemsAccessed"}'))).toEqual([{ Operation: 'MailItemsAccessed' }]);
    expect(texts(scanInPieces('{"a":1}\n{"a":2}\r\n{"a":3}\n'))).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
  });

  it('does not mistake a record field named value for a Graph page in NDJSON', () => {
    expect(texts(scanInPieces('{"a":1}\n{"value":[1,2]}\n'))).toEqual([{ a: 1 }, { value: [1, 2] }]);
  });

  it('reports the physical line where each record starts', () => {
    const items = scanInPieces('[\n  {"a":\n "multi\\nline"},\n  {"b":2}\n]');
    expect(items.map((item) => item.line)).toEqual([2, 4]);
  });

  it('reports the column where each record starts, so an error inside it can be placed in the file', () => {
    const text = '[{"a":1}, {"b":2},\n   {"c":3}]';
    for (const pieces of [[text.length], [1], [3, 5]]) {
      const items = scanInPieces(text, pieces);
      expect(items.map((item) => (item.type === 'record' ? [item.line, item.column] : undefined))).toEqual([
        [1, 2],
        [1, 11],
        [2, 4],
      ]);
    }
  });

  it('rejects scalar elements alone and keeps the objects around them', () => {
    const items = scanInPieces('[{"a":1}, 42, "text", {"b":2}]');
    expect(items.map((item) => item.type)).toEqual(['record', 'reject', 'reject', 'record']);
  });

  it('rejects a record nested deeper than the limit without parsing it', () => {
    const deep = '['.repeat(100) + ']'.repeat(100);
    const items = scanInPieces(`[{"ok":1},{"deep":${deep}},{"ok":2}]`);
    expect(items.map((item) => item.type)).toEqual(['record', 'reject', 'record']);
    expect(items[1]).toMatchObject({ index: 2, reason: expect.stringContaining('nesting deeper') });
  });

  it('gives a record far longer than a piece whole, with its line, and the records after it', () => {
    const long = JSON.stringify({ id: 'long', notes: Array.from({ length: 40_000 }, (_, i) => `note ${i}`) });
    const text = `[{"id":"a"},\n${long},\n{"id":"b"}]`;
    for (const pieces of [[1024], [1000, 7], [32_768]]) {
      const items = scanInPieces(text, pieces);
      expect(texts(items).map((record) => record.id)).toEqual(['a', 'long', 'b']);
      expect(items.map((item) => item.line)).toEqual([1, 2, 3]);
      expect(items[1]!.type === 'record' && items[1]!.text).toBe(long);
    }
  });

  it('stops a truncated file with the line where it ends', () => {
    expect(() => scanInPieces('[{"a":1},\n{"b":')).toThrow(JsonStructureError);
    expect(() => scanInPieces('[{"a":1},\n{"b":')).toThrow(/truncated\?\) at line 2/);
  });

  it('refuses text that is not JSON', () => {
    expect(() => scanInPieces('RecordType,CreationDate\n')).toThrow(/not JSON/);
  });

  it('gives the same records however the text is split into chunks', () => {
    const records = fc.array(fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 }), { maxLength: 8 });
    fc.assert(
      fc.property(
        records,
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('array', 'page', 'ndjson'),
        (rows, pieces, shape) => {
          const text =
            shape === 'array'
              ? JSON.stringify(rows, null, 1)
              : shape === 'page'
                ? JSON.stringify({ '@odata.context': '}', value: rows })
                : rows.map((row) => JSON.stringify(row)).join('\n');
          if (shape === 'ndjson' && rows.length === 0) return;
          expect(texts(scanInPieces(text, pieces))).toEqual(JSON.parse(JSON.stringify(rows)));
        },
      ),
      { numRuns: 300, seed: 20261122 },
    );
  });

  it('reads arrays appended one after another, as Out-File -Append leaves them', () => {
    const scanner = new JsonRecordScanner();
    const items = [...scanner.push('[\r\n  {"a":  1},\r\n  {"a":  2}\r\n]\r\n[\r\n  {"a":  3}\r\n]\r\n'), ...scanner.end()];
    expect(texts(items)).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
    expect(items.map((item) => item.index)).toEqual([1, 2, 3]);
    expect(items.map((item) => item.line)).toEqual([2, 3, 6]);
    expect(scanner.shape).toBe('array');
  });

  it('reads a lone object between appended arrays (ConvertTo-Json of a one-record page)', () => {
    expect(texts(scanInPieces('[{"a":1}]\n{"a":2}\n[{"a":3},{"a":4}]\n{"a":5}'))).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }, { a: 5 }]);
  });

  it('skips a byte-order mark between concatenated documents', () => {
    expect(texts(scanInPieces('[{"a":1}]\n\uFEFF[{"a":2}]'))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it('takes an object with a data array after other records as a record, not as a page', () => {
    expect(texts(scanInPieces('[{"a":1}]\n{"data":[{"b":2}]}'))).toEqual([{ a: 1 }, { data: [{ b: 2 }] }]);
  });

  it('still refuses text after a document that is not JSON', () => {
    expect(() => scanInPieces('[{"a":1}]\nDone.')).toThrow(/unexpected "D" between records at line 2/);
  });

  it('gives the same records however appended documents are cut into pages and chunks', () => {
    const record = fc.dictionary(fc.string({ maxLength: 6 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 4 });
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 6 }),
        fc.array(fc.integer({ min: 1, max: 23 }), { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        (rows, pageSizes, pieces, pretty) => {
          // Cut the records into pages; ConvertTo-Json writes a one-record page as a lone object, others as arrays,
          // and (pretty) puts two spaces after each key's colon.
          const documents: string[] = [];
          for (let at = 0, i = 0; at < rows.length; i++) {
            const page = rows.slice(at, at + pageSizes[i % pageSizes.length]!);
            at += page.length;
            const value = page.length === 1 ? page[0] : page;
            documents.push(pretty ? JSON.stringify(value, null, 4).replace(/^(\s*"(?:[^"\\]|\\.)*"): /gm, '$1:  ') : JSON.stringify(value));
          }
          const text = documents.join(pretty ? '\r\n' : '');
          const items = scanInPieces(text, pieces);
          expect(texts(items)).toEqual(JSON.parse(JSON.stringify(rows)));
          expect(items.map((item) => item.index)).toEqual(rows.map((_, i) => i + 1));
        },
      ),
      { numRuns: 300, seed: 20261201 },
    );
  });
});
