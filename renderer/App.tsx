import { useEffect, useState, type DragEvent } from 'react';
import { createHashRouter, NavLink, Outlet, RouterProvider, useNavigate, useRouteError } from 'react-router';
import { bridge } from './api/bridge.ts';
import { EmptyState } from './components/EmptyState.tsx';
import { CommandPalette } from './components/CommandPalette.tsx';
import type { Command } from './components/commands.ts';
import { importFiles, importFolder, loadDemo } from './components/importCommands.ts';
import { isPlainKey, isTypingTarget, modalIsOpen, useDocumentKeys } from './components/keyboard.ts';
import { NoticeBar } from './components/Notice.tsx';
import { paletteShortcut, TopBar } from './components/TopBar.tsx';
import { enqueueImport, requestRescore, sourceFromFile, sourceFromPicked, useImportQueue, type ImportSource } from './import/queue.ts';
import { scoresAreStale } from './db/repo.ts';
import { ActivitiesView } from './views/ActivitiesView.tsx';
import { AlertsView } from './views/AlertsView.tsx';
import { DashboardView } from './views/DashboardView.tsx';
import { ImportsView } from './views/ImportsView.tsx';
import { IncidentDetail } from './views/IncidentDetail.tsx';
import { IncidentsView } from './views/IncidentsView.tsx';
import { SettingsView } from './views/SettingsView.tsx';
import { UserPage } from './views/UserPage.tsx';
import { UsersView } from './views/UsersView.tsx';
import { startWatchSync } from './watch/sync.ts';
import { errorMessage, showNotice } from './state/notices.ts';
import { nextTheme, setTheme, themeLabels, toggleTimeZone, usePreferences } from './state/preferences.ts';

const navigation = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/alerts', label: 'Alerts' },
  { to: '/activities', label: 'Activities' },
  { to: '/users', label: 'Users' },
  { to: '/incidents', label: 'Incidents' },
  { to: '/imports', label: 'Imports' },
  { to: '/settings', label: 'Settings' },
];

/** Everything the palette offers besides users: every view, the display preferences and the ways in. */
function appCommands(go: (path: string) => void): Command[] {
  const attempt = (action: () => Promise<void>) => () =>
    void action().catch((reason: unknown) => showNotice({ tone: 'danger', message: errorMessage(reason) }));
  const { theme, timeZone } = usePreferences.getState();
  return [
    ...navigation.map((item) => ({ id: `go:${item.to}`, label: item.label, group: 'Go to', keywords: 'view open page', run: () => go(item.to) })),
    {
      id: 'zone',
      label: timeZone === 'utc' ? 'Show times in local time' : 'Show times in UTC',
      group: 'Preferences',
      keywords: 'time zone utc local clock',
      run: toggleTimeZone,
    },
    {
      id: 'theme',
      label: `Switch theme to ${themeLabels[nextTheme(theme)]}`,
      group: 'Preferences',
      keywords: 'theme dark light system appearance colour color',
      run: () => setTheme(nextTheme(theme)),
    },
    { id: 'import-files', label: 'Import files…', group: 'Workspace', keywords: 'open add load exports', run: attempt(importFiles) },
    { id: 'import-folder', label: 'Import folder…', group: 'Workspace', keywords: 'open add load exports directory', run: attempt(importFolder) },
    {
      id: 'demo',
      label: 'Load demo workspace',
      group: 'Workspace',
      keywords: 'sample example northwind',
      run: () => {
        go('/imports');
        attempt(loadDemo)();
      },
    },
  ];
}

/** Files dropped anywhere in the window are imported; a dropped folder brings all its files. */
async function sourcesFromDrop(event: DragEvent): Promise<ImportSource[]> {
  const entries = [...event.dataTransfer.items].map((item) => item.webkitGetAsEntry()).filter((entry): entry is FileSystemEntry => entry !== null);
  if (!entries.length) return [...event.dataTransfer.files].map(sourceFromFile);
  const sources: ImportSource[] = [];
  const walk = async (entry: FileSystemEntry, prefix: string): Promise<void> => {
    if (entry.isFile) {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      sources.push({ ...sourceFromFile(file), relativePath: `${prefix}${file.name}` });
      return;
    }
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    for (;;) {
      const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) break;
      for (const child of batch) if (!child.name.startsWith('.')) await walk(child, `${prefix}${entry.name}/`);
    }
  };
  for (const entry of entries) await walk(entry, '');
  return sources;
}

