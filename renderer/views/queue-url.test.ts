import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activityFilterOf, activityQueryString, alertFilterOf, alertQueryString, aroundInstant, instantToTimeText, parseActivityQuery, parseAlertQuery, parseTimeText } from './queue-url.ts';

describe('the alerts URL', () => {
  it('reads the contract keys into the store filter', () => {
    const search =
      'source=defender-for-identity%2Cidentity-protection&app=Active+Directory&user=objectId%3Aabc&severity=high%2Cmedium&status=new&type=Suspicious+a%2C+b&policy=mdi%3AX&hidden=show&from=2026-01-01T00%3A00%3A00.000Z&to=2026-01-02T00%3A00%3A00.000Z&q=dc01&sort=-severity';
    const query = parseAlertQuery(search);
    expect(alertQueryString(query)).toBe(search);
    expect(alertFilterOf(query)).toEqual({
      filter: {
        sources: ['defender-for-identity', 'identity-protection'],
        apps: ['Active Directory'],
        userId: 'objectId:abc',
        severities: ['high', 'medium'],
        statuses: ['new'],
        // A type may hold a comma: it is one value per key, never split.
        types: ['Suspicious a, b'],
        policies: ['mdi:X'],
        policyHidden: 'show',
        from: Date.UTC(2026, 0, 1),
        to: Date.UTC(2026, 0, 2),
        text: 'dc01',
      },
      sort: '-severity',
    });
  });

  it('drops what it cannot read and defaults to newest first', () => {
    const query = parseAlertQuery('from=yesterday&sort=random&severity=,high,,high&q=%20%20&hidden=hide');
    expect(alertQueryString(query)).toBe('severity=high');
    expect(alertFilterOf(query).sort).toBe('-time');
    expect(alertQueryString(parseAlertQuery(''))).toBe('');
  });

  it('round-trips any query it writes', () => {
    const word = fc.stringMatching(/^[a-z][a-zA-Z-]{0,12}$/);
    const text = fc.string({ minLength: 1, maxLength: 20 }).filter((value) => value.trim() === value && value !== '');
    const instant = fc.integer({ min: 0, max: 4_102_444_800_000 }).map((time) => new Date(time).toISOString());
    fc.assert(
      fc.property(
        fc.record({
          source: fc.uniqueArray(word, { maxLength: 3 }),
          app: fc.uniqueArray(text, { maxLength: 2 }),
          user: fc.option(text, { nil: undefined }),
          severity: fc.uniqueArray(word, { maxLength: 3 }),
          status: fc.uniqueArray(word, { maxLength: 2 }),
          type: fc.uniqueArray(text, { maxLength: 2 }),
          policy: fc.uniqueArray(text, { maxLength: 2 }),
          hidden: fc.option(fc.constantFrom('show' as const, 'only' as const), { nil: undefined }),
          from: fc.option(instant, { nil: undefined }),
          to: fc.option(instant, { nil: undefined }),
          q: fc.option(text, { nil: undefined }),
          sort: fc.option(fc.constantFrom('time' as const, '-time' as const, 'severity' as const, '-severity' as const), { nil: undefined }),
        }),
        (query) => {
          const written = alertQueryString(query);
          expect(parseAlertQuery(written)).toEqual(query);
          expect(alertQueryString(parseAlertQuery(written))).toBe(written);
        },
      ),
    );
  });
});

describe('the activity log URL', () => {
  it('reads the contract keys, including a preset', () => {
    const search =
      'user=u1&type=signIn%2ConPremLogon&app=Office&ip=203.0.113.5&country=DE&isp=Example&result=failure&from=2026-01-01T00%3A00%3A00.000Z&q=x&preset=failed-sign-ins';
    const query = parseActivityQuery(search);
    expect(activityQueryString(query)).toBe(search);
    expect(activityFilterOf(query)).toEqual({
      userId: 'u1',
      types: ['signIn', 'onPremLogon'],
      app: 'Office',
      ip: '203.0.113.5',
      country: 'DE',
      isp: 'Example',
      result: 'failure',
      from: Date.UTC(2026, 0, 1),
      to: undefined,
      text: 'x',
      preset: 'failed-sign-ins',
    });
  });

  it('drops an unknown result or preset', () => {
    expect(activityQueryString(parseActivityQuery('result=maybe&preset=everything&ip=1.2.3.4'))).toBe('ip=1.2.3.4');
  });

  it('opens 48 hours either side of an event', () => {
    const time = Date.UTC(2026, 5, 1, 12);
    expect(aroundInstant(time)).toEqual({ from: '2026-05-30T12:00:00.000Z', to: '2026-06-03T12:00:00.000Z' });
  });
});

describe('the time filter text', () => {
  it('reads a date, a date and time, with or without seconds, T or Z, as UTC', () => {
    expect(parseTimeText('2026-10-29')).toEqual({ instant: '2026-10-29T00:00:00.000Z' });
    expect(parseTimeText(' 2026-10-29 14:30 ')).toEqual({ instant: '2026-10-29T14:30:00.000Z' });
    expect(parseTimeText('2026-10-29T14:30:05Z')).toEqual({ instant: '2026-10-29T14:30:05.000Z' });
    expect(parseTimeText('2026-10-29 14:30:05.5 UTC')).toEqual({ instant: '2026-10-29T14:30:05.500Z' });
    expect(parseTimeText('')).toEqual({});
  });

  it('says what is wrong with a text that is not a time, or a date that does not exist', () => {
    expect(parseTimeText('10/29/2026').error).toMatch(/write it as 2026-10-29/);
    expect(parseTimeText('2026-10-29 2:30 PM').error).toMatch(/is not a time/);
    expect(parseTimeText('2026-02-30').error).toMatch(/does not exist/);
    expect(parseTimeText('2026-10-29 24:00').error).toMatch(/does not exist/);
  });

  it('shows an instant in 24-hour UTC, with seconds only when it has them', () => {
    expect(instantToTimeText('2026-10-29T14:30:00.000Z')).toBe('2026-10-29 14:30');
    expect(instantToTimeText('2026-10-29T14:30:05.000Z')).toBe('2026-10-29 14:30:05');
    expect(instantToTimeText('2026-10-29T14:30:05.576Z')).toBe('2026-10-29 14:30:05.576');
    expect(instantToTimeText(undefined)).toBe('');
    expect(instantToTimeText('not a time')).toBe('');
  });

  it('reads back every instant it shows', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }), (date) => {
        expect(parseTimeText(instantToTimeText(date.toISOString())).instant).toBe(date.toISOString());
      }),
    );
  });
});
