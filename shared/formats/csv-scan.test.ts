import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readSample } from '../../test/samples.ts';
import { CsvRecordScanner, CsvStructureError, csvPreamble, looksLikeCsvHeader, sniffDelimiter, type CsvItem } from './csv-scan.ts';

function scan(text: string, pieces: number[] = [text.length || 1]): CsvItem[] {
  const scanner = new CsvRecordScanner();
  scanner.useDelimiter(sniffDelimiter(text.split('\n', 1)[0] ?? ''));
  const out: CsvItem[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = Math.max(1, pieces[i % pieces.length]!);
    out.push(...scanner.push(text.slice(at, at + size)));
    at += size;
  }
  return [...out, ...scanner.end()];
}

const values = (items: CsvItem[]) => items.map((item) => (item.type === 'record' ? item.value : item.reason));

/** RFC 4180 writer for the round-trip property. */
function toCsv(rows: string[][]): string {
  const cell = (value: string) => (/[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);
  return rows.map((row) => row.map(cell).join(',')).join('\r\n');
}

describe('CsvRecordScanner', () => {
  it('reads quoted fields with embedded newlines, commas and doubled quotes, as one record each', () => {
    const items = scan('Id,Note,Count\r\n1,"line one\r\nline ""two""\nthree, four",3\r\n2,plain,4\r\n');
    expect(values(items)).toEqual([
      { Id: '1', Note: 'line one\r\nline "two"\nthree, four', Count: '3' },
      { Id: '2', Note: 'plain', Count: '4' },
    ]);
    expect(items.map((item) => item.line)).toEqual([2, 5]);
  });

  it('rejects a ragged row alone, naming its physical line', () => {
    const items = scan('a,b\n1,2\n3\n4,5\n');
    expect(items.map((item) => item.type)).toEqual(['record', 'reject', 'record']);
    expect(items[1]).toMatchObject({ line: 3, reason: 'row has 1 fields where the header has 2' });
  });

  it('stops at an unterminated quote with the line it opened on', () => {
    expect(() => scan('a,b\n1,"never closed\n2,3\n')).toThrow(CsvStructureError);
    expect(() => scan('a,b\n1,"never closed\n2,3\n')).toThrow(/opened at line 2/);
  });

  it('gives a row far longer than a piece whole, with its line, and the rows after it', () => {
    const cell = `"${Array.from({ length: 30_000 }, (_, i) => `line ${i}, ""quoted""`).join('\n')}"`;
    const text = `Id,Details\n1,short\n2,${cell}\n3,after\n`;
    for (const pieces of [[1024], [999, 5], [32_768]]) {
      const items = scan(text, pieces);
      expect(values(items).map((row) => (row as Record<string, string>).Id)).toEqual(['1', '2', '3']);
      expect(items.map((item) => item.line)).toEqual([2, 3, 30_003]);
      expect((values(items)[1] as Record<string, string>).Details).toBe(cell.slice(1, -1).replaceAll('""', '"'));
    }
  });

  it('finds tab and semicolon delimiters, and tells a header from prose', () => {
    expect(sniffDelimiter('TimeGenerated\tUserId\tOperation')).toBe('\t');
    expect(sniffDelimiter('a;b;"c;d"')).toBe(';');
    expect(looksLikeCsvHeader('"RecordType","CreationDate","UserIds","Operations","AuditData"')).toBe(true);
    expect(looksLikeCsvHeader('These are my notes, taken on Monday after the call with the customer about the tenant.')).toBe(false);
  });

  it('recognises the line PowerShell 5.1 or Excel writes above the header, and the delimiter sep= names', () => {
    const typeLine = '#TYPE System.Management.Automation.PSCustomObject\r\n';
    const deserialized = '#TYPE Deserialized.Microsoft.Exchange.Management.SystemConfigurationTasks.AuditRecord\n';
    expect(csvPreamble(`${typeLine}"Id","RiskLevel"\r\n`)).toEqual({ length: typeLine.length });
    expect(csvPreamble(deserialized)).toEqual({ length: deserialized.length });
    expect(csvPreamble('sep=;\r\nId;RiskLevel\r\n')).toEqual({ length: 7, delimiter: ';' });
    expect(csvPreamble('SEP=|\nId|RiskLevel\n')).toEqual({ length: 6, delimiter: '|' });
    // Not a preamble: a header, a comment that is no type line, or a first line not yet whole.
    expect(csvPreamble('Id,RiskLevel\n1,low\n')).toBeUndefined();
    expect(csvPreamble('# exported by hand\nId,RiskLevel\n')).toBeUndefined();
    expect(csvPreamble('#TYPE System.Management.Automation.PSCus')).toBeUndefined();
  });

  it('counts lines from where it is told to, so rows under a preamble keep their physical line', () => {
    const scanner = new CsvRecordScanner();
    scanner.useDelimiter(',');
    scanner.startAtLine(2);
    const items = [...scanner.push('a,b\n1,2\n3\n'), ...scanner.end()];
    expect(items.map((item) => [item.type, item.line])).toEqual([
      ['record', 3],
      ['reject', 4],
    ]);
  });

  it('round-trips any table, however the text is chunked', () => {
    const cell = fc.string({ maxLength: 12, unit: fc.constantFrom('a', 'b', ',', '"', '\n', '\r', ' ', 'é', '1') });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 4 }), (width, pieces) =>
        fc.assert(
          fc.property(fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 6 }), (rows) => {
            const header = Array.from({ length: width }, (_, i) => `c${i}`);
            // Rows that are one empty cell read as blank lines, which CSV cannot tell apart.
            const body = rows.filter((row) => !(row.length === 1 && row[0] === ''));
            const expected = body.map((row) => Object.fromEntries(header.map((name, i) => [name, row[i]!])));
            expect(values(scan(toCsv([header, ...body]) + '\r\n', pieces))).toEqual(expected);
          }),
          { numRuns: 20 },
        ),
      ),
      { numRuns: 20, seed: 11 },
    );
  });

  it('reads the real Log Analytics sign-in export: 56 rows despite multi-line JSON cells', () => {
    const text = new TextDecoder().decode(readSample('signin/sign-in_adelete.csv'));
    const items = scan(text, [4096]);
    expect(items.filter((item) => item.type === 'record')).toHaveLength(56);
    expect(items.filter((item) => item.type === 'reject')).toHaveLength(0);
  });
});

