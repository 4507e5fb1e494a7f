#!/usr/bin/env node
// `npm start`: the desktop window where an Electron binary exists; otherwise one clear line saying so,
// and the same app served as the web build on localhost.
import { spawn, spawnSync } from 'node:child_process';
import { ensureElectron, electronBinaryPath } from './ensure-electron.mjs';
import { startServer } from './serve.mjs';

function run(command, args) {
  const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const hasElectron = ensureElectron({ timeoutMs: 60_000, log: () => undefined });

run(npx, ['vite', 'build', '--config', 'vite.config.ts', '--logLevel', 'warn']);

if (hasElectron) {
  run(process.execPath, ['scripts/build-electron.mjs']);
  const child = spawn(electronBinaryPath(), ['.'], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const port = Number(process.env.PORT ?? 5180);
  const server = await startServer({ port });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`;
  console.log(`No Electron binary on this machine (it must be downloaded from the internet), so Sightline runs as the web build instead: open ${url}`);
  console.log('The demo workspace is one click away on the Dashboard. Press Ctrl+C to stop.');
}
