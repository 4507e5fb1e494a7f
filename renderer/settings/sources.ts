/**
 * Which integrations the analyst turned off in Settings, kept in localStorage (a preference of this browser
 * profile or desktop install, not workspace data: clearing the workspace keeps it).
 */
import { create } from 'zustand';
import { parseDisabledIntegrations, sourcesOf, type Integration } from '../../shared/model/integrations.ts';
import type { SourceProduct } from '../../shared/model/records.ts';

const STORAGE_KEY = 'sightline.disabledSources';

function load(): ReadonlySet<Integration> {
  try {
    return new Set(parseDisabledIntegrations(JSON.parse(localStorage.getItem(STORAGE_KEY) ?? '[]')));
  } catch {
    return new Set();
  }
}

const useSourceSettings = create<{ disabled: ReadonlySet<Integration> }>(() => ({ disabled: load() }));

// Another window of the same app (a second tab of the web build) changed the setting.
if (typeof window !== 'undefined')
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY) useSourceSettings.setState({ disabled: load() });
  });

/** The disabled integrations; components re-render when the analyst changes them. */
export function useDisabledSources(): ReadonlySet<Integration> {
  return useSourceSettings((state) => state.disabled);
}

/** The same, for code outside React (the import queue, when it starts a job). */
export function getDisabledSources(): ReadonlySet<Integration> {
  return useSourceSettings.getState().disabled;
}

/** What `parseInput`'s `skipSources` option takes for the current settings. */
export function skippedSourceProducts(): SourceProduct[] {
  return sourcesOf(getDisabledSources());
}

export function setSourceEnabled(integration: Integration, enabled: boolean): void {
  const next = new Set(getDisabledSources());
  if (enabled) next.delete(integration);
  else next.add(integration);
  localStorage.setItem(STORAGE_KEY, JSON.stringify([...next].sort()));
  useSourceSettings.setState({ disabled: next });
}
