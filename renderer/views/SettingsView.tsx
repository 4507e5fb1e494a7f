import { useState } from 'react';
import { bridge, unwrap } from '../api/bridge.ts';
import { QueryView } from '../components/QueryView.tsx';
import { CURRENT_SCHEMA_VERSION } from '../db/schema.ts';
import { AlgorithmPanel } from '../settings/AlgorithmPanel.tsx';
import { IntegrationsPanel } from '../settings/IntegrationsPanel.tsx';
import { PoliciesPanel } from '../settings/PoliciesPanel.tsx';
import { RetentionPanel } from '../settings/RetentionPanel.tsx';
import { StoragePanel } from '../settings/StoragePanel.tsx';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { setTheme, setTimeZone, themeLabels, usePreferences, type ThemePreference } from '../state/preferences.ts';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { formatTime, type TimeZonePreference } from '../components/format.ts';

export function SettingsView() {
  const state = useStoreQuery(async () => unwrap(await bridge.appInfo()), []);
  return (
    <div className="view">
      <ViewHeader
        title="Settings"
        subtitle="How Sightline looks, which sources and policies steer the queue and the scores, where the workspace lives, and how much room it has."
      />
      <DisplaySettings />
      <QueryView state={state}>
        {(info) => (
          <>
            <section className="panel" aria-labelledby="settings-application">
              <h2 id="settings-application">Application</h2>
              <dl className="fields">
                <div className="field">
                  <dt>Version</dt>
                  <dd>
                    {info.name} {info.version} ({info.shell === 'electron' ? 'desktop app' : 'web build'}, {info.platform})
                  </dd>
                </div>
                <div className="field">
                  <dt>Store schema</dt>
                  <dd>version {CURRENT_SCHEMA_VERSION}</dd>
                </div>
                <div className="field">
                  <dt>Network</dt>
                  <dd>None. Sightline makes no network calls; everything stays on this machine.</dd>
                </div>
              </dl>
            </section>
            <IntegrationsPanel />
            <PoliciesPanel />
            <AlgorithmPanel />
            <RetentionPanel />
            <StoragePanel shell={info.shell} />
          </>
        )}
      </QueryView>
    </div>
  );
}

const themeChoices: ThemePreference[] = ['system', 'light', 'dark'];
const zoneChoices: { value: TimeZonePreference; label: string }[] = [
  { value: 'utc', label: 'UTC' },
  { value: 'local', label: 'Local time of this machine' },
];

/** Theme and time zone, kept in this profile (not in the workspace), so clearing the workspace keeps them. */
function DisplaySettings() {
  const { theme, timeZone } = usePreferences();
  const [openedAt] = useState(() => Date.now());
  const example = formatTime(openedAt, 'local');
  return (
    <section className="panel" aria-labelledby="settings-display">
      <h2 id="settings-display">Display</h2>
      <div className="settings-grid">
        <fieldset className="choice-group">
          <legend>Theme</legend>
          {themeChoices.map((choice) => (
            <label key={choice} className="choice">
              <input type="radio" name="theme" value={choice} checked={theme === choice} onChange={() => setTheme(choice)} data-testid={`theme-${choice}`} />
              {themeLabels[choice]}
              {choice === 'system' && <span className="muted small"> (follows the operating system)</span>}
            </label>
          ))}
        </fieldset>
        <fieldset className="choice-group">
          <legend>Times</legend>
          {zoneChoices.map((choice) => (
            <label key={choice.value} className="choice">
              <input type="radio" name="time-zone" value={choice.value} checked={timeZone === choice.value} onChange={() => setTimeZone(choice.value)} />
              {choice.label}
              {choice.value === 'local' && <span className="muted small"> (now {example})</span>}
            </label>
          ))}
        </fieldset>
      </div>
    </section>
  );
}
