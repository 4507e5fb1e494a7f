import { describe, expect, it } from 'vitest';
import { FieldReader } from '../../fields.ts';
import { accountIdentifiers, incidentTime } from './helpers.ts';

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

describe('incidentTime', () => {
  it('takes the earliest alert time when the incident has none, or only a "never" placeholder (DateTime.MinValue)', () => {
    const alerts = [new FieldReader({ createdDateTime: '2024-03-02T00:00:00Z' }), new FieldReader({ createdDateTime: '2024-03-01T00:00:00Z' })];
    for (const incident of [{}, { createdDateTime: '0001-01-01T00:00:00Z' }]) {
      expect(incidentTime(new FieldReader(incident), ['createdDateTime'], alerts, ['createdDateTime'])).toMatchObject({ ok: true, ms: Date.UTC(2024, 2, 1) });
    }
  });
});
