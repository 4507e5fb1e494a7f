import { gzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { readSample } from '../../test/samples.ts';
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

  it('reads every export of a .zip, skipping notes, folders and nested archives', async () => {
    const zip = zipSync({
      'exports/risky.json': riskyUsers,
      'exports/detections.json': [detections, { level: 0 }],
      'exports/README.txt': new TextEncoder().encode('Exported on Monday by the SOC, with notes.'),
      'exports/nested.zip': zipSync({ 'inner.json': riskyUsers }),
    });
    const found = await summaries('case-42.zip', zip, 333);
    expect(found.map((summary) => [summary.file, summary.format ?? summary.skipped?.slice(0, 13), summary.accepted])).toEqual([
      ['case-42.zip/exports/risky.json', 'entra-risky-user', 3],
      ['case-42.zip/exports/detections.json', 'entra-risk-detection', 1],
      ['case-42.zip/exports/README.txt', 'not an export', 0],
    ]);
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