function Layout() {
  const navigate = useNavigate();
  const [dragging, setDragging] = useState(false);
  const [paletteOpen, setPaletteOpen] = useState(false);
  // Read when the palette opens, so its labels ("Switch theme to Dark") describe the current state.
  usePreferences((state) => `${state.theme}${state.timeZone}`);
  const running = useImportQueue((state) => state.jobs.filter((job) => job.state === 'running' || job.state === 'queued').length);

  // Watched folders sync whatever view is open, so the subscription lives in the shell.
  useEffect(() => startWatchSync(), []);

  // The last session may have ended between an import and its rescoring (a reload, a closed window).
  useEffect(() => {
    void scoresAreStale().then(
      (stale) => stale && requestRescore(),
      () => undefined,
    );
  }, []);

  useEffect(
    () => bridge.onFilesPicked((files) => enqueueImport(files.length === 1 ? files[0]!.name : `${files.length} files`, files.map(sourceFromPicked))),
    [],
  );

  useDocumentKeys((event) => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.key.toLowerCase() === 'k') {
      event.preventDefault();
      setPaletteOpen((open) => !open);
    } else if (event.key === '/' && isPlainKey(event) && !isTypingTarget(event.target) && !modalIsOpen()) {
      // "/" searches the view when it has a search box, and everything otherwise.
      event.preventDefault();
      const search = document.querySelector<HTMLInputElement>('[data-view-search]');
      if (search) search.focus();
      else setPaletteOpen(true);
    }
  });

  const onDrop = async (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const sources = await sourcesFromDrop(event);
    enqueueImport(sources.length === 1 ? sources[0]!.relativePath : `${sources.length} dropped files`, sources);
  };

  return (
    <div
      className="app"
      data-app-state="ready"
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(event) => event.currentTarget === event.target && setDragging(false)}
      onDrop={(event) => void onDrop(event)}
    >
      {/* The first Tab stop: past the navigation to the view (a button, since the hash router owns the URL's #). */}
      <button type="button" className="skip-link" onClick={() => document.getElementById('content')?.focus()}>
        Skip to content
      </button>
      <nav className="sidebar" aria-label="Main">
        <div className="sidebar-inner">
          <div className="brand">
            <span className="brand-mark" aria-hidden="true">
              ◎
            </span>{' '}
            Sightline
          </div>
          <ul>
            {navigation.map((item) => (
              <li key={item.to}>
                <NavLink to={item.to} end={item.end}>
                  {item.label}
                  {item.to === '/imports' && running > 0 && <span className="badge badge-info nav-count">{running}</span>}
                </NavLink>
              </li>
            ))}
          </ul>
          <div className="sidebar-footer muted small">
            <ul className="shortcut-list" aria-label="Keyboard shortcuts">
              <li>
                Commands <kbd>{paletteShortcut}</kbd>
              </li>
              <li>
                Search <kbd>/</kbd>
              </li>
              <li>
                Move, open{' '}
                <span>
                  <kbd>j</kbd> <kbd>k</kbd> <kbd>↵</kbd>
                </span>
              </li>
            </ul>
            Offline · no network calls
          </div>
        </div>
      </nav>
      <div className="main-column">
        <TopBar openPalette={() => setPaletteOpen(true)} />
        <NoticeBar />
        <main className="content" id="content" tabIndex={-1}>
          <Outlet />
        </main>
      </div>
      <CommandPalette
        open={paletteOpen}
        onClose={() => setPaletteOpen(false)}
        commands={paletteOpen ? appCommands((path) => void navigate(path)) : []}
        openUser={(id) => void navigate(`/users/${encodeURIComponent(id)}`)}
      />
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop exports to import them
        </div>
      )}
    </div>
  );
}

/** A view that threw while rendering: say so in place, keep the navigation, offer the way back. */
function RouteError() {
  const error = useRouteError();
  return (
    <div className="view">
      <div className="error-panel" role="alert" data-testid="route-error">
        <h1>This view could not be shown</h1>
        <p>{errorMessage(error)}</p>
        <p>
          <a href="#/">Back to the dashboard</a>
        </p>
      </div>
    </div>
  );
}

function NotFound() {
  return (
    <div className="view">
      <EmptyState title="Nothing here" actions={false}>
        <p>
          This address is not a view of Sightline. <a href="#/">Back to the dashboard</a>
        </p>
      </EmptyState>
    </div>
  );
}

const views = [
  { index: true, element: <DashboardView /> },
  { path: 'alerts', element: <AlertsView /> },
  { path: 'activities', element: <ActivitiesView /> },
  { path: 'users', element: <UsersView /> },
  { path: 'users/:userId', element: <UserPage /> },
  { path: 'incidents', element: <IncidentsView /> },
  { path: 'incidents/:incidentId', element: <IncidentDetail /> },
  { path: 'imports', element: <ImportsView /> },
  { path: 'settings', element: <SettingsView /> },
  { path: '*', element: <NotFound /> },
];

// The pathless child catches a view's render error inside the layout, so the navigation stays usable.
const router = createHashRouter([
  { path: '/', element: <Layout />, errorElement: <RouteError />, children: [{ errorElement: <RouteError />, children: views }] },
]);

export function App() {
  return <RouterProvider router={router} />;
}
