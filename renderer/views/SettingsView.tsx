import { useState } from 'react';
import { bridge, unwrap } from '../api/bridge.ts';
import { formatBytes } from '../components/format.ts';
import { QueryView } from '../components/QueryView.tsx';
import { clearWorkspace, getStorageInfo } from '../db/repo.ts';
import { CURRENT_SCHEMA_VERSION } from '../db/schema.ts';
import { useImportQueue } from '../import/queue.ts';
import { useStoreQuery } from '../state/useStoreQuery.ts';
import { setTheme, setTimeZone, themeLabels, usePreferences, type ThemePreference } from '../state/preferences.ts';
import { ViewHeader } from '../components/ViewHeader.tsx';
import { formatTime, type TimeZonePreference } from '../components/format.ts';

export function SettingsView() {
  const state = useStoreQuery(async () => ({ info: unwrap(await bridge.appInfo()), storage: await getStorageInfo() }), []);
  const [confirming, setConfirming] = useState(false);
  const clear = async () => {
    await clearWorkspace();
    setConfirming(false);
    useImportQueue.setState((current) => ({ dataVersion: current.dataVersion + 1, jobs: [] }));
  };
  return (
    <div className="view">
      <ViewHeader title="Settings" subtitle="How Sightline looks, where the workspace lives, and how much room it has." />
      <DisplaySettings />
      <QueryView state={state}>
        {({ info, storage }) => (
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
            <section className="panel" aria-labelledby="settings-storage">
              <h2 id="settings-storage">Storage</h2>
              <p className="muted small">
                The workspace lives in this app's IndexedDB storage{info.shell === 'web' ? ' for this browser profile and address' : ''}.
              </p>
              <dl className="fields">
                <div className="field">
                  <dt>Used</dt>
                  <dd data-testid="storage-usage">{formatBytes(storage.usage)}</dd>
                </div>
                <div className="field">
                  <dt>Available to Sightline</dt>
                  <dd>{formatBytes(storage.quota)}</dd>
                </div>
                <div className="field">
                  <dt>Protected from eviction</dt>
                  <dd>
                    {storage.persisted === undefined
                      ? 'Unknown'
                      : storage.persisted
                        ? 'Yes'
                        : 'No: the browser may evict it under storage pressure. Keep the original exports.'}
                  </dd>
                </div>
              </dl>
              {confirming ? (
                <div className="confirm" role="alertdialog" aria-label="Confirm clearing the workspace">
                  <p>Delete every record, user and import of this workspace? The export files are not touched.</p>
                  <button type="button" className="button danger" onClick={() => void clear()}>
                    Delete workspace data
                  </button>
                  <button type="button" className="button" onClick={() => setConfirming(false)}>
                    Keep it
                  </button>
                </div>
              ) : (
                <button type="button" className="button danger" onClick={() => setConfirming(true)}>
                  Clear workspace…
                </button>
              )}
            </section>
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
