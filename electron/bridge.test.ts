import { describe, expect, it, vi } from 'vitest';
import { bridgeFunctionNames, ipcArgSchemas } from '../shared/ipc.ts';
import type { PickedFile, SyncResult, WatchDelivery } from '../shared/ipc.ts';
import { createBridge } from './bridge.ts';
import type { IpcRendererLike } from './bridge.ts';

type Listener = (event: unknown, ...args: unknown[]) => void;

function fakeIpcRenderer() {
  const listeners = new Map<string, Set<Listener>>();
  const fake = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => ({ ok: true, value: { channel, args } })),
    on: vi.fn((channel: string, listener: Listener) => {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
    }),
    removeListener: vi.fn((channel: string, listener: Listener) => {
      listeners.get(channel)?.delete(listener);
    }),
    emit(channel: string, ...args: unknown[]) {
      // Electron passes an IpcRendererEvent whose `sender` is the ipcRenderer itself.
      for (const listener of listeners.get(channel) ?? []) listener({ sender: fake }, ...args);
    },
    count: (channel: string) => listeners.get(channel)?.size ?? 0,
  };
  return fake satisfies IpcRendererLike;
}

const file: PickedFile = { token: 't1', name: 'a.json', relativePath: 'a.json', size: 3, lastModified: 1 };
const syncResult: SyncResult = { at: 1, files: 1, added: 2, updated: 0, unchanged: 0, rejected: 0, skipped: 0, failed: 0 };

describe('createBridge', () => {
  it('exposes exactly bridgeFunctionNames, all functions, in order', () => {
    const bridge = createBridge(fakeIpcRenderer());
    expect(Object.keys(bridge)).toEqual([...bridgeFunctionNames]);
    for (const name of bridgeFunctionNames) {
      expect(typeof bridge[name]).toBe('function');
      expect(bridge[name].name).toBe(name);
    }
  });

  it('leaks no ipcRenderer, generic send/invoke or prototype tricks', () => {
    const fake = fakeIpcRenderer();
    const bridge = createBridge(fake);
    expect(Object.values(bridge)).not.toContain(fake);
    for (const name of ['invoke', 'send', 'sendSync', 'on', 'ipcRenderer', 'require']) {
      expect(bridge).not.toHaveProperty(name);
    }
    expect(Object.getPrototypeOf(bridge)).toBe(Object.prototype);
  });

  const calls: [keyof ReturnType<typeof createBridge>, unknown[], string, unknown[]][] = [
    ['openFiles', [], 'dialog:open-files', []],
    ['openFolder', [], 'dialog:open-folder', []],
    ['readChunk', ['tok', 5, 10], 'file:read-chunk', [{ token: 'tok', offset: 5, length: 10 }]],
    ['releaseFile', ['tok'], 'file:release', [{ token: 'tok' }]],
    ['appInfo', [], 'app:info', []],
    ['openExternal', ['https://x.example/'], 'shell:open-external', [{ url: 'https://x.example/' }]],
    ['watchList', [], 'watch:list', []],
    ['watchAdd', [], 'watch:add', []],
    ['watchRemove', ['f1'], 'watch:remove', [{ folderId: 'f1' }]],
    ['watchRescan', ['f1'], 'watch:rescan', [{ folderId: 'f1' }]],
    ['watchRecordSync', ['f1', ['t1'], syncResult], 'watch:record-sync', [{ folderId: 'f1', tokens: ['t1'], result: syncResult }]],
  ];

  it.each(calls)('%s invokes exactly its channel with a schema-valid payload', async (name, args, channel, sent) => {
    const fake = fakeIpcRenderer();
    const bridge = createBridge(fake);
    const fn = bridge[name] as (...a: unknown[]) => Promise<unknown>;
    await expect(fn(...args)).resolves.toEqual({ ok: true, value: { channel, args: sent } });
    expect(fake.invoke).toHaveBeenCalledExactlyOnceWith(channel, ...sent);
    expect(fake.on).not.toHaveBeenCalled();
    expect(ipcArgSchemas[channel as keyof typeof ipcArgSchemas].safeParse(sent[0]).success).toBe(true);
  });

  it('covers every invoke channel of the contract', () => {
    expect(calls.map(([, , channel]) => channel).sort()).toEqual(Object.keys(ipcArgSchemas).sort());
  });

  it('onFilesPicked forwards only the files and unsubscribes once', () => {
    const fake = fakeIpcRenderer();
    const bridge = createBridge(fake);
    const listener = vi.fn();
    const unsubscribe = bridge.onFilesPicked(listener);
    expect(fake.on).toHaveBeenCalledExactlyOnceWith('menu:files-picked', expect.any(Function));
    fake.emit('menu:files-picked', [file]);
    expect(listener).toHaveBeenCalledExactlyOnceWith([file]);
    unsubscribe();
    unsubscribe();
    expect(fake.removeListener).toHaveBeenCalledTimes(1);
    expect(fake.count('menu:files-picked')).toBe(0);
    fake.emit('menu:files-picked', [file]);
    expect(listener).toHaveBeenCalledTimes(1);
    expect(fake.invoke).not.toHaveBeenCalled();
  });

  it('onFilesPicked refuses a non-function listener', () => {
    const bridge = createBridge(fakeIpcRenderer());
    expect(() => bridge.onFilesPicked('alert(1)' as unknown as () => void)).toThrow(TypeError);
    expect(() => bridge.onWatchFolderChanged('alert(1)' as unknown as () => void)).toThrow(TypeError);
  });

  it('onWatchFolderChanged forwards only its own channel\'s deliveries and unsubscribes once', () => {
    const fake = fakeIpcRenderer();
    const bridge = createBridge(fake);
    const listener = vi.fn();
    const unsubscribe = bridge.onWatchFolderChanged(listener);
    const delivery: WatchDelivery = { folderId: 'f1', files: [file] };
    fake.emit('menu:files-picked', [file]);
    fake.emit('watch:folder-changed', delivery);
    expect(listener).toHaveBeenCalledExactlyOnceWith(delivery);
    unsubscribe();
    unsubscribe();
    expect(fake.removeListener).toHaveBeenCalledTimes(1);
    fake.emit('watch:folder-changed', delivery);
    expect(listener).toHaveBeenCalledTimes(1);
  });
});
