import { Link } from 'react-router';
import type { StoredIncident } from '../db/schema.ts';
import { RiskLevelBadge } from './Badges.tsx';
import { humanize, plural } from './format.ts';
import { Time } from './Time.tsx';

/**
 * A short list of incidents, each a link to its page with severity, status, alert count and creation time;
 * with `userNames` (by incident id), the users each affects, since many incidents share a title.
 */
export function IncidentLinks({
  incidents,
  userNames,
  testId,
}: {
  incidents: StoredIncident[];
  userNames?: ReadonlyMap<string, readonly string[]>;
  testId?: string;
}) {
  return (
    <ul className="incident-list" data-testid={testId}>
      {incidents.map((incident) => (
        <li key={incident.id}>
          <Link to={`/incidents/${encodeURIComponent(incident.id)}`} className="incident-link">
            <span className="incident-link-title">{incident.title}</span>
            {userNames?.get(incident.id)?.length ? <span className="small">{userNames.get(incident.id)!.join(', ')}</span> : null}
            <span className="incident-link-meta">
              <RiskLevelBadge level={incident.severity} />
              <span className="muted small">
                {humanize(incident.status)} · {plural(incident.alertIds.length, 'alert')} · <Time value={incident.time} />
              </span>
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
