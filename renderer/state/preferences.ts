/**
 * The analyst's display preferences: which zone times are shown in, and the colour theme. UI state only,
 * persisted in localStorage (not the workspace store) so that clearing a workspace keeps them.
 */
import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';
import type { TimeZonePreference } from '../components/format.ts';

export type ThemePreference = 'system' | 'light' | 'dark';

export interface Preferences {
  timeZone: TimeZonePreference;
  theme: ThemePreference;
  /** Who signs local decisions; asked once, then kept. Unset until the analyst first decides something. */
  analystName?: string;
}

export const defaultPreferences: Preferences = { timeZone: 'utc', theme: 'system' };

const themes: readonly ThemePreference[] = ['system', 'light', 'dark'];
const timeZones: readonly TimeZonePreference[] = ['utc', 'local'];

/**
 * Whatever localStorage holds, as valid preferences: it may be from an older version, hand-edited or
 * half-written, and a bad value there must never break the app's first paint.
 */
export function readPreferences(stored: unknown): Preferences {
  const value = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
  return {
    timeZone: timeZones.includes(value.timeZone as TimeZonePreference) ? (value.timeZone as TimeZonePreference) : defaultPreferences.timeZone,
    theme: themes.includes(value.theme as ThemePreference) ? (value.theme as ThemePreference) : defaultPreferences.theme,
    ...(typeof value.analystName === 'string' && value.analystName.trim() ? { analystName: value.analystName.trim().slice(0, 100) } : {}),
  };
}

/** System → Light → Dark → System: what the palette's "Switch theme" command steps through. */
export function nextTheme(theme: ThemePreference): ThemePreference {
  return themes[(themes.indexOf(theme) + 1) % themes.length]!;
}

export const themeLabels: Record<ThemePreference, string> = { system: 'System', light: 'Light', dark: 'Dark' };

export const usePreferences = create<Preferences>()(
  persist(() => defaultPreferences, {
    name: 'sightline.preferences',
    version: 1,
    // Under Node (unit tests) reading `localStorage` throws, and persist keeps preferences in memory only.
    storage: createJSONStorage(() => localStorage),
    merge: (stored, current) => ({ ...current, ...readPreferences(stored) }),
  }),
);

export const setTheme = (theme: ThemePreference) => usePreferences.setState({ theme });
export const setTimeZone = (timeZone: TimeZonePreference) => usePreferences.setState({ timeZone });
export const setAnalystName = (name: string) => usePreferences.setState({ analystName: name.trim().slice(0, 100) || undefined });
export const toggleTimeZone = () => usePreferences.setState((state) => ({ timeZone: state.timeZone === 'utc' ? 'local' : 'utc' }));

/** The attribute tokens.css reads: absent follows the OS, 'light' or 'dark' overrides it. */
export function applyTheme(theme: ThemePreference, root: HTMLElement): void {
  if (theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = theme;
}
