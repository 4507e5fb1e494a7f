/**
 * Attribution for scoring: every record with the user the identity resolver gives it once all the
 * records are known, so a record read before two identities were proven one person still lands on
 * the survivor. For tests, `npm run eval` and any caller that holds the records in memory.
 */
import { identifierKey } from '../model/identity.ts';
import type { NormalizedRecord } from '../model/records.ts';
import { IdentityResolver } from '../model/resolver.ts';
import type { Attributed } from './baseline.ts';

export function attributeRecords(records: readonly NormalizedRecord[], resolver = new IdentityResolver()): Attributed[] {
  for (const record of records) resolver.resolve(record.identifiers, record.id, record.time);
  const userOf = new Map(resolver.links().map((link) => [link.key, link.userId]));
  return records.map((record) => ({ userId: record.identifiers[0] ? (userOf.get(identifierKey(record.identifiers[0])) ?? '') : '', record }));
}
