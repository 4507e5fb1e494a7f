import { describe, expect, it } from 'vitest';
import { identifiers, makeIdentifier } from './identity.ts';
import { IdentityResolver } from './resolver.ts';

const oid = (value: string) => makeIdentifier('objectId', value);
const upn = (value: string) => makeIdentifier('upn', value);
const sid = (value: string) => makeIdentifier('sid', value);

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
    expect(resolver.resolve(ids, 'r', 1)).toEqual({ userId: '', added: [], merged: [] });
  });

  it('keeps two empty-UPN risky users apart', () => {
    const resolver = new IdentityResolver();
    const a = resolver.resolve(identifiers(oid('11111111-1111-1111-1111-111111111111'), upn('')), 'a', 1);
    const b = resolver.resolve(identifiers(oid('22222222-2222-2222-2222-222222222222'), upn('')), 'b', 1);
    expect(a.userId).not.toBe(b.userId);
  });
});
