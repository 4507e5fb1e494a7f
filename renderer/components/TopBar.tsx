import { nextTheme, setTheme, setTimeZone, themeLabels, usePreferences } from '../state/preferences.ts';

/** The palette key as this platform writes it. */
export const paletteShortcut = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘K' : 'Ctrl+K';

/** Always on screen: the way into the command palette, the time zone every view uses, and the theme. */
export function TopBar({ openPalette }: { openPalette: () => void }) {
  const timeZone = usePreferences((state) => state.timeZone);
  const theme = usePreferences((state) => state.theme);
  return (
    <header className="topbar">
      <button type="button" className="palette-trigger" onClick={openPalette} aria-keyshortcuts="Control+K Meta+K" data-testid="open-palette">
        <span>Search or run a command…</span>
        <kbd>{paletteShortcut}</kbd>
      </button>
      <div className="topbar-controls">
        <div className="segmented" role="group" aria-label="Time zone">
          <button type="button" aria-pressed={timeZone === 'utc'} onClick={() => setTimeZone('utc')} data-testid="zone-utc">
            UTC
          </button>
          <button type="button" aria-pressed={timeZone === 'local'} onClick={() => setTimeZone('local')} data-testid="zone-local">
            Local
          </button>
        </div>
        <button
          type="button"
          className="button ghost"
          onClick={() => setTheme(nextTheme(theme))}
          aria-label={`Theme: ${themeLabels[theme]}. Switch to ${themeLabels[nextTheme(theme)]}`}
          title="Switch theme"
          data-testid="theme-toggle"
        >
          <span aria-hidden="true">{theme === 'dark' ? '☾' : theme === 'light' ? '☀' : '◐'}</span> {themeLabels[theme]}
        </button>
      </div>
    </header>
  );
}
