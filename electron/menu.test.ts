import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate } from './menu.ts';

function actions() {
  return { importFiles: vi.fn(), importFolder: vi.fn(), showAbout: vi.fn() };
}

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label === label);
  if (!menu || !Array.isArray(menu.submenu)) throw new Error(`no ${label} menu`);
  return menu.submenu;
}

function click(item: MenuItemConstructorOptions | undefined): void {
  // Electron passes (menuItem, window, event); the actions ignore them.
  (item?.click as (() => void) | undefined)?.();
}

describe('buildMenuTemplate', () => {
  it('has File, Edit, View, Window, Help on Windows and Linux', () => {
    for (const platform of ['win32', 'linux'] as const) {
      expect(buildMenuTemplate(actions(), platform).map((item) => item.label)).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
    }
  });

  it('File has the two imports with their accelerators, a separator and Quit', () => {
    const a = actions();
    const file = submenu(buildMenuTemplate(a, 'linux'), '&File');
    expect(file.map(({ label, accelerator, type, role }) => ({ label, accelerator, type, role }))).toEqual([
      { label: 'Import files…', accelerator: 'CmdOrCtrl+O', type: undefined, role: undefined },
      { label: 'Import folder…', accelerator: 'CmdOrCtrl+Shift+O', type: undefined, role: undefined },
      { label: undefined, accelerator: undefined, type: 'separator', role: undefined },
      { label: undefined, accelerator: undefined, type: undefined, role: 'quit' },
    ]);
    click(file[0]);
    expect(a.importFiles).toHaveBeenCalledTimes(1);
    click(file[1]);
    expect(a.importFolder).toHaveBeenCalledTimes(1);
  });

  it('puts Quit in the app menu on macOS', () => {
    const template = buildMenuTemplate(actions(), 'darwin');
    expect(template[0]).toEqual({ role: 'appMenu' });
    expect(submenu(template, '&File').at(-1)).toEqual({ role: 'close' });
  });

  it('Help offers About Sightline, offline', () => {
    const a = actions();
    const help = submenu(buildMenuTemplate(a, 'win32'), '&Help');
    expect(help.map((item) => item.label)).toEqual(['About Sightline']);
    click(help[0]);
    expect(a.showAbout).toHaveBeenCalledTimes(1);
  });

  it('loads no URL anywhere and offers DevTools only to developers', () => {
    const prod = JSON.stringify(buildMenuTemplate(actions(), 'linux'));
    expect(prod).not.toMatch(/https?:|file:|toggleDevTools|reload/i);
    const dev = JSON.stringify(buildMenuTemplate(actions(), 'linux', { devTools: true }));
    expect(dev).toContain('toggleDevTools');
  });
});
