/**
 * Reads a simulated export file back into plain records, independently of the product's parsers:
 * Graph and XDR pages (`{"value": [...]}`), NDJSON, and CSV (RFC 4180: quoted fields, `""`, line
 * breaks inside quotes, CRLF; a leading BOM dropped). For the simulator's tests and for evaluations
 * that join the ground truth to the files.
 */
import type { TableKey } from './attacks.ts';

export type Row = Record<string, unknown>;

/** Parses CSV text into rows keyed by the header. */
export function parseCsv(text: string): Row[] {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (quoted) {
      if (c === '"') {
        if (body[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const [header, ...data] = rows;
  if (!header) return [];
  return data.map((values) => Object.fromEntries(header.map((name, i) => [name, values[i] ?? ''])));
}

/** The records of one simulated file, by its extension. */
export function readRecords(path: string, content: string): Row[] {
  if (path.endsWith('.csv')) return parseCsv(content);
  if (path.endsWith('.ndjson'))
    return content
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Row);
  const parsed = JSON.parse(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content) as { value?: Row[] };
  if (!Array.isArray(parsed.value)) throw new Error(`${path} is not a page of records`);
  return parsed.value;
}

/** The table a simulated file holds, from its path. */
export function tableOfPath(path: string): TableKey | 'signInLogs' | null {
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/(-part\d+)?\.(json|ndjson|csv)$/, '');
  const tables: Record<string, TableKey | 'signInLogs'> = {
    signIns: 'signIns',
    SigninLogs: 'signInLogs',
    AADNonInteractiveUserSignInLogs: 'nonInteractiveSignIns',
    servicePrincipalSignIns: 'workloadSignIns',
    riskDetections: 'riskDetections',
    riskyUsers: 'riskyUsers',
    directoryAudits: 'directoryAudits',
    alerts_v2: 'alerts',
    incidents: 'incidents',
    IdentityLogonEvents: 'identityLogonEvents',
    IdentityQueryEvents: 'identityQueryEvents',
    IdentityDirectoryEvents: 'identityDirectoryEvents',
    CloudAppEvents: 'cloudAppEvents',
    UnifiedAuditLog: 'unifiedAuditLog',
  };
  return tables[name] ?? null;
}
