import { describe, expect, it, vi } from 'vitest';
import { bridgeFunctionNames } from '../shared/ipc.ts';

const electron = vi.hoisted(() => ({
  exposeInMainWorld: vi.fn(),
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn(), send: vi.fn(), sendSync: vi.fn() },
}));

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: electron.exposeInMainWorld },
  ipcRenderer: electron.ipcRenderer,
}));

describe('preload', () => {
  it('exposes the bridge once, as window.sightline, and nothing else', async () => {
    await import('./preload.ts');
    expect(electron.exposeInMainWorld).toHaveBeenCalledExactlyOnceWith('sightline', expect.any(Object));
    const api = electron.exposeInMainWorld.mock.calls[0]?.[1] as Record<string, unknown>;
    expect(Object.keys(api)).toEqual([...bridgeFunctionNames]);
    expect(Object.values(api)).not.toContain(electron.ipcRenderer);
  });
});
