import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../shared/csp.ts';
import { APP_SCHEME_PRIVILEGES, appProtocolResponse, mimeTypeFor, readAppFile, registerAppProtocol, resolveAppPath } from './protocol.ts';

const ROOT = path.resolve('/srv/sightline/dist/web');

describe('resolveAppPath', () => {
  it('maps / to index.html and nested paths under the root', () => {
    expect(resolveAppPath(ROOT, 'app://sightline/')).toBe(path.join(ROOT, 'index.html'));
    expect(resolveAppPath(ROOT, 'app://sightline')).toBe(path.join(ROOT, 'index.html'));
    expect(resolveAppPath(ROOT, 'app://sightline/index.html?x=1#/alerts')).toBe(path.join(ROOT, 'index.html'));
    expect(resolveAppPath(ROOT, 'app://sightline/assets/index-abc.js')).toBe(path.join(ROOT, 'assets', 'index-abc.js'));
    expect(resolveAppPath(ROOT, 'app://sightline/assets/My%20Font.woff2')).toBe(path.join(ROOT, 'assets', 'My Font.woff2'));
  });

  it('keeps dot-segments that the URL parser already resolved inside the root', () => {
    // WHATWG collapses literal and %2e-encoded dot segments before we see the path: still inside the root.
    expect(resolveAppPath(ROOT, 'app://sightline/assets/../index.html')).toBe(path.join(ROOT, 'index.html'));
    expect(resolveAppPath(ROOT, 'app://sightline/../../../etc/passwd')).toBe(path.join(ROOT, 'etc', 'passwd'));
    expect(resolveAppPath(ROOT, 'app://sightline/%2e%2e/%2E%2E/etc/passwd')).toBe(path.join(ROOT, 'etc', 'passwd'));
  });

  it.each([
    'app://sightline/..%2f..%2fetc%2fpasswd',
    'app://sightline/..%2F..%2Fetc/passwd',
    'app://sightline/assets%2f..%2f..%2fsecret',
    'app://sightline/..%5c..%5cwindows%5cwin.ini',
    'app://sightline/%5c%5cserver%5cshare',
    'app://sightline/..\\..\\etc\\passwd',
    'app://sightline/%2e%2e%2fetc/passwd',
    'app://sightline/%2fetc%2fpasswd',
    'app://sightline//etc/passwd',
    'app://sightline/C:/Windows/win.ini',
    'app://sightline/C%3a%5cWindows%5cwin.ini',
    'app://sightline/index.html%00.png',
    'app://sightline/%E0%A4%A',
    'app://sightline/assets/',
    'app://sightline.evil/index.html',
    'app://evil/index.html',
    'app://user@sightline/index.html',
    'app://sightline:81/index.html',
    'https://sightline/index.html',
    'file:///etc/passwd',
    '/etc/passwd',
    'C:\\Windows\\win.ini',
    'not a url',
    '',
  ])('rejects %j', (url) => {
    expect(resolveAppPath(ROOT, url)).toBeNull();
  });
});

describe('mimeTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['a.js', 'text/javascript; charset=utf-8'],
    ['a.css', 'text/css; charset=utf-8'],
    ['a.svg', 'image/svg+xml'],
    ['a.PNG', 'image/png'],
    ['a.json', 'application/json; charset=utf-8'],
    ['a.woff2', 'font/woff2'],
    ['a.js.map', 'application/json; charset=utf-8'],
    ['a.wasm', 'application/wasm'],
    ['a.exe', 'application/octet-stream'],
    ['noext', 'application/octet-stream'],
  ])('%s → %s', (file, mime) => {
    expect(mimeTypeFor(file)).toBe(mime);
  });
});

describe('serving files', () => {
  let base: string;
  let root: string;

  beforeAll(() => {
    base = mkdtempSync(path.join(tmpdir(), 'sightline-protocol-'));
    root = path.join(base, 'web');
    mkdirSync(path.join(root, 'assets'), { recursive: true });
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>Sightline</title>');
    writeFileSync(path.join(root, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(path.join(base, 'secret.txt'), 'outside the root');
    symlinkSync(path.join(base, 'secret.txt'), path.join(root, 'assets', 'escape.js'));
    symlinkSync(base, path.join(root, 'up'));
  });

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves a file with its MIME type, the CSP and nosniff', async () => {
    const response = await appProtocolResponse(root, new Request('app://sightline/assets/app.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('serves index.html for the root', async () => {
    const response = await appProtocolResponse(root, new Request('app://sightline/'));
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await response.text()).toContain('<title>Sightline</title>');
  });

  it('refuses symlinks that lead out of the root', async () => {
    expect(await readAppFile(root, 'app://sightline/assets/escape.js')).toBeNull();
    expect(await readAppFile(root, 'app://sightline/up/secret.txt')).toBeNull();
    const response = await appProtocolResponse(root, new Request('app://sightline/up/secret.txt'));
    expect(response.status).toBe(404);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).not.toContain('outside');
  });

  it('404s missing files and directories, 405s writes', async () => {
    expect((await appProtocolResponse(root, new Request('app://sightline/missing.js'))).status).toBe(404);
    expect((await appProtocolResponse(root, new Request('app://sightline/assets'))).status).toBe(404);
    const post = new Request('app://sightline/index.html', { method: 'POST', body: 'x' });
    expect((await appProtocolResponse(root, post)).status).toBe(405);
  });

  it('registers one handler for the app scheme', async () => {
    const protocol = { handle: vi.fn() };
    registerAppProtocol(protocol, root);
    expect(protocol.handle).toHaveBeenCalledExactlyOnceWith('app', expect.any(Function));
    const handler = protocol.handle.mock.calls[0]?.[1] as (request: Request) => Promise<Response>;
    expect((await handler(new Request('app://sightline/index.html'))).status).toBe(200);
  });
});

describe('APP_SCHEME_PRIVILEGES', () => {
  it('is standard, secure and fetchable, and does not bypass the CSP', () => {
    expect(APP_SCHEME_PRIVILEGES).toEqual({
      scheme: 'app',
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    });
  });
});
