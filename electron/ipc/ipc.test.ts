import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { BrowserWindow } from 'electron';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_CHUNK_BYTES, ipcArgSchemas } from '../../shared/ipc.ts';
import type { IpcChannel, WatchDelivery, WatchedFolder } from '../../shared/ipc.ts';
import { IpcFailure } from '../errors.ts';
import { FileRegistry } from '../files.ts';
import type { FrameLike } from '../security.ts';
import { handle } from './handle.ts';
import type { IpcMainLike, InvokeListener, WindowLike } from './handle.ts';
import { registerAllIpc } from './index.ts';
import { WatchService } from '../watch/service.ts';
import { WatchStore } from '../watch/store.ts';

const electron = vi.hoisted(() => ({
  showOpenDialog: vi.fn(),
  openExternal: vi.fn(),
}));

vi.mock('electron', () => ({
  dialog: { showOpenDialog: electron.showOpenDialog },
  shell: { openExternal: electron.openExternal },
  app: { getName: () => 'Sightline', getVersion: () => '0.1.0' },
}));

const CHANNELS = Object.keys(ipcArgSchemas) as IpcChannel[];

class FakeIpcMain implements IpcMainLike {
  readonly listeners = new Map<string, InvokeListener>();

  handle(channel: string, listener: InvokeListener): void {
    // Electron throws on a second handler for the same channel; so does the fake.
    if (this.listeners.has(channel)) throw new Error(`duplicate handler for ${channel}`);
    this.listeners.set(channel, listener);
  }

  invoke(channel: string, senderFrame: FrameLike | null, ...args: unknown[]): Promise<unknown> {
    const listener = this.listeners.get(channel);
    if (!listener) throw new Error(`no handler for ${channel}`);
    return listener({ senderFrame }, ...args);
  }
}

const topFrame: FrameLike = { url: 'app://sightline/index.html', parent: null };
const fakeWindow: WindowLike = { webContents: { mainFrame: topFrame } };

const services: WatchService[] = [];

/** A real watch service over a store file in the test folder; quietMs 0 because the fixtures are written up front. */
function watchService(registry: FileRegistry): WatchService {
  const service = new WatchService({ store: new WatchStore(path.join(base, `watch-${services.length}.json`)), registry, deliver: () => undefined, quietMs: 0 });
  services.push(service);
  return service;
}

function setup() {
  const ipcMain = new FakeIpcMain();
  const registry = new FileRegistry();
  // The dialog parent is only passed through to the mocked dialog, so a structural fake is enough.
  const getWindow = () => fakeWindow as unknown as BrowserWindow;
  registerAllIpc({ ipcMain, getWindow }, registry, watchService(registry));
  return { ipcMain, registry };
}

/** A payload each channel accepts, so sender tests cannot pass by failing validation first. */
const VALID_PAYLOAD: Record<IpcChannel, unknown[]> = {
  'dialog:open-files': [],
  'dialog:open-folder': [],
  'file:read-chunk': [{ token: 'abc', offset: 0, length: 10 }],
  'file:release': [{ token: 'abc' }],
  'app:info': [],
  'shell:open-external': [{ url: 'https://portal.azure.com/' }],
  'watch:list': [],
  'watch:add': [],
  'watch:remove': [{ folderId: 'f1' }],
  'watch:rescan': [{ folderId: 'f1' }],
  'watch:record-sync': [
    { folderId: 'f1', tokens: ['t1'], result: { at: 1, files: 1, added: 1, updated: 0, unchanged: 0, rejected: 0, skipped: 0, failed: 0 } },
  ],
};

let base: string;

beforeAll(() => {
  base = mkdtempSync(path.join(tmpdir(), 'sightline-ipc-'));
  mkdirSync(path.join(base, 'folder', 'sub'), { recursive: true });
  writeFileSync(path.join(base, 'alerts.json'), '{"value":[1,2,3]}');
  writeFileSync(path.join(base, 'folder', 'a.csv'), 'id\n1\n');
  writeFileSync(path.join(base, 'folder', 'sub', 'b.csv'), 'id\n2\n');
});

