/**
 * The four integrations an analyst can switch off in Settings, and which products' records belong to each.
 *
 * The model keeps finer products (SourceProduct) than the product brief's four switches. The mapping follows
 * where the data comes from in Microsoft's own consoles:
 * - Entra sign-ins and Entra audit logs sit beside Identity Protection: they are the Entra ID side of the
 *   tenant, and Identity Protection's detections are computed from those sign-ins.
 * - The Office 365 unified audit log belongs to Defender for Cloud Apps, whose Microsoft 365 app connector is
 *   how those activities reach the security console (CloudAppEvents carries the same Office actions).
 * Alerts carry the product that raised them (an Identity Protection alert read from a Graph alerts file has
 * source 'identity-protection'), so hiding works per record even when one file mixes products.
 */
import type { SourceProduct } from './records.ts';

export type Integration = 'identity-protection' | 'defender-for-identity' | 'defender-for-cloud-apps' | 'defender-xdr';

export const integrations: readonly Integration[] = ['identity-protection', 'defender-for-identity', 'defender-for-cloud-apps', 'defender-xdr'];

export const integrationLabels: Record<Integration, string> = {
  'identity-protection': 'Entra ID Protection',
  'defender-for-identity': 'Defender for Identity',
  'defender-for-cloud-apps': 'Defender for Cloud Apps',
  'defender-xdr': 'Defender XDR',
};

const integrationBySource: Record<SourceProduct, Integration> = {
  'identity-protection': 'identity-protection',
  'entra-sign-ins': 'identity-protection',
  'entra-audit': 'identity-protection',
  'defender-for-identity': 'defender-for-identity',
  'defender-for-cloud-apps': 'defender-for-cloud-apps',
  'office-365': 'defender-for-cloud-apps',
  'defender-xdr': 'defender-xdr',
};

export function integrationOf(source: SourceProduct): Integration {
  return integrationBySource[source];
}

/** Every product whose records belong to one of these integrations: what `parseInput`'s `skipSources` takes. */
export function sourcesOf(disabled: Iterable<Integration>): SourceProduct[] {
  const off = new Set(disabled);
  return (Object.keys(integrationBySource) as SourceProduct[]).filter((source) => off.has(integrationBySource[source]));
}

/**
 * Whether a stored record is shown in queues and counted in scores. Disabling an integration hides its records
 * but never deletes them, so re-enabling shows them again. Unknown products (a newer store read by older code)
 * stay visible: hiding data nobody chose to hide would be worse.
 */
export function isRecordSourceEnabled(record: { source: SourceProduct }, disabled: ReadonlySet<Integration>): boolean {
  if (disabled.size === 0) return true;
  const integration = integrationBySource[record.source] as Integration | undefined;
  return integration === undefined || !disabled.has(integration);
}

/** Reads a stored list of disabled integrations, dropping anything that is not one (old or hand-edited settings). */
export function parseDisabledIntegrations(value: unknown): Integration[] {
  if (!Array.isArray(value)) return [];
  return integrations.filter((integration) => value.includes(integration));
}
