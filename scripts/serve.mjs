#!/usr/bin/env node
// Serves the web build (dist/web) on localhost only, with the same CSP the desktop shell sends.
// Used by `npm start` where no Electron binary exists, by the end-to-end tests and by the benchmark.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('../dist/web', import.meta.url)));

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** Maps a request path to a file under the build folder, refusing anything that escapes it. */
export function resolveRequest(dir, url) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(url, 'http://localhost').pathname);
  } catch {
    return undefined;
  }
  if (pathname.includes('\0') || pathname.includes('\\')) return undefined;
  const relative = normalize(pathname === '/' ? '/index.html' : pathname).replace(/^[/\\]+/, '');
  const file = resolve(dir, relative);
  if (file !== dir && !file.startsWith(dir + sep)) return undefined;
  return file;
}

export function startServer({ dir = root, port = 4173, host = '127.0.0.1' } = {}) {
  if (!existsSync(join(dir, 'index.html'))) throw new Error(`No web build in ${dir}: run \`npm run build:web\` first.`);
  const server = createServer((request, response) => {
    const file = resolveRequest(dir, request.url ?? '/');
    if (!file || !existsSync(file) || !statSync(file).isFile()) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    response.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
      'cross-origin-opener-policy': 'same-origin',
      // The page's own meta tag carries the CSP; a meta tag cannot forbid framing, so the header does.
      'content-security-policy': "frame-ancestors 'none'",
    });
    createReadStream(file).pipe(response);
  });
  return new Promise((resolveListening, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolveListening(server));
  });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const portArg = process.argv.indexOf('--port');
  const port = portArg > 0 ? Number(process.argv[portArg + 1]) : Number(process.env.PORT ?? 4173);
  const server = await startServer({ port });
  const address = server.address();
  console.log(`Sightline web build: http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}/`);
}
