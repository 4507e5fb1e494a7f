import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readSample } from '../../test/samples.ts';
import { WORKBOOK_REFUSAL } from './containers.ts';
import { parseAll, parseInput, type FileSummary } from './parse.ts';

async function* pieces(bytes: Uint8Array, size = 1000) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

async function summaries(name: string, bytes: Uint8Array, size?: number): Promise<FileSummary[]> {
  const out: FileSummary[] = [];
  for await (const event of parseInput(name, pieces(bytes, size))) if (event.type === 'end') out.push(event.summary);
  return out;
}

const riskyUsers = readSample('identity-protection/list_risky_users.json');
const detections = readSample('identity-protection/list_risk_detections.json');

describe('archives around exports', () => {
  it('reads a .gz export exactly as the plain file', async () => {
    const [summary] = await summaries('risky.json.gz', gzipSync(riskyUsers), 97);
    const plain = (await parseAll('risky.json', riskyUsers)).summary;
    expect(summary).toMatchObject({ file: 'risky.json', format: plain.format, accepted: plain.accepted, rejected: 0 });
  });

  it('reads every export of a .zip, skipping notes and folders, and naming the nested archives it does not open', async () => {
    const zip = zipSync({
      'exports/risky.json': riskyUsers,
      'exports/detections.json': [detections, { level: 0 }],
      'exports/README.txt': new TextEncoder().encode('Exported on Monday by the SOC, with notes.'),
      'exports/nested.zip': zipSync({ 'inner.json': riskyUsers }),
    });
    const found = await summaries('case-42.zip', zip, 333);
    expect(found.map((summary) => [summary.file, summary.format ?? summary.skipped?.slice(0, 13) ?? summary.fatal?.reason, summary.accepted])).toEqual([
      ['case-42.zip/exports/risky.json', 'entra-risky-user', 3],
      ['case-42.zip/exports/detections.json', 'entra-risk-detection', 1],
      ['case-42.zip/exports/README.txt', 'not an export', 0],
      ['case-42.zip/exports/nested.zip', 'nested archive not opened: exports/nested.zip (extract it, then import what it holds)', 0],
    ]);
  });

  it('names an archive inside a zip by its bytes, whatever its name, and reads the members after it', async () => {
    const zip = zipSync(
      {
        'exports/risky.json.gz': gzipSync(riskyUsers),
        'exports/renamed.dat': zipSync({ 'inner.json': riskyUsers }),
        'exports/after.json': riskyUsers,
      },
      { level: 0 },
    );
    for (const size of [zip.length, 64]) {
      const found = await summaries('bundle.zip', zip, size);
      expect(found.map((summary) => [summary.file, summary.fatal?.reason ?? summary.format])).toEqual([
        ['bundle.zip/exports/risky.json.gz', expect.stringMatching(/^nested archive not opened: exports\/risky\.json\.gz/)],
        ['bundle.zip/exports/renamed.dat', expect.stringMatching(/^nested archive not opened: exports\/renamed\.dat/)],
        ['bundle.zip/exports/after.json', 'entra-risky-user'],
      ]);
    }
  });
  it('refuses an archive bomb by the bytes it actually inflates', async () => {
    const zeros = new Uint8Array(64 * 1024 * 1024);
    const [fromGzip] = await summaries('bomb.json.gz', gzipSync(zeros, { level: 9 }), 4096);
    expect(fromGzip?.fatal?.reason).toMatch(/possible archive bomb/);
    const [fromZip] = await summaries('bomb.zip', zipSync({ 'a.json': zeros }, { level: 9 }), 4096);
    expect(fromZip?.fatal?.reason).toMatch(/possible archive bomb/);
  });

  it('says a truncated archive is truncated, keeping what was read', async () => {
    const gz = gzipSync(riskyUsers);
    const [summary] = await summaries('cut.json.gz', gz.subarray(0, gz.length - 12));
    expect(summary?.fatal?.reason).toMatch(/truncated|ends early|ends inside/);
  });
});

describe('Excel workbooks', () => {
  const xml = (text: string) => new TextEncoder().encode(`<?xml version="1.0" encoding="UTF-8"?>${text}`);
  const parts = {
    '[Content_Types].xml': xml('<Types/>'),
    '_rels/.rels': xml('<Relationships/>'),
    'docProps/app.xml': xml('<Properties/>'),
    'xl/workbook.xml': xml('<workbook/>'),
    'xl/_rels/workbook.xml.rels': xml('<Relationships/>'),
    'xl/worksheets/sheet1.xml': xml('<worksheet><sheetData/></worksheet>'),
    'xl/sharedStrings.xml': xml('<sst/>'),
  };
  const inOrder = (names: (keyof typeof parts)[]) => zipSync(Object.fromEntries(names.map((name) => [name, parts[name]])));
  const names = Object.keys(parts) as (keyof typeof parts)[];

  it('says once that a workbook is one, whichever order its writer put the parts in', async () => {
    // Excel writes the content types first; openpyxl writes them last.
    for (const order of [names, [...names.slice(1), names[0]!]]) {
      for (const size of [10_000, 50]) {
        expect(await summaries('report.xlsx', inOrder(order), size)).toEqual([
          { file: 'report.xlsx', accepted: 0, rejected: 0, unattributed: 0, bytes: 0, errors: [], fatal: { file: 'report.xlsx', reason: WORKBOOK_REFUSAL } },
        ]);
      }
    }
    expect(WORKBOOK_REFUSAL).toBe('an Excel workbook: save each sheet as CSV (UTF-8) and import that');
  });

  it('says so for a workbook inside a zip too', async () => {
    const [summary] = await summaries('case.zip', zipSync({ 'exports/report.xlsx': inOrder(names) }));
    expect(summary).toMatchObject({ file: 'case.zip/exports/report.xlsx', fatal: { reason: WORKBOOK_REFUSAL } });
  });

  it('skips the parts of an Office package that is not a workbook, as the notes they are', async () => {
    const docx = zipSync({ '[Content_Types].xml': parts['[Content_Types].xml'], '_rels/.rels': parts['_rels/.rels'], 'word/document.xml': xml('<document/>') });
    const found = await summaries('memo.docx', docx);
    expect(found.map((summary) => summary.file)).toEqual(['memo.docx/word/document.xml', 'memo.docx/[Content_Types].xml', 'memo.docx/_rels/.rels']);
    for (const summary of found) {
      expect(summary.skipped).toMatch(/^not an export/);
      expect(summary.fatal).toBeUndefined();
    }
  });
});
