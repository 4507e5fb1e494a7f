/**
 * Serves the built renderer (dist/web) over app://sightline/ instead of file://, so the page gets a real
 * origin, a CSP header and no file:// privileges (checklist item 18).
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.ts';
import { APP_HOST, APP_SCHEME } from './security.ts';

/** Must be registered before `app` is ready. `standard` gives relative URLs and a stable origin. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
};

export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function mimeTypeFor(filePath: string): string {
  return MIME_TYPES[path.extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The absolute file under `rootDir` that `requestUrl` names, or null when the URL is not ours or tries to
 * leave the root. Every path segment is decoded on its own, so `..%2f`, `%5c` and `%00` tricks surface as
 * forbidden characters instead of being re-joined into a path.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (url.protocol !== `${APP_SCHEME}:` || url.host !== APP_HOST || url.username !== '' || url.password !== '') {
    return null;
  }
  const pathname = url.pathname === '/' || url.pathname === '' ? '/index.html' : url.pathname;
  const rawSegments = pathname.split('/').slice(1);
  const segments: string[] = [];
  for (const raw of rawSegments) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    // Empty segments (`//etc`) would make an absolute path; `:` would allow a Windows drive or stream name.
    if (segment === '' || segment === '.' || segment === '..' || /[/\\:\0]/.test(segment)) return null;
    segments.push(segment);
  }
  if (segments.length === 0) return null;

  const root = path.resolve(rootDir);
  const resolved = path.resolve(root, ...segments);
  // Belt and braces: whatever the segment rules missed, the result must still sit inside the root.
  return resolved.startsWith(root + path.sep) ? resolved : null;
}

export interface AppFile {
  filePath: string;
  body: Uint8Array;
}

/**
 * Reads the file a request names. A symlink inside dist/web that points outside it is refused, because
 * `resolveAppPath` only sees names, not the file system.
 */
export async function readAppFile(rootDir: string, requestUrl: string): Promise<AppFile | null> {
  const filePath = resolveAppPath(rootDir, requestUrl);
  if (!filePath) return null;
  try {
    const [realRoot, realFile] = await Promise.all([fs.realpath(rootDir), fs.realpath(filePath)]);
    if (!realFile.startsWith(realRoot + path.sep)) return null;
    const stat = await fs.stat(realFile);
    if (!stat.isFile()) return null;
    return { filePath, body: await fs.readFile(realFile) };
  } catch {
    return null;
  }
}

function securityHeaders(contentType: string): Record<string, string> {
  return {
    'Content-Type': contentType,
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  };
}

export async function appProtocolResponse(rootDir: string, request: Request): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return new Response(null, { status: 405, headers: securityHeaders('text/plain; charset=utf-8') });
  }
  const file = await readAppFile(rootDir, request.url);
  if (!file) return new Response('Not found', { status: 404, headers: securityHeaders('text/plain; charset=utf-8') });
  const body = request.method === 'HEAD' ? null : file.body;
  return new Response(body, { status: 200, headers: securityHeaders(mimeTypeFor(file.filePath)) });
}

/** Call once the app is ready. `protocol` is injected so this module stays loadable without Electron. */
export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(APP_SCHEME, (request) => appProtocolResponse(rootDir, request));
}
