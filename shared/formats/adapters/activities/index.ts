import type { FormatAdapter } from '../../adapter.ts';
import { azureActivityLog } from './azure-activity.ts';
import { azureDiagnosticEntra } from './azure-diagnostic.ts';
import { cloudAppEvents, mdcaActivity } from './cloud-apps.ts';
import { defenderHunting } from './defender-hunting.ts';
import { identityDirectoryEvents, identityLogonEvents, identityQueryEvents } from './defender-identity.ts';
import { directoryAudit } from './directory-audit.ts';
import { officeActivity, unifiedAuditLog } from './office-audit.ts';
import { workloadSignIn } from './workload-sign-in.ts';

/**
 * Activity formats: Defender for Identity hunting tables, Cloud Apps, the unified audit log, directory audit,
 * workload sign-ins, Azure activity log events. More specific first: detection ties go to the earlier adapter (single-table hunting
 * exports before the mixed-table reader).
 */
export const activityAdapters: readonly FormatAdapter[] = [
  identityLogonEvents,
  identityQueryEvents,
  identityDirectoryEvents,
  cloudAppEvents,
  defenderHunting,
  mdcaActivity,
  unifiedAuditLog,
  officeActivity,
  directoryAudit,
  workloadSignIn,
  azureDiagnosticEntra,
  azureActivityLog,
];