describe('CsvRecordScanner memory', () => {
  it('gives fields that do not keep the text they were cut from alive', async () => {
    const { setFlagsFromString } = await import('node:v8');
    const { runInNewContext } = await import('node:vm');
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    // Four blocks of ~8 MB, as the importer reads files; from each, one long field is kept (as the
    // resolver keeps an identifier or the scoring baseline an IP) and everything else is let go.
    const kept: string[] = [];
    const scanner = new CsvRecordScanner();
    scanner.useDelimiter(',');
    scanner.push('UserPrincipalName,UserAgent,Padding\n');
    const padding = 'p'.repeat(400);
    const keepOneRecord = (block: number) => {
      const rows: string[] = [];
      for (let i = 0; i < 20_000; i++) rows.push(`user${block}-${i}@contoso.example,Mozilla/5.0 (Windows NT 10.0; Win64; x64) ${block}.${i},${padding}`);
      const first = scanner.push(`${rows.join('\n')}\n`)[0];
      if (first?.type === 'record') kept.push(first.value.UserAgent!, first.value.UserPrincipalName!);
    };
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let block = 0; block < 4; block++) keepOneRecord(block);
    gc();
    const retained = process.memoryUsage().heapUsed - before;
    expect(kept).toHaveLength(8);
    expect(kept[0]).toBe('Mozilla/5.0 (Windows NT 10.0; Win64; x64) 0.0');
    // Each block is ~8.8 MB: a field that was a view into its block would keep tens of MB.
    expect(retained).toBeLessThan(2_000_000);
  });
});
