import { makeIdentifier } from '../../../model/identity.ts';
import { normalizeAlertStatus, normalizeSeverity, type AlertRecord, type Identifier } from '../../../model/records.ts';
import { reject, signatureScore, type FormatAdapter } from '../../adapter.ts';
import type { FieldReader } from '../../fields.ts';
import { assign, optionalTime, requiredTime } from '../common.ts';
import { accountIdentifiers, alertKey, mergeUsers, normalizeClassification, objects, originOf, stringList, unique } from './helpers.ts';
import { FORMAT_LABELS } from '../../labels.ts';

const FORMAT = 'graph-security-alert-v1';

/**
 * The legacy Graph security alert (v1 `/security/alerts`), as Graph JSON (`vendorInformation.provider`,
 * `userStates[]`, `hostStates[]`) or as the CSV that export tools flatten it to (`Provider`, `Vendor`,
 * `AffectedUser` = `upn/<logon IP or null>` joined by `; `, `AffectedHost` = `host/<IP or null>`).
 * Extractor-Suite writes the same columns for v2 alerts, with `Provider` empty and `DetectionSource` set.
 */
export const graphSecurityAlertV1: FormatAdapter<AlertRecord> = {
  id: FORMAT,
  label: FORMAT_LABELS['graph-security-alert-v1'],
  source: 'defender-xdr',

  detect(fields) {
    const json = fields.has('vendorinformation') || fields.has('userstates');
    const csv = fields.has('provider') && (fields.has('affecteduser') || fields.has('vendor') || fields.has('subprovider'));
    if (!json && !csv) return 0;
    const forbidden = ['servicesource', 'alertid', 'systemalertid', 'incidentname', 'alerts'];
    const common = ['id', 'title', 'severity', 'status', 'category', 'createddatetime', 'eventdatetime'];
    return Math.max(
      signatureScore(fields, [...common, 'vendorinformation', 'userstates', 'lastmodifieddatetime'], forbidden),
      signatureScore(fields, [...common, 'provider', 'affecteduser', 'vendor'], forbidden),
    );
  },

  normalize(reader, raw) {
    const nativeId = reader.string('id');
    if (!nativeId) return reject('id', 'missing alert id');
    const when = requiredTime(reader, ['createdDateTime', 'eventDateTime']);
    if (!when.ok) return when;
    const vendor = reader.object('vendorInformation');
    const provider = vendor?.string('provider') ?? reader.string('provider');
    const origin = originOf(provider, reader.string('detectionSource'));
    const people = readUsers(reader);
    const affectedUsers = mergeUsers(people.users);
    const record: AlertRecord = {
      kind: 'alert',
      id: alertKey(nativeId),
      nativeId,
      source: origin.source,
      format: FORMAT,
      time: when.ms,
      timeRaw: when.raw,
      identifiers: affectedUsers[0] ?? [],
      title: reader.string('title') ?? reader.string('category') ?? nativeId,
      severity: normalizeSeverity(reader.get('severity')),
      status: normalizeAlertStatus(reader.get('status')),
      mitreTechniques: [],
      affectedUsers,
      ipAddresses: people.ips,
      devices: readHosts(reader),
      raw,
    };
    assign(record, {
      classification: normalizeClassification(reader.string('feedback')),
      serviceSource: provider,
      detectionSource: reader.string('detectionSource') ?? vendor?.string('subProvider') ?? reader.string('subProvider'),
      app: origin.app,
      category: reader.string('category'),
      description: reader.string('description'),
      firstActivity: optionalTime(reader, 'eventDateTime'),
      lastActivity: optionalTime(reader, 'lastEventDateTime'),
      lastUpdateTime: optionalTime(reader, 'lastModifiedDateTime'),
      incidentId: stringList(reader.get('incidentIds'))[0],
    });
    return { ok: true, record };
  },
};

/** `userStates[]` in Graph JSON, or the `AffectedUser` column of the flattened CSV. */
function readUsers(reader: FieldReader): { users: Identifier[][]; ips: string[] } {
  const states = objects(reader, 'userStates');
  if (states.length) {
    return {
      users: states.map((state) =>
        accountIdentifiers({
          objectId: state.get('aadUserId'),
          upn: state.get('userPrincipalName'),
          sid: state.get('onPremisesSecurityIdentifier'),
          accountName: state.string('accountName'),
          domainName: state.string('domainName'),
        }),
      ),
      ips: unique(states.map((state) => state.string('logonIp'))),
    };
  }
  const users: Identifier[][] = [];
  const ips: (string | undefined)[] = [];
  for (const [name, address] of slashPairs(reader.string('affectedUser'))) {
    const id = makeIdentifier('upn', name) ?? makeIdentifier('samAccount', name);
    if (id) users.push([id]);
    ips.push(address);
  }
  return { users, ips: unique(ips) };
}

/** `hostStates[]` in Graph JSON, or the `AffectedHost` column of the flattened CSV. */
function readHosts(reader: FieldReader): string[] {
  const states = objects(reader, 'hostStates');
  if (states.length) return unique(states.map((state) => state.string('fqdn', 'netBiosName', 'privateHostName')));
  return unique(slashPairs(reader.string('affectedHost')).map(([name]) => (name.toLowerCase() === 'unknown' ? undefined : name)));
}

/** `a/b; c/null` → `[[a, b], [c, undefined]]`: the tool writes a missing second part as `null`. */
function slashPairs(text: string | undefined): [string, string | undefined][] {
  if (!text) return [];
  const out: [string, string | undefined][] = [];
  for (const part of text.split(';')) {
    const item = part.trim();
    if (!item) continue;
    const slash = item.indexOf('/');
    const name = (slash < 0 ? item : item.slice(0, slash)).trim();
    const second = slash < 0 ? undefined : item.slice(slash + 1).trim();
    if (name) out.push([name, second && second.toLowerCase() !== 'null' ? second : undefined]);
  }
  return out;
}
