import { useState } from 'react';
import { bridge, unwrap } from '../api/bridge.ts';
import { loadDemoWorkspace } from '../import/demo.ts';
import { enqueueImport, sourceFromPicked } from '../import/queue.ts';

/** The three ways in: files, a folder, or the demo workspace. */
export function ImportActions({ showDemo = true }: { showDemo?: boolean }) {
  const [error, setError] = useState<string>();
  const run = (action: () => Promise<unknown>) => () => {
    setError(undefined);
    action().catch((reason: unknown) => setError(reason instanceof Error ? reason.message : String(reason)));
  };
  const pickFiles = run(async () => {
    const files = unwrap(await bridge.openFiles());
    enqueueImport(files.length === 1 ? files[0]!.name : `${files.length} files`, files.map(sourceFromPicked));
  });
  const pickFolder = run(async () => {
    const files = unwrap(await bridge.openFolder());
    const folder = files[0]?.relativePath.split('/')[0] ?? 'folder';
    enqueueImport(`Folder ${folder}`, files.map(sourceFromPicked));
  });
  return (
    <div className="import-actions">
      <button type="button" className="button primary" onClick={pickFiles} data-testid="import-files">
        Import files…
      </button>
      <button type="button" className="button" onClick={pickFolder}>
        Import folder…
      </button>
      {showDemo && (
        <button type="button" className="button" onClick={run(loadDemoWorkspace)} data-testid="load-demo">
          Load demo workspace
        </button>
      )}
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
