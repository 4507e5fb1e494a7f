import type { FormatAdapter } from '../../adapter.ts';
import { graphSecurityAlert } from './graph-alert.ts';
import { graphSecurityAlertV1 } from './graph-alert-v1.ts';
import { graphSecurityIncident } from './graph-incident.ts';
import { mdcaAlert } from './mdca-alert.ts';
import { sentinelSecurityAlert } from './sentinel-alert.ts';
import { sentinelSecurityIncident } from './sentinel-incident.ts';
import { xdrIncident } from './xdr-incident.ts';

/**
 * Alert and incident formats: Graph security alerts and incidents, Defender XDR, Sentinel, Cloud Apps.
 * More specific first (incidents, which nest alerts, before alerts); each detector is gated on fields
 * the others forbid, so ties should not arise.
 */
export const alertAdapters: readonly FormatAdapter[] = [
  xdrIncident,
  graphSecurityIncident,
  sentinelSecurityIncident,
  sentinelSecurityAlert,
  graphSecurityAlertV1,
  graphSecurityAlert,
  mdcaAlert,
];
