import { useState } from 'react';
import { errorMessage } from '../state/notices.ts';
import { importFiles, importFolder, loadDemo } from './importCommands.ts';

/** The three ways in: files, a folder, or the demo workspace. */
export function ImportActions({ showDemo = true }: { showDemo?: boolean }) {
  const [error, setError] = useState<string>();
  const run = (action: () => Promise<unknown>) => () => {
    setError(undefined);
    action().catch((reason: unknown) => setError(errorMessage(reason)));
  };
  return (
    <div className="import-actions">
      <button type="button" className="button primary" onClick={run(importFiles)} data-testid="import-files">
        Import files…
      </button>
      <button type="button" className="button" onClick={run(importFolder)}>
        Import folder…
      </button>
      {showDemo && (
        <button type="button" className="button" onClick={run(loadDemo)} data-testid="load-demo">
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