afterAll(async () => {
  await Promise.all(services.map((service) => service.close()));
  rmSync(base, { recursive: true, force: true });
});

beforeEach(() => {
  electron.showOpenDialog.mockReset().mockResolvedValue({ canceled: true, filePaths: [] });
  electron.openExternal.mockReset().mockResolvedValue(undefined);
});

describe('registration', () => {
  it('registers exactly the channels of shared/ipc.ts', () => {
    const { ipcMain } = setup();
    expect([...ipcMain.listeners.keys()].sort()).toEqual([...CHANNELS].sort());
  });
});

describe('sender validation', () => {
  const foreignSenders: [string, FrameLike | null][] = [
    ['a null frame', null],
    ['another origin', { url: 'https://evil.example/', parent: null }],
    ['a file: page', { url: 'file:///tmp/evil.html', parent: null }],
    ['a look-alike host', { url: 'app://sightline.evil/index.html', parent: null }],
    ['an iframe on our origin', { url: 'app://sightline/index.html', parent: topFrame }],
    ['another window on our origin', { url: 'app://sightline/index.html', parent: null }],
  ];

  for (const channel of CHANNELS) {
    it.each(foreignSenders)(`${channel} refuses %s`, async (_label, frame) => {
      const { ipcMain } = setup();
      const result = await ipcMain.invoke(channel, frame, ...VALID_PAYLOAD[channel]);
      expect(result).toMatchObject({ ok: false, error: { code: 'bad-sender' } });
      expect(electron.showOpenDialog).not.toHaveBeenCalled();
      expect(electron.openExternal).not.toHaveBeenCalled();
    });
  }

  it('refuses our own main frame once it navigated away', async () => {
    const ipcMain = new FakeIpcMain();
    const navigated: FrameLike = { url: 'https://evil.example/', parent: null };
    const registry = new FileRegistry();
    registerAllIpc({ ipcMain, getWindow: () => ({ webContents: { mainFrame: navigated } }) as unknown as BrowserWindow }, registry, watchService(registry));
    expect(await ipcMain.invoke('app:info', navigated)).toMatchObject({ ok: false, error: { code: 'bad-sender' } });
  });

  it('refuses everything when there is no window or it is destroyed', async () => {
    const ipcMain = new FakeIpcMain();
    const destroyed = {
      get webContents(): never {
        throw new Error('Object has been destroyed');
      },
    };
    let current: unknown = null;
    const registry = new FileRegistry();
    registerAllIpc({ ipcMain, getWindow: () => current as BrowserWindow | null }, registry, watchService(registry));
    expect(await ipcMain.invoke('app:info', topFrame)).toMatchObject({ ok: false, error: { code: 'bad-sender' } });
    current = destroyed;
    expect(await ipcMain.invoke('app:info', topFrame)).toMatchObject({ ok: false, error: { code: 'bad-sender' } });
  });

  it('refuses a missing event object without throwing', async () => {
    const { ipcMain } = setup();
    const listener = ipcMain.listeners.get('app:info');
    const result = await listener?.(undefined as unknown as { senderFrame: null });
    expect(result).toMatchObject({ ok: false, error: { code: 'bad-sender' } });
  });
});

