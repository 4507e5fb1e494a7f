/**
 * Two servers on 127.0.0.1, each on a free port: the app's production web build through
 * scripts/serve.mjs (exactly as `npm start` and the e2e tests serve it), and the harness's own
 * server for the floor page, Dexie's ESM file and the data folder (a different origin, so its
 * IndexedDB never meets the app's).
 */
import { createReadStream, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import { onCleanup, REPO } from './util.ts';

type StartServer = (options: { dir?: string; port?: number; host?: string }) => Promise<Server>;

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((done) => server.close(() => done()));
}

function urlOf(server: Server): string {
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

export async function startAppServer(webDir: string): Promise<string> {
  const { startServer } = (await import(pathToFileURL(join(REPO, 'scripts/serve.mjs')).href)) as { startServer: StartServer };
  const server = await startServer({ dir: webDir, port: 0, host: '127.0.0.1' });
  onCleanup(() => closeServer(server));
  return urlOf(server);
}

const FLOOR_DIR = join(REPO, 'bench/floor');

/** A path under `dir`, or undefined when the request escapes it. */
function inside(dir: string, relativePath: string): string | undefined {
  if (relativePath.includes('\0') || relativePath.includes('\\')) return undefined;
  const file = resolve(dir, normalize(relativePath).replace(/^[/\\]+/, ''));
  return file.startsWith(dir + sep) ? file : undefined;
}

export async function startFloorServer(dataDir: string): Promise<string> {
  let floorScript: Promise<string> | undefined;
  const server = createServer((request, response) => {
    void (async () => {
      let pathname: string;
      try {
        pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
      } catch {
        response.writeHead(400).end();
        return;
      }
      const send = (file: string, type: string) => {
        const stat = statSync(file, { throwIfNoEntry: false });
        if (!stat?.isFile()) {
          response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
          return;
        }
        response.writeHead(200, { 'content-type': type, 'content-length': stat.size, 'cache-control': 'no-store' });
        createReadStream(file).pipe(response);
      };
      if (pathname === '/' || pathname === '/floor/' || pathname === '/floor/index.html')
        return send(join(FLOOR_DIR, 'index.html'), 'text/html; charset=utf-8');
      if (pathname === '/floor/floor.js') {
        // The floor page is TypeScript (linted with the repo); esbuild strips the types, nothing else.
        floorScript ??= transform(readFileSync(join(FLOOR_DIR, 'floor.ts'), 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' }).then((out) => out.code);
        const code = await floorScript;
        response.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8', 'cache-control': 'no-store' }).end(code);
        return;
      }
      if (pathname === '/vendor/dexie.mjs') return send(join(REPO, 'node_modules/dexie/dist/dexie.mjs'), 'text/javascript; charset=utf-8');
      if (pathname.startsWith('/data/')) {
        const file = inside(dataDir, pathname.slice('/data/'.length));
        if (file) return send(file, 'application/octet-stream');
      }
      response.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(String(error));
    });
  });
  await new Promise<void>((ready, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ready());
  });
  onCleanup(() => closeServer(server));
  return urlOf(server);
}
