import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.tsx';
import { requestPersistence } from './db/repo.ts';
import { applyTheme, usePreferences } from './state/preferences.ts';
import './styles.css';

void requestPersistence();

// Before the first paint, so a dark-theme analyst never sees a white flash.
applyTheme(usePreferences.getState().theme, document.documentElement);
usePreferences.subscribe((state) => applyTheme(state.theme, document.documentElement));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
