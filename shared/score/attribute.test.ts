import { describe, expect, it } from 'vitest';
import type { ActivityRecord, Identifier } from '../model/records.ts';
import { attributeRecords } from './attribute.ts';

function logon(n: number, identifiers: Identifier[]): ActivityRecord {
  return {
    kind: 'activity',
    id: `activity:${n}`,
    nativeId: String(n),
    source: 'defender-for-identity',
    format: 'mdi-identity-logon-events',
    time: n,
    timeRaw: '',
    identifiers,
    raw: null,
    activityType: 'onPremLogon',
    action: 'LogonSuccess',
    targetIdentifiers: [],
  };
}

describe('attributeRecords', () => {
  it("gives a record read before two identities were joined to the survivor, and nobody's to a record naming no one", () => {
    const sid: Identifier = { type: 'sid', value: 'S-1-5-21-1-2-3-1146' };
    const upn: Identifier = { type: 'upn', value: 'leila.hartmann@contoso.com' };
    const attributed = attributeRecords([logon(1, [sid]), logon(2, [upn]), logon(3, [sid, upn]), logon(4, [])]);
    expect(attributed.map((a) => a.userId)).toEqual(['upn:leila.hartmann@contoso.com', 'upn:leila.hartmann@contoso.com', 'upn:leila.hartmann@contoso.com', '']);
  });
});
