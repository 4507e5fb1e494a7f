/**
 * Incident reads for the incidents list, the dashboard and the user page. Incidents are few next to
 * alerts (thousands at most), so they are read whole; their alerts are read by key, only the fields
 * a list shows are kept.
 */
import type { SourceProduct } from '../../shared/model/records.ts';
import { CLOSED_STATUSES } from '../views/dashboard-model.ts';
import { incidentNamesUser } from '../views/incident-model.ts';
import { db } from './index.ts';
import { userNames } from './repo.ts';
import type { StoredIncident } from './schema.ts';

export interface IncidentRow {
  id: string;
  incident: StoredIncident;
  /** The products whose alerts it groups (the incident's own source when none of its alerts was imported). */
  sources: SourceProduct[];
  /** Users it affects: the store's users its alerts were attributed to, else the identifier sets it names. */
  users: number;
  /** The first few of those users as the store names them (display name, else UPN), for telling incidents apart. */
  userNames: string[];
  lastUpdate: number;
  open: boolean;
}

export function isOpenIncident(incident: Pick<StoredIncident, 'status'>): boolean {
  return !CLOSED_STATUSES.has(incident.status);
}

/** Every incident with the products and users of its alerts, newest first. */
export async function listIncidentRows(): Promise<IncidentRow[]> {
  const incidents = await db.incidents.orderBy('time').reverse().toArray();
  const alertIds = [...new Set(incidents.flatMap((incident) => incident.alertIds))];
  const facts = new Map<string, { source: SourceProduct; userId: string }>();
  // Alerts are read in slices so a large workspace never holds every alert of every incident at once.
  for (let i = 0; i < alertIds.length; i += 2_000) {
    const slice = alertIds.slice(i, i + 2_000);
    const alerts = await db.alerts.bulkGet(slice);
    alerts.forEach((alert, j) => alert && facts.set(slice[j]!, { source: alert.source, userId: alert.userId }));
  }
  const rows = incidents.map((incident) => {
    const known = incident.alertIds.flatMap((id) => facts.get(id) ?? []);
    const sources = [...new Set(known.map((fact) => fact.source))];
    const users = new Set(known.map((fact) => fact.userId).filter(Boolean));
    return {
      id: incident.id,
      incident,
      sources: sources.length ? sources : [incident.source],
      users: Math.max(users.size, incident.affectedUsers.length),
      userIds: [...users].slice(0, NAMED_USERS),
      userNames: [] as string[],
      lastUpdate: incident.lastUpdateTime ?? incident.time,
      open: isOpenIncident(incident),
    };
  });
  const userIds = [...new Set(rows.flatMap((row) => row.userIds))];
  const names = await userNames(userIds);
  return rows.map(({ userIds: ids, ...row }) => ({ ...row, userNames: ids.map((id) => names.get(id) ?? id.slice(id.indexOf(':') + 1)) }));
}

/** How many of an incident's users the list names. */
const NAMED_USERS = 3;

/** Incidents that concern a user: one of their alerts is in it, it is attributed to them, or it names one of their identifiers. */
export async function getUserIncidents(userId: string): Promise<StoredIncident[]> {
  const [incidents, alertIds, identityKeys] = await Promise.all([
    db.incidents.orderBy('time').reverse().toArray(),
    db.alerts.where('[userId+time]').between([userId, -Infinity], [userId, Infinity]).primaryKeys(),
    db.identities.where('userId').equals(userId).primaryKeys(),
  ]);
  const mine = new Set(alertIds);
  const keys = new Set(identityKeys);
  return incidents.filter((incident) => incident.alertIds.some((id) => mine.has(id)) || incidentNamesUser(incident, userId, keys));
}