describe('payload validation', () => {
  for (const channel of CHANNELS) {
    const schema = ipcArgSchemas[channel];

    it(`${channel}: arbitrary JSON payloads are refused as bad-payload and never throw`, async () => {
      const { ipcMain } = setup();
      await fc.assert(
        fc.asyncProperty(fc.jsonValue(), async (value) => {
          const result = await ipcMain.invoke(channel, topFrame, value);
          if (!schema.safeParse(value).success) {
            expect(result).toMatchObject({ ok: false, error: { code: 'bad-payload' } });
          } else {
            expect(result).toHaveProperty('ok');
          }
        }),
        { numRuns: 200 },
      );
    });

    it(`${channel}: arbitrary values (undefined, -0, NaN, sparse arrays, null prototypes) never throw`, async () => {
      const { ipcMain } = setup();
      await fc.assert(
        fc.asyncProperty(
          fc.anything({ withNullPrototype: true, withSparseArray: true, withBigInt: true, withDate: true, withMap: true, withSet: true, withTypedArray: true }),
          async (value) => {
            const result = (await ipcMain.invoke(channel, topFrame, value)) as { ok: boolean; error?: { code: string } };
            expect(typeof result.ok).toBe('boolean');
            if (!schema.safeParse(value).success) expect(result.error?.code).toBe('bad-payload');
          },
        ),
        { numRuns: 200 },
      );
    });

    it(`${channel}: a second argument is refused`, async () => {
      const { ipcMain } = setup();
      const result = await ipcMain.invoke(channel, topFrame, ...VALID_PAYLOAD[channel], VALID_PAYLOAD[channel][0] ?? {}, 'extra');
      expect(result).toMatchObject({ ok: false, error: { code: 'bad-payload' } });
    });
  }

  it.each([
    [{ token: 'a', offset: -1, length: 1 }],
    [{ token: 'a', offset: 0, length: 0 }],
    [{ token: 'a', offset: 0, length: MAX_CHUNK_BYTES + 1 }],
    [{ token: 'a', offset: 0.5, length: 1 }],
    [{ token: '', offset: 0, length: 1 }],
    [{ token: 'x'.repeat(129), offset: 0, length: 1 }],
    [{ token: 'a', offset: 0, length: 1, path: '/etc/passwd' }],
    [{ token: 'a', offset: '0', length: 1 }],
    [{ token: 'a', offset: Number.NaN, length: 1 }],
    [JSON.parse('{"token":"a","offset":0,"length":1,"__proto__":{"admin":true}}') as unknown],
  ])('file:read-chunk refuses %j', async (payload) => {
    const { ipcMain } = setup();
    expect(await ipcMain.invoke('file:read-chunk', topFrame, payload)).toMatchObject({
      ok: false,
      error: { code: 'bad-payload' },
    });
  });
});

describe('dialog handlers', () => {
  it('dialog:open-files returns tokens, never paths', async () => {
    const { ipcMain, registry } = setup();
    const file = path.join(base, 'alerts.json');
    electron.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: [file] });
    const result = (await ipcMain.invoke('dialog:open-files', topFrame)) as { ok: true; value: { token: string }[] };
    expect(result.ok).toBe(true);
    expect(result.value).toEqual([{ token: expect.any(String), name: 'alerts.json', relativePath: 'alerts.json', size: 17, lastModified: expect.any(Number) }]);
    expect(JSON.stringify(result)).not.toContain(base);
    expect(registry.resolve(result.value[0]?.token ?? '')).toBe(file);
    expect(electron.showOpenDialog).toHaveBeenCalledWith(fakeWindow, expect.objectContaining({ properties: ['openFile', 'multiSelections'] }));
  });

  it('dialog:open-folder lists the folder recursively with relative paths', async () => {
    const { ipcMain } = setup();
    electron.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: [path.join(base, 'folder')] });
    const result = (await ipcMain.invoke('dialog:open-folder', topFrame)) as { ok: true; value: { relativePath: string }[] };
    expect(result.value.map((f) => f.relativePath)).toEqual(['a.csv', 'sub/b.csv']);
  });

  it('a cancelled dialog is an empty success', async () => {
    const { ipcMain } = setup();
    expect(await ipcMain.invoke('dialog:open-files', topFrame)).toEqual({ ok: true, value: [] });
    expect(await ipcMain.invoke('dialog:open-folder', topFrame)).toEqual({ ok: true, value: [] });
  });

  it('a failing dialog becomes a generic failed envelope', async () => {
    const { ipcMain } = setup();
    electron.showOpenDialog.mockRejectedValue(new Error(`EACCES ${base}/private`));
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const result = await ipcMain.invoke('dialog:open-folder', topFrame);
    expect(result).toEqual({ ok: false, error: { code: 'failed', message: 'dialog:open-folder failed' } });
    errors.mockRestore();
  });
});

