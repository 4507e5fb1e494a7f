import { describe, expect, it } from 'vitest';
import { FieldReader } from '../fields.ts';
import { optionalTime, requiredTime } from './common.ts';

describe('record times and "never" placeholders', () => {
  const never = '1/1/0001 12:00:00 AM';

  it('reads a placeholder in an optional time as no time', () => {
    expect(optionalTime(new FieldReader({ lastUpdateDateTime: never }), 'lastUpdateDateTime')).toBeUndefined();
    expect(optionalTime(new FieldReader({ lastUpdateDateTime: '0001-01-01T00:00:00' }), 'lastUpdateDateTime')).toBeUndefined();
  });

  it('passes over a placeholder to the next time field, as over an empty one', () => {
    const reader = new FieldReader({ RiskLastUpdatedDateTime: never, TimeGenerated: '2024-03-01T10:00:00Z' });
    expect(requiredTime(reader, ['riskLastUpdatedDateTime', 'timeGenerated'])).toEqual({ ok: true, ms: Date.UTC(2024, 2, 1, 10), raw: '2024-03-01T10:00:00Z' });
  });

  it('rejects a record whose only time is a placeholder, naming field and placeholder, instead of dating it 1901', () => {
    const reader = new FieldReader({ RiskLastUpdatedDateTime: never });
    expect(requiredTime(reader, ['riskLastUpdatedDateTime', 'timeGenerated'])).toEqual({
      ok: false,
      field: 'riskLastUpdatedDateTime',
      reason: `"${never}" is .NET DateTime.MinValue, a placeholder for "never", not a time`,
      placeholder: true,
    });
  });

  it('still rejects an invalid time without trying the next field', () => {
    const reader = new FieldReader({ createdDateTime: '/Date(99999999999999999)/', timeGenerated: '2024-03-01T10:00:00Z' });
    expect(requiredTime(reader, ['createdDateTime', 'timeGenerated'])).toMatchObject({
      ok: false,
      field: 'createdDateTime',
      reason: expect.stringMatching(/outside/),
    });
  });
});
