/**
 * The window's security posture as plain functions, so every rule can be unit-tested with hostile input
 * without an Electron binary. main.ts only wires these into Electron's events.
 */
import type { WebPreferences } from 'electron';
import type { Configuration } from 'electron-builder';

export const APP_SCHEME = 'app';
export const APP_HOST = 'sightline';
/** Written by hand: WHATWG gives non-special schemes an opaque origin, so `new URL(...).origin` is 'null'. */
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

export interface WebPreferenceFlags {
  /** DevTools are a code-execution surface: only for unpackaged (developer) runs. */
  devTools: boolean;
}

export function buildWebPreferences(preloadPath: string, flags: WebPreferenceFlags): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    // Middle-click would open links in a new window without going through setWindowOpenHandler's intent.
    disableBlinkFeatures: 'Auxclick',
    // Spellcheck sends typed words to the OS dictionary service; analysts type IOCs and user names here.
    spellcheck: false,
    devTools: flags.devTools,
  };
}

function parseUrl(url: unknown): URL | null {
  if (typeof url !== 'string') return null;
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * The origin a URL belongs to, or null when it has none we could ever trust. Credentials are refused
 * outright: `app://evil@sightline/` must not pass as ours just because the host matches.
 */
export function trustedOriginOf(url: unknown): string | null {
  const parsed = parseUrl(url);
  if (!parsed || parsed.username !== '' || parsed.password !== '') return null;
  if (parsed.protocol === `${APP_SCHEME}:`) {
    // `host` keeps the port, so `app://sightline:1/` does not match either.
    return parsed.host === APP_HOST ? APP_ORIGIN : null;
  }
  if (parsed.protocol === 'http:' || parsed.protocol === 'https:') return parsed.origin;
  return null;
}

/**
 * Whether the window may navigate to (or accept IPC from) `url`. `extraOrigins` exists only for the
 * Vite dev server in unpackaged runs; production passes nothing.
 */
export function isAllowedNavigation(url: unknown, extraOrigins: readonly string[] = []): boolean {
  const origin = trustedOriginOf(url);
  return origin !== null && (origin === APP_ORIGIN || extraOrigins.includes(origin));
}

/**
 * The dev server origin from SIGHTLINE_DEV_URL, or null. Packaged builds never honour it, and only a
 * loopback http origin is accepted, so the variable cannot point the privileged window at the internet.
 */
export function devServerOrigin(value: string | undefined, isPackaged: boolean): string | null {
  if (isPackaged || !value) return null;
  const parsed = parseUrl(value);
  if (!parsed || parsed.protocol !== 'http:' || parsed.username !== '' || parsed.password !== '') return null;
  if (!['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname)) return null;
  return parsed.origin;
}

/**
 * The normalized URL if it is safe to hand to the OS (`shell.openExternal`), else null. Only https without
 * credentials: `file:`, `smb:` and `ms-msdt:` links are classic one-click code execution on Windows, and
 * alert fields are attacker-controlled text.
 */
export function safeExternalUrl(url: unknown): string | null {
  const parsed = parseUrl(url);
  if (!parsed || parsed.protocol !== 'https:') return null;
  if (parsed.username !== '' || parsed.password !== '' || parsed.hostname === '') return null;
  return parsed.href;
}

/** The parts of Electron's WebFrameMain we rely on, so tests can pass plain objects. */
export interface FrameLike {
  readonly url: string;
  readonly parent: FrameLike | null;
}

/**
 * Whether an IPC message really comes from our page: the sending frame must be the main frame of our
 * window (not an iframe, not another window) and currently on a trusted origin.
 */
export function validateSender(
  frame: FrameLike | null | undefined,
  topFrame: FrameLike | null | undefined,
  extraOrigins: readonly string[] = [],
): boolean {
  if (!frame || !topFrame || frame !== topFrame) return false;
  try {
    // A frame that navigated away or was destroyed can throw on access: treat that as untrusted.
    return frame.parent === null && isAllowedNavigation(frame.url, extraOrigins);
  } catch {
    return false;
  }
}

/** Sightline needs no camera, microphone, notifications, geolocation, clipboard-read or anything else. */
export function permissionRequestHandler(
  _webContents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

export function permissionCheckHandler(): boolean {
  return false;
}

export interface PreventableEvent {
  preventDefault(): void;
}

/**
 * `will-navigate` handler: in-app navigation proceeds; anything else is cancelled and, when it is a plain
 * https link the analyst clicked, opened in the system browser instead.
 */
export function createNavigationGuard(openExternal: (url: string) => void, extraOrigins: readonly string[] = []) {
  return function guardNavigation(event: PreventableEvent, url: string): void {
    if (isAllowedNavigation(url, extraOrigins)) return;
    event.preventDefault();
    const external = safeExternalUrl(url);
    if (external) openExternal(external);
  };
}

/** `will-redirect` handler: a redirect is never the analyst's intent, so nothing is opened externally. */
export function createRedirectGuard(extraOrigins: readonly string[] = []) {
  return function guardRedirect(event: PreventableEvent, url: string): void {
    if (!isAllowedNavigation(url, extraOrigins)) event.preventDefault();
  };
}

/** `setWindowOpenHandler`: never a new Electron window; safe https links go to the system browser. */
export function createWindowOpenHandler(openExternal: (url: string) => void) {
  return function windowOpenHandler(details: { url: string }): { action: 'deny' } {
    const external = safeExternalUrl(details.url);
    if (external) openExternal(external);
    return { action: 'deny' };
  };
}

/**
 * Package-time fuses (electron-builder `electronFuses`). electron-builder.yml repeats these values and a
 * unit test keeps the two equal.
 */
export const ELECTRON_FUSES = {
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a general-purpose Node interpreter.
  runAsNode: false,
  enableCookieEncryption: true,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  // The UI is served from app://, so file:// needs none of its legacy privileges.
  grantFileProtocolExtraPrivileges: false,
} as const satisfies NonNullable<Configuration['electronFuses']>;
