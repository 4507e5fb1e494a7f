/**
 * The analyst's workbench preferences for the alerts queue and the activity log: which columns each shows
 * and the filters saved under a name. UI state (localStorage, like preferences.ts), validated on read so a
 * stale or hand-edited entry cannot break a view.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

export type WorkbenchList = 'alerts' | 'activities';

export interface SavedFilter {
  name: string;
  /** The view's canonical query string (queue-url.ts), without `?`. */
  query: string;
}

export interface Workbench {
  /** Hidden column keys per list (hidden rather than shown, so a column added later appears). */
  hidden: Record<WorkbenchList, string[]>;
  saved: Record<WorkbenchList, SavedFilter[]>;
}

/** Useful but optional columns start hidden, so the default table stays readable at laptop width. */
export const defaultWorkbench: Workbench = {
  hidden: { alerts: ['classification', 'assignee', 'type', 'policy', 'app'], activities: ['type', 'isp'] },
  saved: { alerts: [], activities: [] },
};

const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : []);
const savedList = (value: unknown): SavedFilter[] =>
  Array.isArray(value)
    ? value.filter(
        (item): item is SavedFilter =>
          typeof item === 'object' && item !== null && typeof (item as SavedFilter).name === 'string' && typeof (item as SavedFilter).query === 'string',
      )
    : [];

export function readWorkbench(stored: unknown): Workbench {
  const value = typeof stored === 'object' && stored !== null ? (stored as Record<string, Record<string, unknown> | undefined>) : {};
  return {
    hidden: {
      alerts: Array.isArray(value.hidden?.alerts) ? strings(value.hidden.alerts) : defaultWorkbench.hidden.alerts,
      activities: Array.isArray(value.hidden?.activities) ? strings(value.hidden.activities) : defaultWorkbench.hidden.activities,
    },
    saved: { alerts: savedList(value.saved?.alerts), activities: savedList(value.saved?.activities) },
  };
}

export const useWorkbench = create<Workbench>()(
  persist(() => defaultWorkbench, {
    name: 'sightline.workbench',
    version: 1,
    storage: createJSONStorage(() => localStorage),
    merge: (stored, current) => ({ ...current, ...readWorkbench(stored) }),
  }),
);

export function toggleColumn(list: WorkbenchList, key: string): void {
  useWorkbench.setState((state) => {
    const hidden = state.hidden[list].includes(key) ? state.hidden[list].filter((k) => k !== key) : [...state.hidden[list], key];
    return { hidden: { ...state.hidden, [list]: hidden } };
  });
}

/** Saves a filter under a name; a name used before is replaced (names are how the analyst finds them). */
export function saveFilter(list: WorkbenchList, name: string, query: string): void {
  useWorkbench.setState((state) => ({
    saved: { ...state.saved, [list]: [...state.saved[list].filter((item) => item.name !== name), { name, query }] },
  }));
}

export function deleteFilter(list: WorkbenchList, name: string): void {
  useWorkbench.setState((state) => ({ saved: { ...state.saved, [list]: state.saved[list].filter((item) => item.name !== name) } }));
}
