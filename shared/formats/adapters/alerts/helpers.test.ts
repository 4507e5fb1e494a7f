import { describe, expect, it } from 'vitest';
import { accountIdentifiers } from './helpers.ts';

describe('accountIdentifiers', () => {
  it('reads an on-prem account as DOMAIN\\sam beside its UPN and SID', () => {
    const ids = accountIdentifiers({
      accountName: 'ben.sato',
      domainName: 'nwt.northwindtraders.example',
      upn: 'Ben.Sato@northwindtraders.example',
      sid: 'S-1-5-21-1-2-3-1104',
    });
    expect(ids.map((id) => `${id.type}:${id.value}`)).toEqual(['upn:ben.sato@northwindtraders.example', 'sid:S-1-5-21-1-2-3-1104', 'samAccount:nwt\\ben.sato']);
  });

  it('does not invent a DOMAIN\\sam from a cloud account whose name and domain are its UPN halves', () => {
    const ids = accountIdentifiers({
      accountName: 'ben.sato',
      domainName: 'northwindtraders.example',
      upn: 'ben.sato@northwindtraders.example',
      objectId: '5d8ec793-7ddb-4e96-8caf-2b86ac26f235',
    });
    expect(ids.map((id) => id.type)).toEqual(['objectId', 'upn']);
  });
});
