import { describe, expect, it } from 'vitest';
import type { PickedFile } from '../../shared/ipc.ts';
import type { ImportFileRow } from '../db/schema.ts';
import type { FileProgress } from '../import/queue.ts';
import { fingerprint, isHiddenPath, newOrChanged, summarizeSync } from './changes.ts';

describe('newOrChanged', () => {
  const listed = [
    { pathInFolder: 'alerts.json', size: 10, lastModified: 1000 },
    { pathInFolder: 'week-2/risk.json', size: 20, lastModified: 2000 },
    { pathInFolder: 'new.csv', size: 5, lastModified: 3000 },
  ];

  it('keeps files never seen or seen with another size or time', () => {
    const seen = { 'alerts.json': fingerprint(listed[0]!), 'week-2/risk.json': fingerprint({ ...listed[1]!, lastModified: 1999 }) };
    expect(newOrChanged(listed, seen).map((file) => file.pathInFolder)).toEqual(['week-2/risk.json', 'new.csv']);
    expect(newOrChanged(listed, {})).toHaveLength(3);
    const all = Object.fromEntries(listed.map((file) => [file.pathInFolder, fingerprint(file)]));
    expect(newOrChanged(listed, all)).toEqual([]);
  });

  it('recognises hidden paths at any depth', () => {
    expect(isHiddenPath('.DS_Store')).toBe(true);
    expect(isHiddenPath('.git/config')).toBe(true);
    expect(isHiddenPath('a/.hidden/b.json')).toBe(true);
    expect(isHiddenPath('a/b.json')).toBe(false);
  });
});

describe('summarizeSync', () => {
  const file = (token: string): PickedFile => ({ token, name: `${token}.json`, relativePath: `f/${token}.json`, size: 1, lastModified: 1 });
  const row = (change: Partial<ImportFileRow>): ImportFileRow => ({
    file: 'x',
    accepted: 0,
    rejected: 0,
    unattributed: 0,
    bytes: 1,
    size: 1,
    durationMs: 1,
    errorCount: 0,
    added: 0,
    updated: 0,
    unchanged: 0,
    ...change,
  });
  const progress = (state: FileProgress['state'], results?: ImportFileRow[]): FileProgress => ({
    name: 'x',
    size: 1,
    bytes: 1,
    records: 0,
    rejected: 0,
    elapsedMs: 0,
    state,
    results,
  });

  it('adds up what ended and acknowledges only those files', () => {
    const delivered = [file('a'), file('b'), file('c'), file('d')];
    const job = {
      files: [
        progress('done', [row({ added: 3, updated: 1, rejected: 2 }), row({ unchanged: 4 })]),
        progress('done', [row({ skipped: 'not an export: neither JSON nor CSV' })]),
        progress('done', [row({ fatal: { file: 'c', reason: 'the file is empty' } })]),
        progress('queued'),
      ],
    };
    expect(summarizeSync(job, delivered, 42)).toEqual({
      tokens: ['a', 'b', 'c'],
      result: { at: 42, files: 4, added: 3, updated: 1, unchanged: 4, rejected: 2, skipped: 1, failed: 2 },
    });
  });

  it('acknowledges nothing of a job that never ran', () => {
    expect(summarizeSync(undefined, [file('a')], 1)).toEqual({
      tokens: [],
      result: { at: 1, files: 1, added: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0, failed: 1 },
    });
  });
});
