import { bridge, unwrap } from '../api/bridge.ts';
import { QueryView } from '../components/QueryView.tsx';
import { CURRENT_SCHEMA_VERSION } from '../db/schema.ts';
import { IntegrationsPanel } from '../settings/IntegrationsPanel.tsx';
import { RetentionPanel } from '../settings/RetentionPanel.tsx';
import { StoragePanel } from '../settings/StoragePanel.tsx';
import { useStoreQuery } from '../state/useStoreQuery.ts';

export function SettingsView() {
  const state = useStoreQuery(async () => unwrap(await bridge.appInfo()), []);
  return (
    <div className="view">
      <header className="view-header">
        <h1>Settings</h1>
        <p className="subtitle">Which sources count, where the workspace lives, and how much room it has.</p>
      </header>
      <QueryView state={state}>
        {(info) => (
          <>
            <section className="panel">
              <h2>Application</h2>
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
            <RetentionPanel />
            <StoragePanel shell={info.shell} />
          </>
        )}
      </QueryView>
    </div>
  );
}
