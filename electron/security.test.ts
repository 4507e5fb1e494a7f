import { describe, expect, it, vi } from 'vitest';
import {
  APP_ENTRY_URL,
  APP_ORIGIN,
  ELECTRON_FUSES,
  buildWebPreferences,
  createNavigationGuard,
  createRedirectGuard,
  createWindowOpenHandler,
  devServerOrigin,
  isAllowedNavigation,
  permissionCheckHandler,
  permissionRequestHandler,
  safeExternalUrl,
  validateSender,
} from './security.ts';
import type { FrameLike } from './security.ts';

const HOSTILE_NAVIGATION = [
  'https://app.evil/',
  'https://sightline/',
  'http://sightline/',
  'app://sightline.evil/index.html',
  'app://evil.sightline/index.html',
  'app://evil@sightline/index.html',
  'app://sightline:pw@sightline/index.html',
  'app://sightline:8080/index.html',
  'app://SIGHTLINE.evil/',
  'app:sightline/index.html',
  'file:///etc/passwd',
  'file://sightline/index.html',
  'javascript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'blob:app://sightline/uuid',
  'about:blank',
  'chrome://settings',
  'devtools://devtools/bundled/inspector.html',
  'ws://localhost:5173/',
  'http://localhost:5173/',
  '//sightline/index.html',
  '/index.html',
  '',
  'not a url',
  'app://',
];

describe('buildWebPreferences', () => {
  it('locks the renderer down whatever the devTools flag', () => {
    for (const devTools of [true, false]) {
      expect(buildWebPreferences('/app/preload.cjs', { devTools })).toEqual({
        preload: '/app/preload.cjs',
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
        devTools,
      });
    }
  });

  it('never sets the options the checklist forbids', () => {
    const prefs = buildWebPreferences('/p.cjs', { devTools: false });
    for (const key of ['experimentalFeatures', 'enableBlinkFeatures', 'enableRemoteModule', 'additionalArguments']) {
      expect(prefs).not.toHaveProperty(key);
    }
  });
});

