import { integrationLabels, integrations, sourcesOf, type Integration } from '../../shared/model/integrations.ts';
import { sourceLabels } from '../../shared/model/records.ts';
import { setSourceEnabled, useDisabledSources } from './sources.ts';

function covers(integration: Integration): string {
  return sourcesOf([integration])
    .map((source) => sourceLabels[source])
    .join(', ');
}

/** Settings → Integrations: one switch per source. Turning one off hides its data; it never deletes it. */
export function IntegrationsPanel() {
  const disabled = useDisabledSources();
  return (
    <section className="panel" aria-label="Integrations">
      <h2>Integrations</h2>
      <p className="muted small">
        A disabled source's files are skipped by imports and watched folders, and its data is hidden from the queues and scores. Nothing stored is deleted:
        enabling it again shows it again.
      </p>
      <table className="table compact" data-testid="integrations" aria-label="Integrations">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">State</th>
            <th scope="col">Its records</th>
          </tr>
        </thead>
        <tbody>
          {integrations.map((integration) => {
            const enabled = !disabled.has(integration);
            return (
              <tr key={integration}>
                <td className="nowrap">
                  <label>
                    <input
                      type="checkbox"
                      checked={enabled}
                      onChange={(event) => setSourceEnabled(integration, event.target.checked)}
                      data-testid={`integration-${integration}`}
                    />{' '}
                    <strong>{integrationLabels[integration]}</strong>
                  </label>
                </td>
                <td>{enabled ? <span className="badge badge-success">enabled</span> : <span className="badge badge-neutral">disabled</span>}</td>
                <td className="muted small">{covers(integration)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
