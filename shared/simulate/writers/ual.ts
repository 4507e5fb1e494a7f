/**
 * The unified audit log as `Search-UnifiedAuditLog | Export-Csv -NoTypeInformation -Encoding Unicode`
 * writes it from Windows PowerShell: UTF-16 LE with a BOM (the caller encodes), every field quoted,
 * CRLF, the column order of the recorded Hawk export (o365-ual/AuditLog.csv). `CreationDate` is the
 * en-US display string, `AuditData` the record's compact JSON, `ResultIndex`/`ResultCount` number
 * the rows of each search (one search per day here).
 */
import type { MailboxEvent } from '../events.ts';
import type { Population } from '../population.ts';
import { SECOND } from '../time.ts';
import { csvQuoted, psTime, ualTime } from './text.ts';

export const UAL_COLUMNS = [
  'RecordType',
  'CreationDate',
  'UserIds',
  'Operations',
  'AuditData',
  'ResultIndex',
  'ResultCount',
  'Identity',
  'IsValid',
  'ObjectState',
] as const;

export function ualHeader(): string {
  return `\uFEFF${UAL_COLUMNS.map(csvQuoted).join(',')}\r\n`;
}

export function auditData(event: MailboxEvent, population: Population): Record<string, unknown> {
  const who = event.person;
  const common = {
    AppAccessContext: {
      AADSessionId: event.sessionId,
      IssuedAtTime: ualTime(event.time - 40 * 60 * SECOND),
      UniqueTokenId: event.id.replace(/-/g, '').slice(0, 22),
    },
    CreationTime: ualTime(event.time),
    Id: event.id,
    Operation: event.operation,
    OrganizationId: population.tenant.tenantId,
    RecordType: event.recordType,
    ResultStatus: event.recordType === 1 ? 'True' : 'Succeeded',
    UserKey: who.puid,
    UserType: 0,
    Version: 1,
    Workload: 'Exchange',
    ClientIP: event.network.ip,
    UserId: who.userPrincipalName,
  };
  if (event.recordType === 1) {
    return {
      ...common,
      ObjectId: `${who.userPrincipalName}\\${String(event.details.Parameters ? ((event.details.Parameters as { Value: string }[])[0]?.Value ?? '') : '')}`,
      AppId: event.appId,
      ClientAppId: '',
      ExternalAccess: false,
      OrganizationName: population.organizationName,
      OriginatingServer: 'NWTPR10MB4321 (15.20.8207.017)',
      ...event.details,
    };
  }
  return {
    ...common,
    AppId: event.appId,
    ClientAppId: '',
    ClientIPAddress: event.network.ip,
    ClientInfoString: event.clientInfo,
    ExternalAccess: false,
    InternalLogonType: 0,
    LogonType: 0,
    MailboxGuid: who.mailboxGuid,
    MailboxOwnerUPN: who.userPrincipalName,
    OrganizationName: population.organizationName,
    OriginatingServer: 'NWTPR10MB4321 (15.20.8207.017)\r\n',
    SessionId: event.sessionId,
    ...event.details,
  };
}

/** One row; `index` is 1-based within the day's search, `count` the search's size. */
export function ualRow(event: MailboxEvent, population: Population, index: number, count: number): string {
  return `${[
    event.recordTypeName,
    psTime(event.time),
    event.person.userPrincipalName,
    event.operation,
    JSON.stringify(auditData(event, population)),
    String(index),
    String(count),
    event.id,
    'True',
    'Unchanged',
  ]
    .map(csvQuoted)
    .join(',')}\r\n`;
}
