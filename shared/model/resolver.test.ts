import { describe, expect, it } from 'vitest';
import { identifiers, makeIdentifier } from './identity.ts';
import { IdentityResolver } from './resolver.ts';

const oid = (value: string) => makeIdentifier('objectId', value);
const upn = (value: string) => makeIdentifier('upn', value);
const sid = (value: string) => makeIdentifier('sid', value);
const sam = (value: string) => makeIdentifier('samAccount', value);

describe('IdentityResolver', () => {
  it('keys a user on the object id and links the UPN that came with it', () => {
    const resolver = new IdentityResolver();
    const first = resolver.resolve(identifiers(oid('AEAD923D-498B-4F64-A66C-2AF91447A8B6'), upn('PGustavo@simulandlabs.com')), 'signIn:1', 1);
    expect(first.userId).toBe('objectId:aead923d-498b-4f64-a66c-2af91447a8b6');
    expect(first.added.map((link) => [link.key, link.evidenceRecordId])).toEqual([
      ['objectId:aead923d-498b-4f64-a66c-2af91447a8b6', 'signIn:1'],
      ['upn:pgustavo@simulandlabs.com', 'signIn:1'],
    ]);
    expect(resolver.resolve(identifiers(upn('pgustavo@SIMULANDLABS.com')), 'x', 2).userId).toBe(first.userId);
  });

  it('joins an on-prem SID only through a record that carries it with a cloud identifier', () => {
    const resolver = new IdentityResolver();
    const onPrem = resolver.resolve(identifiers(sid('S-1-5-21-2490359158-13971675-3780420524-1105')), 'mdi:1', 1);
    const cloud = resolver.resolve(identifiers(oid('aead923d-498b-4f64-a66c-2af91447a8b6'), upn('pgustavo@simulandlabs.com')), 'signIn:1', 2);
    expect(onPrem.userId).not.toBe(cloud.userId);
    const bridge = resolver.resolve(identifiers(sid('S-1-5-21-2490359158-13971675-3780420524-1105'), upn('pgustavo@simulandlabs.com')), 'mdi:2', 3);
    expect(bridge.userId).toBe(cloud.userId);
    expect(bridge.merged).toEqual([onPrem.userId]);
    expect(resolver.linksOf(cloud.userId)).toHaveLength(3);
  });

  it('never keys a user on an empty, placeholder or system identifier', () => {
    const resolver = new IdentityResolver();
    const ids = identifiers(
      upn(''),
      upn('null'),
      upn('NT AUTHORITY\\SYSTEM (Microsoft.Exchange.ServiceHost)'),
      oid('00000000-0000-0000-0000-000000000000'),
      oid(''),
    );
    expect(ids).toEqual([]);
    expect(resolver.resolve(ids, 'r', 1)).toEqual({ userId: '', added: [], merged: [], earlier: [] });
  });

  it('keeps two empty-UPN risky users apart', () => {
    const resolver = new IdentityResolver();
    const a = resolver.resolve(identifiers(oid('11111111-1111-1111-1111-111111111111'), upn('')), 'a', 1);
    const b = resolver.resolve(identifiers(oid('22222222-2222-2222-2222-222222222222'), upn('')), 'b', 1);
    expect(a.userId).not.toBe(b.userId);
  });

  it('does not join two people of two forests through the short domain name they share', () => {
    const resolver = new IdentityResolver();
    // CORP\jdoe of corp.contoso.com and CORP\jdoe of corp.fabrikam.com: two SIDs, two UPNs, one short name.
    const contoso = resolver.resolve(identifiers(sid('S-1-5-21-1-2-3-1105'), upn('jdoe@contoso.com'), sam('CORP\\jdoe')), 'mdi:1', 1);
    const fabrikam = resolver.resolve(identifiers(sid('S-1-5-21-7-8-9-1105'), upn('jdoe@fabrikam.com'), sam('CORP\\jdoe')), 'mdi:2', 2);
    expect(fabrikam.userId).toBe('upn:jdoe@fabrikam.com');
    expect(fabrikam.userId).not.toBe(contoso.userId);
    expect(fabrikam.merged).toEqual([]);
    // The short name stays with the first person; the second keeps its own SID and UPN.
    expect(
      resolver
        .linksOf(fabrikam.userId)
        .map((link) => link.key)
        .sort(),
    ).toEqual(['sid:S-1-5-21-7-8-9-1105', 'upn:jdoe@fabrikam.com']);
    // A record of the first person by its SID and the short name still joins it.
    expect(resolver.resolve(identifiers(sid('S-1-5-21-1-2-3-1105'), sam('CORP\\jdoe')), 'mdi:3', 3).userId).toBe(contoso.userId);
    // And a record carrying only the short name goes to the person it was first seen with.
    expect(resolver.resolve(identifiers(sam('corp\\JDOE')), 'mdi:4', 4).userId).toBe(contoso.userId);
  });

  it('still joins a SID to a user through the short name when nothing contradicts it', () => {
    const resolver = new IdentityResolver();
    const cloud = resolver.resolve(identifiers(upn('jdoe@contoso.com'), sam('CORP\\jdoe')), 'alert:1', 1);
    const onPrem = resolver.resolve(identifiers(sid('S-1-5-21-1-2-3-1105'), sam('CORP\\jdoe')), 'mdi:1', 2);
    expect(onPrem.userId).toBe(cloud.userId);
  });

  it('never keys a user on what scripts write for a missing value', () => {
    for (const value of ['undefined', 'None', 'NULL', '$null', 'n/a', '0', '-', '(null)']) expect(oid(value), value).toBeUndefined();
    for (const value of ['@', 'a@', '@b', 'a@b@c', 'undefined']) expect(upn(value), value).toBeUndefined();
    expect(oid('a1b2')).toEqual({ type: 'objectId', value: 'a1b2' });
    expect(upn('a@b')).toEqual({ type: 'upn', value: 'a@b' });
  });

  it('dates a link by its earliest record, whatever order the records come in', () => {
    const resolver = new IdentityResolver();
    const ids = identifiers(oid('aead923d-498b-4f64-a66c-2af91447a8b6'), upn('pgustavo@simulandlabs.com'));
    // A Graph export lists newest first.
    expect(resolver.resolve(ids, 'signIn:3', 300).earlier).toEqual([]);
    const second = resolver.resolve(ids, 'signIn:2', 200);
    expect(second.earlier.map((link) => [link.key, link.firstSeen])).toEqual([
      ['objectId:aead923d-498b-4f64-a66c-2af91447a8b6', 200],
      ['upn:pgustavo@simulandlabs.com', 200],
    ]);
    expect(resolver.resolve(ids, 'signIn:4', 400).earlier).toEqual([]);
    expect(resolver.links().map((link) => [link.firstSeen, link.evidenceRecordId])).toEqual([
      [200, 'signIn:3'],
      [200, 'signIn:3'],
    ]);
  });
});
