/**
 * Main-process wiring only. Every decision (what may load, who may call IPC, what opens externally) lives
 * in security.ts, protocol.ts and ipc/, where it is unit-tested; this file connects them to Electron.
 */
import path from 'node:path';
import { app, BrowserWindow, Menu, ipcMain, protocol, session, shell } from 'electron';
import type { MainEventChannel, MainEvents } from '../shared/ipc.ts';
import { FileRegistry } from './files.ts';
import type { PickedFile } from '../shared/ipc.ts';
import { registerAllIpc } from './ipc/index.ts';
import { buildMenuTemplate } from './menu.ts';
import { WatchService } from './watch/service.ts';
import { WATCH_STORE_FILE, WatchStore } from './watch/store.ts';
import { pickFiles, pickFolder } from './pickers.ts';
import { APP_SCHEME_PRIVILEGES, registerAppProtocol } from './protocol.ts';
import {
  APP_ENTRY_URL,
  createNavigationGuard,
  createRedirectGuard,
  createWindowOpenHandler,
  devServerOrigin,
  permissionCheckHandler,
  permissionRequestHandler,
} from './security.ts';

// Before anything reads userData: the single-instance lock lives there, so e2e runs with their own
// folder neither share state nor block each other.
const userDataOverride = process.env.SIGHTLINE_USER_DATA;
if (userDataOverride) app.setPath('userData', path.resolve(userDataOverride));

const devUrl = process.env.SIGHTLINE_DEV_URL;
const devOrigin = devServerOrigin(devUrl, app.isPackaged);
if (devUrl && !devOrigin) console.warn('[sightline] SIGHTLINE_DEV_URL ignored: only loopback http in unpackaged runs');
const extraOrigins = devOrigin ? [devOrigin] : [];
const devTools = !app.isPackaged;

// Both bundles sit in dist-electron/, next to dist/web, in the repo and inside app.asar alike.
const rendererRoot = path.join(__dirname, '..', 'dist', 'web');
const preloadPath = path.join(__dirname, 'preload.cjs');

const registry = new FileRegistry();
let mainWindow: BrowserWindow | null = null;
let watchService: WatchService | undefined;

function liveWindow(): BrowserWindow | null {
  return mainWindow && !mainWindow.isDestroyed() ? mainWindow : null;
}

/** Only ever called with URLs that already passed safeExternalUrl (the reviewed reason for eng-disable). */
function openExternal(url: string): void {
  const opening = shell.openExternal(url); // eng-disable OPEN_EXTERNAL_JS_CHECK
  opening.catch((error: unknown) => console.error('[sightline] openExternal failed', error));
}

function sendMainEvent<E extends MainEventChannel>(window: BrowserWindow, channel: E, payload: MainEvents[E]): void {
  if (!window.isDestroyed()) window.webContents.send(channel, payload);
}

async function importFromMenu(pick: typeof pickFiles): Promise<void> {
  const window = liveWindow();
  if (!window) return;
  let files: PickedFile[];
  try {
    files = await pick(window, registry);
  } catch (error) {
    console.error('[sightline] import from menu failed', error);
    return;
  }
  if (files.length > 0) sendMainEvent(window, 'menu:files-picked', files);
}

function showAbout(): void {
  app.setAboutPanelOptions({ applicationName: 'Sightline', applicationVersion: app.getVersion() });
  app.showAboutPanel();
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    title: 'Sightline',
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    // Kept inline (not a variable) so Electronegativity can read it; electron/main.test.ts proves it equals
    // buildWebPreferences(). The preload was reviewed: it exposes createBridge()'s named functions only.
    webPreferences: {
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK

      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
      devTools: devTools,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-fail-load', (_event, code, description, url) => {
    console.error(`[sightline] failed to load ${url}: ${code} ${description}`);
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null;
    // Tokens belong to the page that received them; a new window starts with none.
    registry.clear();
    watchService?.forgetPending();
  });
  void window.loadURL(devOrigin && devUrl ? devUrl : APP_ENTRY_URL);
  return window;
}

function focusExistingWindow(): void {
  const window = liveWindow();
  if (!window) return;
  if (window.isMinimized()) window.restore();
  window.focus();
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', focusExistingWindow);
  app.enableSandbox();
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

  const guardNavigation = createNavigationGuard(openExternal, extraOrigins);
  const guardRedirect = createRedirectGuard(extraOrigins);
  const windowOpenHandler = createWindowOpenHandler(openExternal);
  // Applied to every WebContents, including any a bug or exploit might create later.
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.on('will-navigate', (event, url) => guardNavigation(event, url));
    contents.on('will-redirect', (event, url) => guardRedirect(event, url));
    contents.setWindowOpenHandler(windowOpenHandler);
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!liveWindow()) mainWindow = createWindow();
  });

  app.on('will-quit', () => void watchService?.close());

  app
    .whenReady()
    .then(() => {
      const watchStore = WatchStore.open(path.join(app.getPath('userData'), WATCH_STORE_FILE));
      watchService = new WatchService({
        store: watchStore,
        registry,
        deliver: (delivery) => {
          const window = liveWindow();
          // With no window the files stay unacknowledged: the next window's start-up re-scan offers them again.
          if (window) sendMainEvent(window, 'watch:folder-changed', delivery);
        },
      });
      watchService.start();
      registerAppProtocol(protocol, rendererRoot);
      session.defaultSession.setPermissionRequestHandler(permissionRequestHandler);
      session.defaultSession.setPermissionCheckHandler(permissionCheckHandler);
      session.defaultSession.setDevicePermissionHandler(() => false);
      registerAllIpc({ ipcMain, getWindow: liveWindow, extraOrigins }, registry, watchService);
      const actions = {
        importFiles: () => void importFromMenu(pickFiles),
        importFolder: () => void importFromMenu(pickFolder),
        showAbout,
      };
      Menu.setApplicationMenu(Menu.buildFromTemplate(buildMenuTemplate(actions, process.platform, { devTools })));
      mainWindow = createWindow();
    })
    .catch((error: unknown) => {
      console.error('[sightline] startup failed', error);
      app.exit(1);
    });
}
