/**
 * The application menu as data. No item loads a remote URL: Help stays offline like the rest of the app.
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  importFiles(): void;
  importFolder(): void;
  showAbout(): void;
}

export interface MenuOptions {
  /** Reload and DevTools entries only for developer runs. */
  devTools?: boolean;
}

export function buildMenuTemplate(
  actions: MenuActions,
  platform: NodeJS.Platform,
  options: MenuOptions = {},
): MenuItemConstructorOptions[] {
  const isMac = platform === 'darwin';
  const template: MenuItemConstructorOptions[] = [];

  // macOS puts Quit, Hide and Services in the app-name menu; elsewhere Quit closes the File menu.
  if (isMac) template.push({ role: 'appMenu' });

  template.push({
    label: '&File',
    submenu: [
      { label: 'Import files…', accelerator: 'CmdOrCtrl+O', click: () => actions.importFiles() },
      { label: 'Import folder…', accelerator: 'CmdOrCtrl+Shift+O', click: () => actions.importFolder() },
      { type: 'separator' },
      isMac ? { role: 'close' } : { role: 'quit' },
    ],
  });

  template.push({
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
    ],
  });

  const developer: MenuItemConstructorOptions[] = options.devTools
    ? [{ role: 'reload' }, { role: 'forceReload' }, { role: 'toggleDevTools' }, { type: 'separator' }]
    : [];
  template.push({
    label: '&View',
    submenu: [
      ...developer,
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  });

  template.push({
    label: '&Window',
    role: 'window',
    submenu: isMac
      ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
      : [{ role: 'minimize' }, { role: 'close' }],
  });

  template.push({
    label: '&Help',
    role: 'help',
    submenu: [{ label: 'About Sightline', click: () => actions.showAbout() }],
  });

  return template;
}