describe('file handlers', () => {
  it('reads chunks by token and forgets released tokens', async () => {
    const { ipcMain, registry } = setup();
    const token = registry.register(path.join(base, 'alerts.json'));
    const chunk = (await ipcMain.invoke('file:read-chunk', topFrame, { token, offset: 1, length: 5 })) as {
      ok: true;
      value: Uint8Array;
    };
    expect(Buffer.from(chunk.value).toString()).toBe('"valu');
    expect(await ipcMain.invoke('file:release', topFrame, { token })).toEqual({ ok: true, value: undefined });
    expect(await ipcMain.invoke('file:release', topFrame, { token })).toEqual({ ok: true, value: undefined });
    expect(await ipcMain.invoke('file:read-chunk', topFrame, { token, offset: 0, length: 1 })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
  });
});

describe('watch handlers', () => {
  it('watches only a folder the native dialog returned, and hands out tokens for its files', async () => {
    const { ipcMain, registry } = setup();
    expect(await ipcMain.invoke('watch:add', topFrame)).toEqual({ ok: true, value: null });
    electron.showOpenDialog.mockResolvedValue({ canceled: false, filePaths: [path.join(base, 'folder')] });
    const added = (await ipcMain.invoke('watch:add', topFrame)) as { ok: true; value: { folder: WatchedFolder; delivery: WatchDelivery } };
    expect(added.ok).toBe(true);
    const { folder, delivery } = added.value;
    expect(folder).toMatchObject({ name: 'folder', location: path.join(base, 'folder'), status: 'watching' });
    expect(delivery.files.map((file) => file.relativePath)).toEqual(['folder/a.csv', 'folder/sub/b.csv']);
    expect(JSON.stringify(delivery)).not.toContain(base);
    expect(registry.resolve(delivery.files[0]!.token)).toBe(path.join(base, 'folder', 'a.csv'));

    const result = { at: 5, files: 2, added: 2, updated: 0, unchanged: 0, rejected: 0, skipped: 0, failed: 0 };
    const synced = await ipcMain.invoke('watch:record-sync', topFrame, { folderId: folder.id, tokens: delivery.files.map((file) => file.token), result });
    expect(synced).toMatchObject({ ok: true, value: { id: folder.id, lastSync: result } });
    expect(await ipcMain.invoke('watch:rescan', topFrame, { folderId: folder.id })).toEqual({ ok: true, value: { folderId: folder.id, files: [] } });
    expect(await ipcMain.invoke('watch:list', topFrame)).toMatchObject({ ok: true, value: [{ id: folder.id, lastSync: result }] });
    expect(await ipcMain.invoke('watch:remove', topFrame, { folderId: folder.id })).toEqual({ ok: true, value: undefined });
    expect(await ipcMain.invoke('watch:list', topFrame)).toEqual({ ok: true, value: [] });
    expect(await ipcMain.invoke('watch:rescan', topFrame, { folderId: folder.id })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it.each([[{ folderId: '' }], [{ folderId: 'f', path: '/etc' }], [{ folderId: 'x'.repeat(65) }]])('watch:rescan refuses %j', async (payload) => {
    const { ipcMain } = setup();
    expect(await ipcMain.invoke('watch:rescan', topFrame, payload)).toMatchObject({ ok: false, error: { code: 'bad-payload' } });
  });

  it('watch:record-sync refuses negative counts and too many tokens', async () => {
    const { ipcMain } = setup();
    const result = { at: 1, files: -1, added: 0, updated: 0, unchanged: 0, rejected: 0, skipped: 0, failed: 0 };
    expect(await ipcMain.invoke('watch:record-sync', topFrame, { folderId: 'f', tokens: [], result })).toMatchObject({
      ok: false,
      error: { code: 'bad-payload' },
    });
    const many = Array.from({ length: 10_001 }, (_, i) => `t${i}`);
    expect(await ipcMain.invoke('watch:record-sync', topFrame, { folderId: 'f', tokens: many, result: { ...result, files: 0 } })).toMatchObject({
      ok: false,
      error: { code: 'bad-payload' },
    });
  });
});

describe('app handlers', () => {
  it('app:info reports the electron shell, and the OS user that signs local decisions by default', async () => {
    const { ipcMain } = setup();
    let user: string | undefined;
    try {
      user = userInfo().username || undefined;
    } catch {
      user = undefined;
    }
    expect(await ipcMain.invoke('app:info', topFrame)).toEqual({
      ok: true,
      value: { name: 'Sightline', version: '0.1.0', platform: process.platform, shell: 'electron', userName: user },
    });
  });

  it('shell:open-external opens normalized https links', async () => {
    const { ipcMain } = setup();
    expect(await ipcMain.invoke('shell:open-external', topFrame, { url: 'HTTPS://Portal.Azure.com' })).toEqual({ ok: true, value: undefined });
    expect(electron.openExternal).toHaveBeenCalledExactlyOnceWith('https://portal.azure.com/');
  });

  it.each([
    'file:///C:/Windows/System32/calc.exe',
    'smb://attacker/share',
    'ms-msdt:/id PCWDiagnostic',
    'javascript:alert(1)',
    'http://portal.azure.com/',
    'https://u:p@portal.azure.com/',
  ])('shell:open-external refuses %j', async (url) => {
    const { ipcMain } = setup();
    expect(await ipcMain.invoke('shell:open-external', topFrame, { url })).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(electron.openExternal).not.toHaveBeenCalled();
  });
});

describe('handle()', () => {
  it('maps IpcFailure to its code and anything else to a generic failure', async () => {
    const ipcMain = new FakeIpcMain();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    let thrown: unknown = new IpcFailure('not-found', 'gone');
    handle(
      ipcMain,
      'app:info',
      () => {
        throw thrown;
      },
      () => fakeWindow,
    );
    expect(await ipcMain.invoke('app:info', topFrame)).toEqual({ ok: false, error: { code: 'not-found', message: 'gone' } });
    thrown = new Error('/home/analyst/secret/path leaked');
    expect(await ipcMain.invoke('app:info', topFrame)).toEqual({ ok: false, error: { code: 'failed', message: 'app:info failed' } });
    thrown = 'a string';
    expect(await ipcMain.invoke('app:info', topFrame)).toMatchObject({ ok: false, error: { code: 'failed' } });
    errors.mockRestore();
  });

  it('accepts the dev server origin only when configured', async () => {
    const dev: FrameLike = { url: 'http://localhost:5173/', parent: null };
    const devWindow: WindowLike = { webContents: { mainFrame: dev } };
    const strict = new FakeIpcMain();
    handle(
      strict,
      'app:info',
      () => ({ name: 'x', version: '1', platform: 'linux', shell: 'electron' }),
      () => devWindow,
    );
    expect(await strict.invoke('app:info', dev)).toMatchObject({ ok: false, error: { code: 'bad-sender' } });
    const relaxed = new FakeIpcMain();
    handle(
      relaxed,
      'app:info',
      () => ({ name: 'x', version: '1', platform: 'linux', shell: 'electron' }),
      () => devWindow,
      ['http://localhost:5173'],
    );
    expect(await relaxed.invoke('app:info', dev)).toMatchObject({ ok: true });
  });
});
