import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_CHUNK_BYTES } from '../shared/ipc.ts';
import { IpcFailure } from './errors.ts';
import { FileRegistry, describeFiles, listFolderFiles, readChunk } from './files.ts';

let base: string;
let folder: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'sightline-files-'));
  folder = path.join(base, 'export');
  mkdirSync(path.join(folder, 'b', 'deep'), { recursive: true });
  mkdirSync(path.join(folder, 'a'));
  mkdirSync(path.join(folder, '.git'));
  writeFileSync(path.join(folder, 'z.json'), '{"value":[]}');
  writeFileSync(path.join(folder, 'a', 'alerts.csv'), 'id\n1\n');
  writeFileSync(path.join(folder, 'b', 'deep', 'signins.ndjson'), '{}\n');
  writeFileSync(path.join(folder, '.DS_Store'), 'x');
  writeFileSync(path.join(folder, '.git', 'HEAD'), 'ref');
  writeFileSync(path.join(base, 'outside.txt'), 'secret');
  symlinkSync(path.join(base, 'outside.txt'), path.join(folder, 'link.txt'));
  symlinkSync(base, path.join(folder, 'loop'));
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

describe('FileRegistry', () => {
  it('hands out random, unguessable tokens and forgets released ones', () => {
    const registry = new FileRegistry();
    const a = registry.register('/tmp/a');
    const b = registry.register('/tmp/a');
    expect(a).not.toBe(b);
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(registry.resolve(a)).toBe(path.resolve('/tmp/a'));
    expect(registry.release(a)).toBe(true);
    expect(registry.release(a)).toBe(false);
    expect(registry.resolve(a)).toBeUndefined();
    expect(registry.resolve('__proto__')).toBeUndefined();
    expect(registry.resolve('constructor')).toBeUndefined();
    registry.clear();
    expect(registry.size).toBe(0);
  });
});

describe('listFolderFiles', () => {
  it('walks recursively in a stable order, skipping dotfiles and symlinks', async () => {
    const listing = await listFolderFiles(folder);
    expect(listing.truncated).toBe(false);
    expect(listing.files.map((f) => f.relativePath)).toEqual(['z.json', 'a/alerts.csv', 'b/deep/signins.ndjson']);
    expect(listing.files[1]?.absolutePath).toBe(path.join(folder, 'a', 'alerts.csv'));
  });

  it('stops at the file cap and says so', async () => {
    const listing = await listFolderFiles(folder, { maxFiles: 2 });
    expect(listing.files).toHaveLength(2);
    expect(listing.truncated).toBe(true);
  });

  it('stops at the depth cap and says so', async () => {
    const listing = await listFolderFiles(folder, { maxDepth: 1 });
    expect(listing.files.map((f) => f.relativePath)).toEqual(['z.json', 'a/alerts.csv']);
    expect(listing.truncated).toBe(true);
  });

  it('rejects a folder that does not exist', async () => {
    await expect(listFolderFiles(path.join(base, 'nope'))).rejects.toThrow();
  });
});

describe('describeFiles', () => {
  it('registers regular files and drops vanished ones and directories', async () => {
    const registry = new FileRegistry();
    const picked = await describeFiles(registry, [
      { absolutePath: path.join(folder, 'z.json'), relativePath: 'z.json' },
      { absolutePath: path.join(folder, 'gone.json'), relativePath: 'gone.json' },
      { absolutePath: path.join(folder, 'a'), relativePath: 'a' },
    ]);
    expect(picked).toHaveLength(1);
    expect(picked[0]).toMatchObject({ name: 'z.json', relativePath: 'z.json', size: 12 });
    expect(registry.resolve(picked[0]?.token ?? '')).toBe(path.join(folder, 'z.json'));
  });
});

describe('readChunk', () => {
  let registry: FileRegistry;
  let token: string;
  const bytes = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
  const file = () => path.join(base, 'data.bin');

  beforeAll(() => {
    writeFileSync(file(), bytes);
    registry = new FileRegistry();
    token = registry.register(file());
  });

  it('returns the requested range', async () => {
    expect(await readChunk(registry, token, 0, 10)).toEqual(bytes.slice(0, 10));
    expect(await readChunk(registry, token, 500, 100)).toEqual(bytes.slice(500, 600));
  });

  it('returns a short chunk at the end and an empty one past it', async () => {
    expect(await readChunk(registry, token, 990, 100)).toEqual(bytes.slice(990));
    expect(await readChunk(registry, token, 1000, 10)).toEqual(new Uint8Array(0));
    expect(await readChunk(registry, token, 10 ** 12, 10)).toEqual(new Uint8Array(0));
  });

  it('returns a view that owns exactly its bytes (IPC clones only those)', async () => {
    const chunk = await readChunk(registry, token, 0, 100);
    expect(chunk.byteOffset).toBe(0);
    expect(chunk.buffer.byteLength).toBe(100);
  });

  it('reads the whole file in MAX_CHUNK_BYTES steps', async () => {
    const parts: Uint8Array[] = [];
    for (let offset = 0; ; ) {
      const part = await readChunk(registry, token, offset, MAX_CHUNK_BYTES);
      if (part.length === 0) break;
      parts.push(part);
      offset += part.length;
    }
    expect(Buffer.concat(parts)).toEqual(Buffer.from(bytes));
  });

  it('answers not-found for unknown or released tokens', async () => {
    await expect(readChunk(registry, 'no-such-token', 0, 1)).rejects.toMatchObject({ code: 'not-found' });
    const other = registry.register(file());
    registry.release(other);
    await expect(readChunk(registry, other, 0, 1)).rejects.toBeInstanceOf(IpcFailure);
  });

  it('answers not-found when the file disappeared after picking', async () => {
    const temp = path.join(base, 'temp.bin');
    writeFileSync(temp, 'abc');
    const t = registry.register(temp);
    unlinkSync(temp);
    await expect(readChunk(registry, t, 0, 1)).rejects.toMatchObject({ code: 'not-found' });
  });

  it('copes with a file that shrank', async () => {
    const temp = path.join(base, 'shrink.bin');
    writeFileSync(temp, 'abcdef');
    const t = registry.register(temp);
    truncateSync(temp, 2);
    expect(Buffer.from(await readChunk(registry, t, 0, 6)).toString()).toBe('ab');
  });

  it.each([
    [-1, 1],
    [0, 0],
    [0, -5],
    [1.5, 1],
    [0, MAX_CHUNK_BYTES + 1],
    [Number.NaN, 1],
    [0, Number.POSITIVE_INFINITY],
    [2 ** 60, 1],
  ])('refuses offset %s length %s', async (offset, length) => {
    await expect(readChunk(registry, token, offset, length)).rejects.toMatchObject({ code: 'bad-payload' });
  });
});
