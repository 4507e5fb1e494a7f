/**
 * Packaging checks that need no Electron binary: electron-builder.yml agrees with the fuse config in code,
 * ships no sources, and the preload bundles into a file whose only require is 'electron'.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ELECTRON_FUSES } from './security.ts';

const repoRoot = path.resolve(import.meta.dirname, '..');
const yml = readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8');

/** The `key: value` lines of a top-level block, or of the top level itself. No YAML library on purpose. */
function block(name: string | null): Map<string, string> {
  const entries = new Map<string, string>();
  let inside = name === null;
  for (const line of yml.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    const topLevel = !/^\s/.test(line);
    if (name !== null && topLevel) {
      inside = line.startsWith(`${name}:`);
      continue;
    }
    if (!inside || (name === null && !topLevel) || (name !== null && !/^ {2}\S/.test(line))) continue;
    const match = /^\s*([A-Za-z0-9]+):\s*(.*?)\s*$/.exec(line);
    if (match?.[1]) entries.set(match[1], match[2] ?? '');
  }
  return entries;
}

/** The `- item` lines of a top-level list. */
function list(name: string): string[] {
  const items: string[] = [];
  let inside = false;
  for (const line of yml.split('\n')) {
    if (!/^\s/.test(line) && line.trim() !== '') inside = line.startsWith(`${name}:`);
    else if (inside && /^\s+-\s/.test(line)) items.push(line.replace(/^\s+-\s+/, '').replace(/^"(.*)"$/, '$1'));
  }
  return items;
}

describe('electron-builder.yml', () => {
  it('declares exactly the fuses of ELECTRON_FUSES', () => {
    const fuses = Object.fromEntries([...block('electronFuses')].map(([key, value]) => [key, value === 'true' ? true : value === 'false' ? false : value]));
    expect(fuses).toEqual(ELECTRON_FUSES);
  });

  it('names the app and packs into asar', () => {
    const top = block(null);
    expect(top.get('appId')).toBe('io.sightline.app');
    expect(top.get('productName')).toBe('Sightline');
    expect(top.get('asar')).toBe('true');
    expect(block('directories').get('output')).toBe('release');
  });

  it('ships the bundles and the web build only: no sources, maps or node_modules', () => {
    const files = list('files');
    expect(files).toEqual(expect.arrayContaining(['dist/web/**', 'dist-electron/**', 'package.json', '!**/*.map', '!node_modules/**']));
    expect(files.some((pattern) => pattern.startsWith('!') && pattern.includes('ts'))).toBe(true);
    expect(files.filter((pattern) => !pattern.startsWith('!'))).toEqual(['dist/web/**', 'dist-electron/**', 'package.json']);
  });

  it('builds AppImage and deb, nsis and dmg, and bundles the demo data', () => {
    expect(yml).toMatch(/linux:\n {2}target:\n {4}- AppImage\n {4}- deb\n/);
    expect(yml).toMatch(/win:\n {2}target:\n {4}- nsis\n/);
    expect(yml).toMatch(/mac:\n {2}target:\n {4}- dmg\n/);
    expect(block('linux').get('category')).toBe('Utility;Security');
    expect(block('linux').get('maintainer')).toBeTruthy();
    expect(yml).toMatch(/extraResources:\n {2}- from: resources\/demo\n {4}to: demo\n/);
  });
});

describe('preload bundle', () => {
  it('requires nothing but electron, because the sandbox cannot require anything else', async () => {
    const result = await build({
      entryPoints: [path.join(repoRoot, 'electron/preload.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      external: ['electron'],
      write: false,
      logLevel: 'silent',
    });
    const code = result.outputFiles[0]?.text ?? '';
    const required = [...code.matchAll(/\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g)].map((match) => match[2]);
    expect(required).toEqual(['electron']);
    expect(code).not.toMatch(/\brequire\(\s*[^"'`\s]/);
    // Type-only imports keep zod and the schemas out of the page-adjacent bundle.
    expect(code).not.toContain('zod');
  });
});
