/**
 * What the incident page shows, computed from the incident and the alerts the store holds for it:
 * pure, so it is tested on real exports without a browser.
 */
import { identifierKey } from '../../shared/model/identity.ts';
import { sourceLabels, type Identifier, type SourceProduct } from '../../shared/model/records.ts';
import type { StoredAlert, StoredIncident } from '../db/schema.ts';

export interface AffectedUser {
  /** The workspace user, when an alert of the incident was attributed to one. */
  userId?: string;
  label: string;
  identifiers: Identifier[];
  /** How many of the incident's alerts name this user. */
  alerts: number;
}

export interface IncidentSource {
  source: SourceProduct;
  label: string;
  /** The detecting services the alerts name (serviceSource / detectionSource), e.g. "MicrosoftDefenderForIdentity". */
  services: string[];
  alerts: number;
}

export interface IncidentEvent {
  time: number;
  kind: 'created' | 'alert' | 'updated';
  title: string;
  alert?: StoredAlert;
}

export interface IncidentSummary {
  users: AffectedUser[];
  sources: IncidentSource[];
  /** Oldest first: the incident's story in the order it happened. */
  events: IncidentEvent[];
  /** Alert ids the incident lists that no imported file carried. */
  missingAlertIds: string[];
  first?: number;
  last?: number;
}

const userLabel = (ids: Identifier[], displayName?: string) =>
  displayName ?? ids.find((id) => id.type === 'upn')?.value ?? ids.find((id) => id.type === 'email')?.value ?? ids[0]?.value ?? 'Unknown user';

/** When an alert's activity began: what a timeline orders by (its own `time` when the source gives no activity). */
export function alertTime(alert: StoredAlert): number {
  return alert.firstActivity ?? alert.time;
}

export function summarizeIncident(incident: StoredIncident, alerts: readonly StoredAlert[]): IncidentSummary {
  // Users: each alert's attributed user first (they link to a user page), then any identifier set the
  // incident names that none of those alerts covered.
  const users = new Map<string, AffectedUser>();
  const covered = new Set<string>();
  for (const alert of alerts) {
    for (const ids of alert.affectedUsers) for (const id of ids) covered.add(identifierKey(id));
    for (const id of alert.identifiers) covered.add(identifierKey(id));
    if (!alert.userId) continue;
    const user = users.get(alert.userId);
    if (user) user.alerts++;
    else users.set(alert.userId, { userId: alert.userId, label: userLabel(alert.identifiers, alert.displayName), identifiers: alert.identifiers, alerts: 1 });
  }
  for (const ids of incident.affectedUsers) {
    if (ids.length === 0 || ids.some((id) => covered.has(identifierKey(id)))) continue;
    for (const id of ids) covered.add(identifierKey(id));
    const sameAsIncident = incident.userId && ids.some((id) => incident.identifiers.some((own) => identifierKey(own) === identifierKey(id)));
    const key = sameAsIncident ? incident.userId : `ids:${ids.map(identifierKey).join('|')}`;
    if (users.has(key)) continue;
    users.set(key, {
      userId: sameAsIncident ? incident.userId : undefined,
      label: userLabel(ids, sameAsIncident ? incident.displayName : undefined),
      identifiers: ids,
      alerts: 0,
    });
  }

  const sources = new Map<SourceProduct, IncidentSource>();
  for (const alert of alerts) {
    const entry = sources.get(alert.source) ?? { source: alert.source, label: sourceLabels[alert.source] ?? alert.source, services: [], alerts: 0 };
    entry.alerts++;
    for (const service of [alert.serviceSource, alert.detectionSource]) if (service && !entry.services.includes(service)) entry.services.push(service);
    sources.set(alert.source, entry);
  }
  if (sources.size === 0)
    sources.set(incident.source, { source: incident.source, label: sourceLabels[incident.source] ?? incident.source, services: [], alerts: 0 });

  const events: IncidentEvent[] = [
    { time: incident.time, kind: 'created', title: 'Incident created' },
    ...alerts.map((alert): IncidentEvent => ({ time: alertTime(alert), kind: 'alert', title: alert.title, alert })),
  ];
  if (incident.lastUpdateTime !== undefined && incident.lastUpdateTime > incident.time) {
    events.push({ time: incident.lastUpdateTime, kind: 'updated', title: 'Incident last updated' });
  }
  // Stable sort: at the same instant, the incident's creation comes before the alert that caused it.
  events.sort((a, b) => a.time - b.time);

  const found = new Set(alerts.map((alert) => alert.id));
  const times = events.map((event) => event.time);
  return {
    users: [...users.values()].sort((a, b) => b.alerts - a.alerts || a.label.localeCompare(b.label)),
    sources: [...sources.values()].sort((a, b) => b.alerts - a.alerts || a.label.localeCompare(b.label)),
    events,
    missingAlertIds: incident.alertIds.filter((id) => !found.has(id)),
    first: times.length ? Math.min(...times) : undefined,
    last: times.length ? Math.max(...times) : undefined,
  };
}

/** The incidents list's search: title, id, status, classification, tags and the users it names. */
export function incidentMatches(incident: StoredIncident, text: string, userNames: readonly string[] = []): boolean {
  const needle = text.trim().toLowerCase();
  if (!needle) return true;
  const values = [
    ...userNames,
    incident.title,
    incident.nativeId,
    incident.status,
    incident.classification,
    incident.determination,
    incident.assignedTo,
    incident.displayName,
    ...incident.tags,
    ...incident.affectedUsers.flat().map((id) => id.value),
  ];
  return values.some((value) => value?.toLowerCase().includes(needle));
}

/** Where on a strip from `first` to `last` an instant falls, 0 to 1 (the middle when the span is one instant). */
export function positionOnSpan(time: number, first: number, last: number): number {
  if (last <= first) return 0.5;
  return Math.min(1, Math.max(0, (time - first) / (last - first)));
}

/**
 * Whether an incident concerns a user: attributed to them, or naming one of their identifiers among its
 * affected users (an incident's first user is its own, the others only appear there).
 */
export function incidentNamesUser(incident: StoredIncident, userId: string, identityKeys: ReadonlySet<string>): boolean {
  if (incident.userId === userId) return true;
  return incident.affectedUsers.some((ids) => ids.some((id) => identityKeys.has(identifierKey(id))));
}