describe('isAllowedNavigation', () => {
  it('allows the app origin', () => {
    expect(APP_ORIGIN).toBe('app://sightline');
    expect(isAllowedNavigation(APP_ENTRY_URL)).toBe(true);
    expect(isAllowedNavigation('app://sightline/')).toBe(true);
    expect(isAllowedNavigation('app://sightline/index.html#/alerts?id=1')).toBe(true);
  });

  it.each(HOSTILE_NAVIGATION)('rejects %j', (url) => {
    expect(isAllowedNavigation(url)).toBe(false);
  });

  it('rejects non-strings', () => {
    for (const value of [undefined, null, 42, {}, ['app://sightline/'], { toString: () => APP_ENTRY_URL }]) {
      expect(isAllowedNavigation(value)).toBe(false);
    }
  });

  it('accepts an extra (dev server) origin only exactly', () => {
    const extra = ['http://localhost:5173'];
    expect(isAllowedNavigation('http://localhost:5173/index.html', extra)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', extra)).toBe(false);
    expect(isAllowedNavigation('https://localhost:5173/', extra)).toBe(false);
    expect(isAllowedNavigation('http://user@localhost:5173/', extra)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173.evil/', extra)).toBe(false);
  });
});

describe('devServerOrigin', () => {
  it('accepts loopback http in unpackaged runs only', () => {
    expect(devServerOrigin('http://localhost:5173/', false)).toBe('http://localhost:5173');
    expect(devServerOrigin('http://127.0.0.1:4000/x', false)).toBe('http://127.0.0.1:4000');
    expect(devServerOrigin('http://localhost:5173/', true)).toBeNull();
    expect(devServerOrigin(undefined, false)).toBeNull();
  });

  it.each(['https://evil.example/', 'http://evil.example:5173/', 'http://localhost.evil/', 'file:///tmp/x', 'http://u:p@localhost/', 'nonsense'])(
    'rejects %j',
    (value) => {
      expect(devServerOrigin(value, false)).toBeNull();
    },
  );
});

describe('safeExternalUrl', () => {
  it('returns the normalized https URL', () => {
    expect(safeExternalUrl('https://portal.azure.com/#blade/x')).toBe('https://portal.azure.com/#blade/x');
    expect(safeExternalUrl('HTTPS://Security.Microsoft.com')).toBe('https://security.microsoft.com/');
    expect(safeExternalUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
  });

  it.each([
    'http://portal.azure.com/',
    'file:///C:/Windows/System32/calc.exe',
    'file://attacker/share/payload.exe',
    'smb://attacker/share',
    '\\\\attacker\\share\\x.exe',
    'ms-msdt:/id PCWDiagnostic /skip force',
    'search-ms:query=x&crumb=location:\\\\attacker',
    'javascript:alert(1)',
    ' javascript:alert(1)',
    'jAvAsCrIpT:alert(1)',
    'data:text/html,x',
    'vbscript:msgbox(1)',
    'https://user:pass@portal.azure.com/',
    'https://user@portal.azure.com/',
    'https://',
    'app://sightline/index.html',
    'mailto:a@b.c',
    '',
    'not a url',
  ])('refuses %j', (url) => {
    expect(safeExternalUrl(url)).toBeNull();
  });

  it('refuses non-strings', () => {
    for (const value of [undefined, null, 1, {}, []]) expect(safeExternalUrl(value)).toBeNull();
  });
});

describe('validateSender', () => {
  const top: FrameLike = { url: APP_ENTRY_URL, parent: null };

  it('accepts the main frame of our window on the app origin', () => {
    expect(validateSender(top, top)).toBe(true);
  });

  it('rejects a null or missing frame', () => {
    expect(validateSender(null, top)).toBe(false);
    expect(validateSender(undefined, top)).toBe(false);
    expect(validateSender(top, null)).toBe(false);
  });

  it('rejects a frame from another window, even on the app origin', () => {
    expect(validateSender({ url: APP_ENTRY_URL, parent: null }, top)).toBe(false);
  });

  it('rejects a subframe', () => {
    const child: FrameLike = { url: APP_ENTRY_URL, parent: top };
    expect(validateSender(child, child)).toBe(false);
  });

  it.each(HOSTILE_NAVIGATION)('rejects our main frame once it is on %j', (url) => {
    const navigated: FrameLike = { url, parent: null };
    expect(validateSender(navigated, navigated)).toBe(false);
  });

  it('treats a frame that throws on access as untrusted', () => {
    const destroyed = {
      get url(): string {
        throw new Error('Render frame was disposed');
      },
      parent: null,
    };
    expect(validateSender(destroyed, destroyed)).toBe(false);
  });

  it('accepts the dev origin only when passed', () => {
    const dev: FrameLike = { url: 'http://localhost:5173/', parent: null };
    expect(validateSender(dev, dev)).toBe(false);
    expect(validateSender(dev, dev, ['http://localhost:5173'])).toBe(true);
  });
});

describe('permission handlers', () => {
  it.each(['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'unknown'])(
    'deny %s',
    (permission) => {
      const callback = vi.fn();
      permissionRequestHandler({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(permissionCheckHandler()).toBe(false);
    },
  );
});

describe('navigation guards', () => {
  function event() {
    return { preventDefault: vi.fn() };
  }

  it('lets in-app navigation through untouched', () => {
    const opener = vi.fn();
    const e = event();
    createNavigationGuard(opener)(e, 'app://sightline/index.html#/users');
    expect(e.preventDefault).not.toHaveBeenCalled();
    expect(opener).not.toHaveBeenCalled();
  });

  it.each(HOSTILE_NAVIGATION)('blocks will-navigate to %j', (url) => {
    const opener = vi.fn();
    const e = event();
    createNavigationGuard(opener)(e, url);
    expect(e.preventDefault).toHaveBeenCalled();
    // Only a plain https link may leave for the system browser; nothing else is ever handed to the OS.
    if (url.startsWith('https://')) expect(opener).toHaveBeenCalledExactlyOnceWith(url);
    else expect(opener).not.toHaveBeenCalled();
  });

  it('sends a clicked https link to the system browser instead', () => {
    const opener = vi.fn();
    const e = event();
    createNavigationGuard(opener)(e, 'https://portal.azure.com/x');
    expect(e.preventDefault).toHaveBeenCalled();
    expect(opener).toHaveBeenCalledExactlyOnceWith('https://portal.azure.com/x');
  });

  it('blocks redirects off the app origin without opening anything', () => {
    const e = event();
    createRedirectGuard()(e, 'https://portal.azure.com/');
    expect(e.preventDefault).toHaveBeenCalled();
    const ok = event();
    createRedirectGuard()(ok, 'app://sightline/index.html');
    expect(ok.preventDefault).not.toHaveBeenCalled();
  });
});

describe('createWindowOpenHandler', () => {
  it('always denies, and opens only safe https links externally', () => {
    const opener = vi.fn();
    const handler = createWindowOpenHandler(opener);
    expect(handler({ url: 'https://security.microsoft.com/alerts' })).toEqual({ action: 'deny' });
    expect(opener).toHaveBeenCalledExactlyOnceWith('https://security.microsoft.com/alerts');
    for (const url of ['app://sightline/index.html', 'file:///etc/passwd', 'javascript:alert(1)', 'ms-msdt:x', 'http://x/']) {
      expect(handler({ url })).toEqual({ action: 'deny' });
    }
    expect(opener).toHaveBeenCalledTimes(1);
  });
});

describe('ELECTRON_FUSES', () => {
  it('turns the dangerous fuses off and the integrity fuses on', () => {
    expect(ELECTRON_FUSES).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
