#!/usr/bin/env node
// Bundles the main process and the preload into dist-electron/. The preload runs sandboxed, where
// `require` only knows 'electron', so it must be a single file: the build fails if any other require survives.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist-electron');

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'warning',
  legalComments: 'none',
};

/** The module names a CommonJS bundle still requires at run time. */
export function requiredModules(source) {
  const names = new Set();
  for (const match of source.matchAll(/\brequire\(\s*(["'`])([^"'`]+)\1\s*\)/g)) names.add(match[2]);
  return [...names];
}

export async function buildElectron() {
  await Promise.all([
    build({ ...common, entryPoints: [path.join(root, 'electron/main.ts')], outfile: path.join(outDir, 'main.cjs') }),
    build({
      ...common,
      entryPoints: [path.join(root, 'electron/preload.ts')],
      outfile: path.join(outDir, 'preload.cjs'),
    }),
  ]);
  const preload = await readFile(path.join(outDir, 'preload.cjs'), 'utf8');
  const foreign = requiredModules(preload).filter((name) => name !== 'electron');
  if (foreign.length > 0 || /\brequire\(\s*[^"'`\s]/.test(preload)) {
    throw new Error(`preload.cjs must only require "electron", found: ${foreign.join(', ') || 'a dynamic require'}`);
  }
  return { main: path.join(outDir, 'main.cjs'), preload: path.join(outDir, 'preload.cjs') };
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  try {
    const out = await buildElectron();
    console.log(`built ${path.relative(root, out.main)} and ${path.relative(root, out.preload)}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
