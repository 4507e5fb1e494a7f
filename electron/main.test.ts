/**
 * main.ts is wiring, so these tests load it against a fake 'electron' and check what it wired: the order of
 * pre-ready calls, the window options, the global WebContents guards and the session handlers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ipcArgSchemas } from '../shared/ipc.ts';
import { APP_SCHEME_PRIVILEGES } from './protocol.ts';
import { buildWebPreferences } from './security.ts';

type Fn = (...args: never[]) => unknown;

const fake = vi.hoisted(() => {
  const state = {
    isPackaged: false,
    gotLock: true,
    appListeners: new Map<string, Fn>(),
    windows: [] as {
      options: Record<string, unknown>;
      loadURL: ReturnType<typeof vi.fn>;
      restore: ReturnType<typeof vi.fn>;
      focus: ReturnType<typeof vi.fn>;
    }[],
  };
  function makeElectron() {
    const sessionApi = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setDevicePermissionHandler: vi.fn(),
    };
    class BrowserWindow {
      readonly options: Record<string, unknown>;
      readonly loadURL = vi.fn(async () => undefined);
      readonly once = vi.fn();
      readonly on = vi.fn();
      readonly isMinimized = vi.fn(() => true);
      readonly restore = vi.fn();
      readonly focus = vi.fn();
      readonly webContents = { on: vi.fn(), send: vi.fn(), mainFrame: { url: 'app://sightline/index.html', parent: null } };
      constructor(options: Record<string, unknown>) {
        this.options = options;
        state.windows.push(this);
      }
      isDestroyed() {
        return false;
      }
    }
    return {
      app: {
        get isPackaged() {
          return state.isPackaged;
        },
        setPath: vi.fn(),
        // No watched-folders file there: the watch store starts empty and nothing is written.
        getPath: vi.fn(() => '/nonexistent/sightline-user-data'),
        requestSingleInstanceLock: vi.fn(() => state.gotLock),
        quit: vi.fn(),
        exit: vi.fn(),
        enableSandbox: vi.fn(),
        on: vi.fn((event: string, listener: Fn) => state.appListeners.set(event, listener)),
        whenReady: vi.fn(() => Promise.resolve()),
        getName: () => 'Sightline',
        getVersion: () => '0.1.0',
        setAboutPanelOptions: vi.fn(),
        showAboutPanel: vi.fn(),
      },
      BrowserWindow,
      Menu: { buildFromTemplate: vi.fn((template: unknown) => ({ template })), setApplicationMenu: vi.fn() },
      ipcMain: { handle: vi.fn() },
      protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
      session: { defaultSession: sessionApi },
      shell: { openExternal: vi.fn(async () => undefined) },
      dialog: { showOpenDialog: vi.fn() },
    };
  }
  return { state, makeElectron, electron: null as ReturnType<typeof makeElectron> | null };
});

vi.mock('electron', () => {
  fake.electron = fake.makeElectron();
  return fake.electron;
});

async function loadMain() {
  await import('./main.ts');
  // Let the whenReady() continuation run.
  await new Promise((resolve) => setImmediate(resolve));
  const electron = fake.electron;
  if (!electron) throw new Error('electron mock not created');
  return electron;
}

function order(mock: { mock: { invocationCallOrder: number[] } }): number {
  const first = mock.mock.invocationCallOrder[0];
  if (first === undefined) throw new Error('not called');
  return first;
}

beforeEach(() => {
  // main.ts runs again on each import, but the mocked 'electron' module is cached: clear its recorded calls.
  vi.resetModules();
  vi.clearAllMocks();
  fake.state.isPackaged = false;
  fake.state.gotLock = true;
  fake.state.appListeners.clear();
  fake.state.windows.length = 0;
  delete process.env.SIGHTLINE_USER_DATA;
  delete process.env.SIGHTLINE_DEV_URL;
});

afterEach(() => {
  delete process.env.SIGHTLINE_USER_DATA;
  delete process.env.SIGHTLINE_DEV_URL;
});

describe('main.ts wiring', () => {
  it('sets userData, takes the lock, sandboxes and registers app:// before ready', async () => {
    process.env.SIGHTLINE_USER_DATA = 'tmp/e2e-profile';
    const { app, protocol } = await loadMain();
    expect(app.setPath).toHaveBeenCalledWith('userData', path.resolve('tmp/e2e-profile'));
    expect(order(app.setPath)).toBeLessThan(order(app.requestSingleInstanceLock));
    expect(app.enableSandbox).toHaveBeenCalledTimes(1);
    expect(protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([APP_SCHEME_PRIVILEGES]);
    expect(order(app.enableSandbox)).toBeLessThan(order(app.whenReady));
    expect(order(protocol.registerSchemesAsPrivileged)).toBeLessThan(order(protocol.handle));
    expect(protocol.handle).toHaveBeenCalledWith('app', expect.any(Function));
  });

  it('quits when another instance holds the lock', async () => {
    fake.state.gotLock = false;
    const { app } = await loadMain();
    expect(app.quit).toHaveBeenCalled();
    expect(fake.state.windows).toHaveLength(0);
    expect(app.whenReady).not.toHaveBeenCalled();
  });

  it('a second instance restores and focuses the existing window', async () => {
    await loadMain();
    const secondInstance = fake.state.appListeners.get('second-instance') as unknown as () => void;
    secondInstance();
    expect(fake.state.windows).toHaveLength(1);
    expect(fake.state.windows[0]?.restore).toHaveBeenCalledTimes(1);
    expect(fake.state.windows[0]?.focus).toHaveBeenCalledTimes(1);
  });

  it.each([false, true])('creates the window with buildWebPreferences (packaged=%s) and loads app://', async (isPackaged) => {
    fake.state.isPackaged = isPackaged;
    await loadMain();
    expect(fake.state.windows).toHaveLength(1);
    const window = fake.state.windows[0];
    const preload = (window?.options.webPreferences as { preload: string }).preload;
    expect(path.basename(preload)).toBe('preload.cjs');
    expect(window?.options.webPreferences).toEqual(buildWebPreferences(preload, { devTools: !isPackaged }));
    expect(window?.loadURL).toHaveBeenCalledExactlyOnceWith('app://sightline/index.html');
  });

  it.each([
    ['http://localhost:5173/', false, 'http://localhost:5173/'],
    ['http://localhost:5173/', true, 'app://sightline/index.html'],
    ['https://evil.example/', false, 'app://sightline/index.html'],
  ])('SIGHTLINE_DEV_URL=%s (packaged=%s) loads %s', async (devUrl, isPackaged, expected) => {
    process.env.SIGHTLINE_DEV_URL = devUrl;
    fake.state.isPackaged = isPackaged;
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    await loadMain();
    expect(fake.state.windows[0]?.loadURL).toHaveBeenCalledExactlyOnceWith(expected);
    warn.mockRestore();
  });

  it('denies every permission on the default session', async () => {
    const { session } = await loadMain();
    const request = session.defaultSession.setPermissionRequestHandler.mock.calls[0]?.[0] as unknown as Fn;
    const check = session.defaultSession.setPermissionCheckHandler.mock.calls[0]?.[0] as unknown as () => boolean;
    const device = session.defaultSession.setDevicePermissionHandler.mock.calls[0]?.[0] as unknown as () => boolean;
    const callback = vi.fn();
    (request as (...args: unknown[]) => void)({}, 'media', callback, {});
    expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    expect(check()).toBe(false);
    expect(device()).toBe(false);
  });

  it('registers every IPC channel once and sets the menu', async () => {
    const { ipcMain, Menu } = await loadMain();
    const channels = ipcMain.handle.mock.calls.map((call) => (call as unknown[])[0]);
    expect([...channels].sort()).toEqual(Object.keys(ipcArgSchemas).sort());
    expect(Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
  });

  it('guards every WebContents: webviews, navigation, redirects, new windows', async () => {
    const { shell } = await loadMain();
    const created = fake.state.appListeners.get('web-contents-created') as unknown as (e: unknown, c: unknown) => void;
    const handlers = new Map<string, (event: { preventDefault(): void }, url?: string) => void>();
    const contents = {
      on: vi.fn((event: string, handler: (event: { preventDefault(): void }, url?: string) => void) => handlers.set(event, handler)),
      setWindowOpenHandler: vi.fn(),
    };
    created({}, contents);

    const webview = { preventDefault: vi.fn() };
    handlers.get('will-attach-webview')?.(webview);
    expect(webview.preventDefault).toHaveBeenCalled();

    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const navigate = { preventDefault: vi.fn() };
      handlers.get('will-navigate')?.(navigate, url);
      expect(navigate.preventDefault).toHaveBeenCalled();
      const redirect = { preventDefault: vi.fn() };
      handlers.get('will-redirect')?.(redirect, url);
      expect(redirect.preventDefault).toHaveBeenCalled();
    }
    const inApp = { preventDefault: vi.fn() };
    handlers.get('will-navigate')?.(inApp, 'app://sightline/index.html#/alerts');
    expect(inApp.preventDefault).not.toHaveBeenCalled();
    // The https link went to the system browser; file: and javascript: did not.
    expect(shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://evil.example/');

    const openHandler = contents.setWindowOpenHandler.mock.calls[0]?.[0] as (d: { url: string }) => unknown;
    expect(openHandler({ url: 'app://sightline/index.html' })).toEqual({ action: 'deny' });
  });
});

describe('main.ts source', () => {
  const source = readFileSync(path.join(import.meta.dirname, 'main.ts'), 'utf8');
  const file = ts.createSourceFile('main.ts', source, ts.ScriptTarget.Latest, true);

  function findWebPreferences(): ts.PropertyAssignment[] {
    const found: ts.PropertyAssignment[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isNewExpression(node) && node.expression.getText(file) === 'BrowserWindow') {
        const options = node.arguments?.[0];
        if (options && ts.isObjectLiteralExpression(options)) {
          for (const property of options.properties) {
            if (ts.isPropertyAssignment(property) && property.name.getText(file) === 'webPreferences') found.push(property);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
    return found;
  }

  it('writes webPreferences inline in new BrowserWindow (for Electronegativity), equal to buildWebPreferences', () => {
    const [webPreferences, ...others] = findWebPreferences();
    expect(others).toHaveLength(0);
    if (!webPreferences || !ts.isObjectLiteralExpression(webPreferences.initializer)) {
      throw new Error('webPreferences must be an object literal inside new BrowserWindow({...})');
    }
    const written: Record<string, string> = {};
    for (const property of webPreferences.initializer.properties) {
      // A spread or shorthand would hide values from the static scanner.
      if (!ts.isPropertyAssignment(property)) throw new Error(`unexpected ${ts.SyntaxKind[property.kind]}`);
      written[property.name.getText(file)] = property.initializer.getText(file);
    }
    const expected = Object.fromEntries(
      Object.entries(buildWebPreferences('preloadPath', { devTools: true })).map(([key, value]) => {
        if (key === 'preload') return [key, 'preloadPath'];
        if (key === 'devTools') return [key, 'devTools'];
        return [key, typeof value === 'string' ? `'${value}'` : String(value)];
      }),
    );
    expect(written).toEqual(expected);
  });

  it('keeps the reviewed-preload suppression on the line Electronegativity reports (the preload key)', () => {
    const line = source.split('\n').find((text) => /^\s*preload:/.test(text));
    expect(line).toContain('eng-disable PRELOAD_JS_CHECK');
  });
});
