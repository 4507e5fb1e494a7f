import { useEffect, useState, type DragEvent } from 'react';
import { createHashRouter, NavLink, Outlet, RouterProvider } from 'react-router';
import { bridge } from './api/bridge.ts';
import { enqueueImport, sourceFromFile, sourceFromPicked, useImportQueue, type ImportSource } from './import/queue.ts';
import { ActivitiesView } from './views/ActivitiesView.tsx';
import { AlertsView } from './views/AlertsView.tsx';
import { DashboardView } from './views/DashboardView.tsx';
import { ImportsView } from './views/ImportsView.tsx';
import { IncidentsView } from './views/IncidentsView.tsx';
import { SettingsView } from './views/SettingsView.tsx';
import { UserPage } from './views/UserPage.tsx';
import { UsersView } from './views/UsersView.tsx';
import { startWatchSync } from './watch/sync.ts';

const navigation = [
  { to: '/', label: 'Dashboard', end: true },
  { to: '/alerts', label: 'Alerts' },
  { to: '/activities', label: 'Activities' },
  { to: '/users', label: 'Users' },
  { to: '/incidents', label: 'Incidents' },
  { to: '/imports', label: 'Imports' },
  { to: '/settings', label: 'Settings' },
];

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
  const [dragging, setDragging] = useState(false);
  const running = useImportQueue((state) => state.jobs.filter((job) => job.state === 'running' || job.state === 'queued').length);

  // Watched folders sync whatever view is open, so the subscription lives in the shell.
  useEffect(() => startWatchSync(), []);

  useEffect(
    () => bridge.onFilesPicked((files) => enqueueImport(files.length === 1 ? files[0]!.name : `${files.length} files`, files.map(sourceFromPicked))),
    [],
  );

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
      <nav className="sidebar" aria-label="Main">
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
        <p className="sidebar-footer muted small">Offline · no network calls</p>
      </nav>
      <main className="content">
        <Outlet />
      </main>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          Drop exports to import them
        </div>
      )}
    </div>
  );
}

const router = createHashRouter([
  {
    path: '/',
    element: <Layout />,
    children: [
      { index: true, element: <DashboardView /> },
      { path: 'alerts', element: <AlertsView /> },
      { path: 'activities', element: <ActivitiesView /> },
      { path: 'users', element: <UsersView /> },
      { path: 'users/:userId', element: <UserPage /> },
      { path: 'incidents', element: <IncidentsView /> },
      { path: 'imports', element: <ImportsView /> },
      { path: 'settings', element: <SettingsView /> },
    ],
  },
]);

export function App() {
  return <RouterProvider router={router} />;
}
