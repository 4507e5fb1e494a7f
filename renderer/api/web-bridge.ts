/**
 * The browser implementation of the bridge the Electron preload provides: file and folder pickers
 * instead of native dialogs, and File slices instead of main-process reads. Same contract, same tokens.
 */
import type { AppInfo, Envelope, PickedFile, SightlineBridge } from '../../shared/ipc.ts';
import { createWebWatch } from './web-watch.ts';

const picked = new Map<string, File>();

function ok<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

/** Registers one browser File under a token, as main does for a native path. */
function registerFile(file: File, relativePath: string): PickedFile {
  const token = crypto.randomUUID();
  picked.set(token, file);
  return { token, name: file.name, relativePath, size: file.size, lastModified: file.lastModified };
}

/** Registers browser Files (picked or dropped) under tokens, as main does for native paths. */
export function registerFiles(files: Iterable<File>): PickedFile[] {
  return [...files].map((file) => registerFile(file, file.webkitRelativePath || file.name));
}

export function fileForToken(token: string): File | undefined {
  return picked.get(token);
}

function pick(options: { folder: boolean }): Promise<PickedFile[]> {
  return new Promise((resolve) => {
    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    if (options.folder) input.webkitdirectory = true;
    input.addEventListener('change', () => resolve(registerFiles(input.files ?? [])), { once: true });
    input.addEventListener('cancel', () => resolve([]), { once: true });
    input.click();
  });
}

export const webBridge: SightlineBridge = {
  async openFiles() {
    return ok(await pick({ folder: false }));
  },
  async openFolder() {
    return ok(await pick({ folder: true }));
  },
  async readChunk(token, offset, length) {
    const file = picked.get(token);
    if (!file) return { ok: false, error: { code: 'not-found', message: 'That file is no longer available: pick it again.' } };
    return ok(new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()));
  },
  async releaseFile(token) {
    picked.delete(token);
    return ok(undefined);
  },
  async appInfo() {
    const info: AppInfo = { name: 'Sightline', version: __APP_VERSION__, platform: navigator.platform, shell: 'web' };
    return ok(info);
  },
  async openExternal(url) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { ok: false, error: { code: 'refused', message: 'Not a valid URL.' } };
    }
    if (parsed.protocol !== 'https:') return { ok: false, error: { code: 'refused', message: 'Only https links open outside Sightline.' } };
    window.open(parsed.href, '_blank', 'noopener,noreferrer');
    return ok(undefined);
  },
  onFilesPicked() {
    // The browser has no application menu: nothing ever arrives here.
    return () => undefined;
  },
  ...createWebWatch(registerFile),
};
