import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ActivityRecord } from '../model/records.ts';
import { BaselineBuilder, BaselineIndex, featuresOf, type Attributed } from './baseline.ts';
import { DAY_MS } from './constants.ts';

const T0 = Date.UTC(2026, 9, 1, 9);

/** A cloud-app activity of a user from an address in a country: the shape the Cloud Apps adapter gives. */
function activity(n: number, userId: string, day: number, ip: string, country = 'GB', action = 'FileAccessed'): Attributed<ActivityRecord> {
  return {
    userId,
    record: {
      kind: 'activity',
      id: `activity:${userId}-${n}`,
      nativeId: `${userId}-${n}`,
      source: 'defender-for-cloud-apps',
      format: 'mdca-cloud-app-events',
      time: T0 + day * DAY_MS + n,
      timeRaw: new Date(T0 + day * DAY_MS + n).toISOString(),
      identifiers: [{ type: 'upn', value: userId }],
      raw: null,
      activityType: 'cloudAppActivity',
      action,
      app: 'Microsoft SharePoint Online',
      ipAddress: ip,
      location: { country },
      targetIdentifiers: [],
    },
  };
}

/** Twenty people at the office address every day for 20 days; alice also from home. */
function office(): Attributed<ActivityRecord>[] {
  const out: Attributed<ActivityRecord>[] = [];
  let n = 0;
  for (let day = 0; day < 20; day++) {
    for (let u = 0; u < 20; u++) out.push(activity(n++, `user${u}@contoso.com`, day, '203.0.113.1'));
    out.push(activity(n++, 'alice@contoso.com', day, '203.0.113.1'));
    out.push(activity(n++, 'alice@contoso.com', day, '198.51.100.7'));
  }
  return out;
}

describe('BaselineBuilder', () => {
  it('gives the same state whatever the batches, their order or repeats (re-imports change nothing)', () => {
    const records = office();
    const once = new BaselineBuilder().add(records).toJSON();
    fc.assert(
      fc.property(fc.shuffledSubarray(records, { minLength: records.length, maxLength: records.length }), fc.integer({ min: 1, max: 7 }), (shuffled, parts) => {
        const size = Math.ceil(shuffled.length / parts);
        const workers = Array.from({ length: parts }, (_, i) => new BaselineBuilder().add(shuffled.slice(i * size, (i + 1) * size)).toJSON());
        const merged = workers.reduce((builder, state) => builder.merge(state), new BaselineBuilder());
        merged.add(shuffled.slice(0, 10)); // a file imported twice
        expect(sortKeys(merged.toJSON())).toEqual(sortKeys(once));
      }),
      { numRuns: 20 },
    );
  });

  it('round-trips through plain JSON, and restoring a state does not share it', () => {
    const state = new BaselineBuilder().add(office()).toJSON();
    const restored = new BaselineBuilder(JSON.parse(JSON.stringify(state)));
    expect(restored.toJSON()).toEqual(state);
    restored.add([activity(999, 'bob@contoso.com', 30, '192.0.2.9')]);
    expect(state.users['bob@contoso.com']).toBeUndefined();
    expect(() => new BaselineBuilder({ version: 2 } as never)).toThrow(/version 2/);
  });

  it('folds two users into one when the resolver proves they are one person', () => {
    const builder = new BaselineBuilder().add([activity(1, 'sid:s-1', 0, '10.0.0.1'), activity(2, 'upn:a@x', 3, '10.0.0.2')]);
    builder.mergeUsers('sid:s-1', 'upn:a@x');
    expect(Object.keys(builder.state.users)).toEqual(['upn:a@x']);
    expect(Object.keys(builder.state.users['upn:a@x']!.values.ip!).sort()).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(builder.state.users['upn:a@x']!.first).toBe(T0 + 1);
  });

  it('ignores what is not behaviour: alerts and workload sign-ins do not build baselines', () => {
    const workload = activity(5, 'spn', 0, '10.0.0.1');
    workload.record.workload = { id: 'x', type: 'servicePrincipal' };
    expect(new BaselineBuilder().add([workload]).state.users).toEqual({});
  });
});

describe('flags (SCORING.md step 3)', () => {
  const records = office();
  const index = new BaselineIndex(new BaselineBuilder().add(records).toJSON());
  const flagsAt = (record: Attributed) => index.flags(record.userId, record.record.time, featuresOf(record.record)).flags;

  it('raises nothing for a value the user has every day', () => {
    const routine = records.find((r) => r.userId === 'alice@contoso.com' && r.record.time > T0 + 15 * DAY_MS)!;
    expect(flagsAt(routine)).toEqual({ firstForUser: false, uncommonForUser: false, uncommonInOrg: false, firstInOrg: false });
  });

  it('flags a first-time country and address as first and uncommon for the user, and in the organisation', () => {
    const travel = activity(5000, 'alice@contoso.com', 19, '192.0.2.50', 'RO');
    const index2 = new BaselineIndex(new BaselineBuilder().add([...records, travel]).toJSON());
    const { flags, evidence } = index2.flags(travel.userId, travel.record.time, featuresOf(travel.record));
    expect(flags).toEqual({ firstForUser: true, uncommonForUser: true, uncommonInOrg: true, firstInOrg: true });
    expect(evidence.firstInOrg?.sort()).toEqual(['country', 'ip']);
  });

  it("flags a value that is new for one user but everyone's routine as first for the user only", () => {
    const homeworker = activity(6000, 'alice@contoso.com', 19, '203.0.113.1');
    const bob = [activity(6001, 'bob@contoso.com', 0, '198.51.100.99'), activity(6002, 'bob@contoso.com', 15, '203.0.113.1')];
    const index2 = new BaselineIndex(new BaselineBuilder().add([...records, homeworker, ...bob]).toJSON());
    const { flags } = index2.flags('bob@contoso.com', bob[1]!.record.time, featuresOf(bob[1]!.record));
    expect(flags).toEqual({ firstForUser: true, uncommonForUser: true, uncommonInOrg: false, firstInOrg: false });
  });

  it('calls nothing first or uncommon before the user has a week of history', () => {
    expect(flagsAt(records.find((r) => r.userId === 'alice@contoso.com')!)).toEqual({
      firstForUser: false,
      uncommonForUser: false,
      uncommonInOrg: false,
      firstInOrg: false,
    });
    expect(index.flags('nobody@contoso.com', T0 + 19 * DAY_MS, { ip: '1.2.3.4' }).flags.firstForUser).toBe(false);
  });

  it('reads only the past: a value used later does not make an earlier use common', () => {
    const early = activity(7000, 'alice@contoso.com', 10, '192.0.2.77');
    const later = Array.from({ length: 9 }, (_, i) => activity(7001 + i, 'alice@contoso.com', 11 + i, '192.0.2.77'));
    const index2 = new BaselineIndex(new BaselineBuilder().add([...records, early, ...later]).toJSON());
    expect(index2.flags(early.userId, early.record.time, featuresOf(early.record)).flags.firstForUser).toBe(true);
    const last = later[8]!;
    expect(index2.flags(last.userId, last.record.time, featuresOf(last.record)).flags.uncommonForUser).toBe(false);
  });
});

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}
