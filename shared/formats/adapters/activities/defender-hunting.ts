/**
 * Defender XDR advanced hunting with several tables MIXED in one file and no reliable table column
 * (OTRF's Microsoft365DefenderEvents: every row carries the union of the tables' columns, most empty).
 * Each row's table is inferred from which columns hold values and from its ActionType, then the row is
 * read by that table's reader.
 */
import type { ActivityRecord } from '../../../model/records.ts';
import { reject, type FormatAdapter } from '../../adapter.ts';
import type { FieldReader } from '../../fields.ts';
import { normalizeCloudAppEvent } from './cloud-apps.ts';
import { HUNTING_TIME, normalizeEndpointRow, normalizeIdentityRow, type EndpointTable, type IdentityTable } from './defender-identity.ts';
import { filled } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

export type HuntingTable = IdentityTable | EndpointTable | 'CloudAppEvents';

const KNOWN_TABLES: readonly HuntingTable[] = [
  'IdentityLogonEvents',
  'IdentityDirectoryEvents',
  'IdentityQueryEvents',
  'DeviceEvents',
  'DeviceLogonEvents',
  'CloudAppEvents',
];

/**
 * Which hunting table a row comes from. A table-name column (`Type` in Sentinel, `TableName`, `$table`)
 * wins when it names a known table; otherwise the filled columns decide:
 * - an initiating process or a device id: Defender for Endpoint (`DeviceLogonEvents` when it has a logon type);
 * - activity objects, raw event data, an activity type or a Cloud Apps application id: `CloudAppEvents`;
 * - a query type or target: `IdentityQueryEvents`;
 * - a logon type or a LogonSuccess/LogonFailed action: `IdentityLogonEvents`;
 * - on-prem account or destination columns: `IdentityDirectoryEvents`.
 */
export function huntingTableOf(reader: FieldReader): HuntingTable | undefined {
  const named = reader.string('Type', 'TableName', 'Table', '$table', 'SourceTable');
  const known = KNOWN_TABLES.find((table) => table.toLowerCase() === named?.trim().toLowerCase());
  if (known) return known;
  const action = reader.string('ActionType')?.toLowerCase() ?? '';
  if (filled(reader, 'InitiatingProcessFileName', 'InitiatingProcessAccountSid', 'InitiatingProcessAccountName', 'DeviceId')) {
    return filled(reader, 'LogonType') || action.startsWith('logon') ? 'DeviceLogonEvents' : 'DeviceEvents';
  }
  if (filled(reader, 'ActivityObjects', 'RawEventData', 'ActivityType', 'ApplicationId')) return 'CloudAppEvents';
  if (filled(reader, 'QueryType', 'QueryTarget')) return 'IdentityQueryEvents';
  if (filled(reader, 'LogonType') || action === 'logonsuccess' || action === 'logonfailed') return 'IdentityLogonEvents';
  if (filled(reader, 'AccountSid', 'AccountName', 'AccountUpn', 'DestinationDeviceName', 'Protocol')) return 'IdentityDirectoryEvents';
  return undefined;
}

/** Column families; a mixed file shows two or more of them. */
const FAMILIES: Record<string, (fields: ReadonlySet<string>) => boolean> = {
  endpoint: (fields) => fields.has('initiatingprocessfilename') || fields.has('initiatingprocessaccountsid'),
  cloudApps: (fields) => fields.has('activityobjects') || fields.has('raweventdata'),
  identity: (fields) => fields.has('accountsid') && fields.has('destinationdevicename'),
};

export const defenderHunting: FormatAdapter<ActivityRecord> = {
  id: 'defender-hunting-mixed',
  label: FORMAT_LABELS['defender-hunting-mixed'],
  source: 'defender-xdr',
  detect(fields) {
    if (!fields.has('actiontype') || !HUNTING_TIME.some((name) => fields.has(name.toLowerCase()))) return 0;
    const present = Object.values(FAMILIES).filter((test) => test(fields)).length;
    if (present >= 2) return 1;
    // A DeviceLogonEvents export alone is read here too (its rows are on-prem logons).
    if (FAMILIES.endpoint!(fields) && fields.has('logontype') && fields.has('accountsid')) return 0.8;
    // Any other single family is a single-table export, read by that table's adapter (or, for other
    // endpoint tables, by none): this one only names itself as the closest format.
    return present * 0.25;
  },
  normalize(reader, raw) {
    const table = huntingTableOf(reader);
    switch (table) {
      case 'CloudAppEvents':
        return normalizeCloudAppEvent(reader, raw, 'defender-hunting-mixed');
      case 'DeviceEvents':
      case 'DeviceLogonEvents':
        return normalizeEndpointRow(table, reader, raw, 'defender-hunting-mixed');
      case 'IdentityLogonEvents':
      case 'IdentityDirectoryEvents':
      case 'IdentityQueryEvents':
        return normalizeIdentityRow(table, reader, raw, 'defender-hunting-mixed');
      case undefined:
        return reject('ActionType', 'cannot tell which advanced-hunting table this row comes from');
    }
  },
};
