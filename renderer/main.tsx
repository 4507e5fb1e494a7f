import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { findInterruptedImports, requestPersistence } from './db/repo.ts';
import { useImportQueue } from './import/queue.ts';
import { applyTheme, usePreferences } from './state/preferences.ts';
import './styles.css';
import './styles/pages.css';

void requestPersistence();
// No import runs before this page starts one: anything marked running was cut short and is offered Resume or Discard.
void findInterruptedImports().then((found) => {
  if (found.length) useImportQueue.setState((state) => ({ dataVersion: state.dataVersion + 1 }));
});

// Before the first paint, so a dark-theme analyst never sees a white flash.
applyTheme(usePreferences.getState().theme, document.documentElement);
usePreferences.subscribe((state) => applyTheme(state.theme, document.documentElement));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
