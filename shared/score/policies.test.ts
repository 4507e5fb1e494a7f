import { beforeAll, describe, expect, it } from 'vitest';
import type { AlertRecord } from '../model/records.ts';
import { BaselineBuilder, type Attributed } from './baseline.ts';
import {
  applyPolicies,
  DEFAULT_POLICIES,
  detectionPolicyId,
  identityProtectionPolicyOf,
  listDetectionPolicies,
  policyVerdict,
  readPolicies,
  samePolicies,
  type PolicySettings,
} from './policies.ts';
import { scoreAll } from './score.ts';
import { parsedTenant, type ParsedTenant } from './testing.ts';
import { policyWhatIf } from './whatif.ts';

let tenant: ParsedTenant;
let items: Attributed[];
beforeAll(async () => {
  tenant = await parsedTenant();
  items = tenant.attributed.filter((item) => item.record.kind === 'alert' || item.record.kind === 'riskDetection');
});

const find = (predicate: (item: Attributed) => boolean) => items.find(predicate)!;

describe('Identity Protection policies', () => {
  it('default to Leaked credentials on at Low and Risky sign-in on at High, alert service "relevant"', () => {
    expect(DEFAULT_POLICIES).toMatchObject({
      leakedCredentials: { enabled: true, threshold: 'low' },
      riskySignIn: { enabled: true, threshold: 'high' },
      alertService: 'relevant',
    });
  });

  it('by default hide medium and low sign-in risk, and let high sign-in risk, leaked credentials and user risk through', () => {
    const medium = find((i) => i.record.kind === 'riskDetection' && i.record.riskEventType === 'anonymizedIPAddress' && i.record.riskLevel === 'medium');
    expect(policyVerdict(medium, DEFAULT_POLICIES)).toMatchObject({ hidden: true, policy: 'ip:riskySignIn' });
    expect(policyVerdict(medium, DEFAULT_POLICIES).reason).toBe('medium is below the Risky sign-in (Identity Protection) threshold (high)');
    const high = find((i) => i.record.kind === 'riskDetection' && i.record.riskEventType === 'unfamiliarFeatures' && i.record.riskLevel === 'high');
    expect(policyVerdict(high, DEFAULT_POLICIES)).toEqual({ hidden: false, excluded: false });
    const leaked = find((i) => i.record.kind === 'alert' && i.record.title === 'Leaked credentials');
    expect(identityProtectionPolicyOf(leaked.record as AlertRecord)).toBe('leakedCredentials');
    expect(policyVerdict(leaked, { ...DEFAULT_POLICIES, leakedCredentials: { enabled: true, threshold: 'high' } }).hidden).toBe(false);
    const confirmed = find((i) => i.record.kind === 'riskDetection' && i.record.riskEventType === 'adminConfirmedUserCompromised');
    expect(policyVerdict(confirmed, { ...DEFAULT_POLICIES, riskySignIn: { enabled: false, threshold: 'high' } }).hidden).toBe(false);
  });

  it('count what each policy hides, and follow a threshold or switch at once', () => {
    const byDefault = applyPolicies(items, DEFAULT_POLICIES);
    const lowered = applyPolicies(items, { ...DEFAULT_POLICIES, riskySignIn: { enabled: true, threshold: 'low' } });
    const off = applyPolicies(items, { ...DEFAULT_POLICIES, riskySignIn: { enabled: false, threshold: 'low' } });
    const signInRisk = new Set(
      items
        .filter(
          (i) =>
            (i.record.kind === 'riskDetection' || i.record.kind === 'alert') &&
            identityProtectionPolicyOf(i.record as AlertRecord) === 'riskySignIn' &&
            (i.record.kind === 'riskDetection' || /identityprotection/i.test(i.record.serviceSource ?? '')),
        )
        .map((i) => i.record.id),
    );
    expect(byDefault.hiddenByPolicy['ip:riskySignIn']).toBeGreaterThan(0);
    expect(lowered.hiddenByPolicy['ip:riskySignIn']).toBeUndefined();
    expect(off.hiddenByPolicy['ip:riskySignIn']).toBe(signInRisk.size);
  });

  it('let everything in with the alert service on "all", and nothing of Identity Protection with "off"', () => {
    expect(applyPolicies(items, { ...DEFAULT_POLICIES, alertService: 'all' }).verdicts.size).toBe(0);
    const off = applyPolicies(items, { ...DEFAULT_POLICIES, alertService: 'off' });
    const identityProtection = items.filter(
      (i) => i.record.kind === 'riskDetection' || /identityprotection/i.test((i.record as AlertRecord).serviceSource ?? ''),
    );
    expect(off.hiddenByPolicy['ip:alertService']).toBe(new Set(identityProtection.map((i) => i.record.id)).size);
    const mdi = find((i) => i.record.kind === 'alert' && /defenderforidentity/i.test(i.record.serviceSource ?? ''));
    expect(off.verdicts.has(mdi.record.id)).toBe(false);
  });
});

describe('Defender for Identity detection policies', () => {
  it('are listed from the alert types present, each with its count', () => {
    const listed = listDetectionPolicies(tenant.records);
    expect(listed.map((p) => p.title)).toEqual([
      'Account enumeration reconnaissance',
      'Security principal reconnaissance (LDAP)',
      'Suspected Brute Force attack (Kerberos, NTLM)',
      'Suspected DCSync attack (replication of directory services)',
      'Suspected identity theft (pass-the-hash)',
    ]);
    // The same alerts arrive through Graph and inside XDR incidents with the same id: the count is per record.
    expect(listed.every((p) => p.alerts >= 1)).toBe(true);
  });

  it('hide their alerts when turned off, and mark (not hide) an alert whose user, device or IP is excluded', () => {
    const dcsync = find((i) => i.record.kind === 'alert' && i.record.title.startsWith('Suspected DCSync')) as Attributed<AlertRecord>;
    const id = detectionPolicyId(dcsync.record);
    const none = { users: [], devices: [], ips: [] };
    const off: PolicySettings = { ...DEFAULT_POLICIES, detections: { [id]: { enabled: false, exclusions: none } } };
    expect(policyVerdict(dcsync, off)).toMatchObject({ hidden: true, excluded: false, policy: id });
    const byUser: PolicySettings = { ...DEFAULT_POLICIES, detections: { [id]: { enabled: true, exclusions: { ...none, users: [dcsync.userId] } } } };
    expect(policyVerdict(dcsync, byUser)).toMatchObject({ hidden: false, excluded: true, policy: id });
    // An identifier typed as it reads (a UPN, a SID), in any case, matches without our `upn:`-style prefix.
    const upn = [...dcsync.record.identifiers, ...dcsync.record.affectedUsers.flat()][0]!.value;
    const byUpn: PolicySettings = { ...DEFAULT_POLICIES, detections: { [id]: { enabled: true, exclusions: { ...none, users: [upn.toUpperCase()] } } } };
    expect(policyVerdict(dcsync, byUpn)).toMatchObject({ excluded: true, reason: expect.stringContaining(upn) });
    expect(policyVerdict(dcsync, { ...byUpn, detections: { [id]: { enabled: true, exclusions: { ...none, users: ['someone@else'] } } } }).excluded).toBe(false);
    const graphCopy = items.find((i) => i.record.id === dcsync.record.id && i.record.kind === 'alert' && i.record.devices.length) as Attributed<AlertRecord>;
    const byDevice: PolicySettings = {
      ...DEFAULT_POLICIES,
      detections: { [id]: { enabled: true, exclusions: { ...none, devices: [graphCopy.record.devices[0]!.toUpperCase()] } } },
    };
    expect(policyVerdict(graphCopy, byDevice).reason).toMatch(/device .* is excluded/);
    const other = find((i) => i.record.kind === 'alert' && i.record.title.startsWith('Suspected identity theft'));
    expect(policyVerdict(other, off)).toEqual({ hidden: false, excluded: false });
  });
});

describe('policy what-if', () => {
  it('names the alerts a threshold change lets in and the users whose score and rank it moves', () => {
    const baseline = new BaselineBuilder().add(tenant.attributed).toJSON();
    const lowered: PolicySettings = { ...DEFAULT_POLICIES, riskySignIn: { enabled: true, threshold: 'medium' } };
    const diff = policyWhatIf(tenant.attributed, baseline, DEFAULT_POLICIES, lowered, { windowDays: 30 });
    expect(diff.alerts.length).toBeGreaterThan(0);
    for (const change of diff.alerts) {
      expect(change.before).toMatchObject({ hidden: true, policy: 'ip:riskySignIn' });
      expect(change.after).toEqual({ hidden: false, excluded: false });
      const record = tenant.records.find((r) => r.id === change.recordId)!;
      expect(record.kind === 'riskDetection' ? record.riskLevel : record.kind === 'alert' ? record.severity : '').toBe('medium');
    }
    expect(diff.hiddenBefore['ip:riskySignIn']! - (diff.hiddenAfter['ip:riskySignIn'] ?? 0)).toBe(diff.alerts.length);
    // Letting open medium sign-in risk in raises the users it belongs to, and the ranks follow the scores.
    const owners = new Set(diff.alerts.map((a) => a.userId));
    const raised = diff.users.filter((u) => u.scoreAfter > u.scoreBefore);
    expect(raised.length).toBeGreaterThan(0);
    for (const user of raised) expect(owners.has(user.userId)).toBe(true);
    expect(diff).toMatchObject({ show: diff.alerts.length, hide: 0, exclude: 0, include: 0 });
    // The same settings on both sides move nothing.
    expect(policyWhatIf(tenant.attributed, baseline, DEFAULT_POLICIES, DEFAULT_POLICIES, { windowDays: 30 })).toMatchObject({ alerts: [], users: [] });
  });
});

describe('stored settings', () => {
  it('read back whatever the store holds as valid settings, falling back field by field', () => {
    expect(readPolicies(undefined)).toEqual(DEFAULT_POLICIES);
    expect(readPolicies('garbage')).toEqual(DEFAULT_POLICIES);
    const stored = {
      leakedCredentials: { enabled: false, threshold: 'extreme' },
      riskySignIn: { threshold: 'medium' },
      alertService: 'sometimes',
      detections: {
        'mdi:DCSync': { enabled: false, exclusions: { users: ['upn:a@x', 'upn:a@x', 3, ' '], ips: ['192.0.2.1'] } },
        'not-a-policy': { enabled: false },
        'mdi:Broken': 'off',
      },
    };
    expect(readPolicies(stored)).toEqual({
      leakedCredentials: { enabled: false, threshold: 'low' },
      riskySignIn: { enabled: true, threshold: 'medium' },
      alertService: 'relevant',
      detections: { 'mdi:DCSync': { enabled: false, exclusions: { users: ['upn:a@x'], devices: [], ips: ['192.0.2.1'] } } },
    });
  });

  it('compare equal when they behave the same, whatever the key order or untouched detection policies', () => {
    const untouched: PolicySettings = { ...DEFAULT_POLICIES, detections: { 'mdi:X': { enabled: true, exclusions: { users: [], devices: [], ips: [] } } } };
    expect(samePolicies(untouched, DEFAULT_POLICIES)).toBe(true);
    const reordered = JSON.parse(
      '{"detections":{},"alertService":"relevant","riskySignIn":{"threshold":"high","enabled":true},"leakedCredentials":{"threshold":"low","enabled":true}}',
    );
    expect(samePolicies(reordered as PolicySettings, DEFAULT_POLICIES)).toBe(true);
    expect(samePolicies({ ...DEFAULT_POLICIES, riskySignIn: { enabled: true, threshold: 'medium' } }, DEFAULT_POLICIES)).toBe(false);
    expect(
      samePolicies({ ...DEFAULT_POLICIES, detections: { 'mdi:X': { enabled: false, exclusions: { users: [], devices: [], ips: [] } } } }, DEFAULT_POLICIES),
    ).toBe(false);
  });
});

describe('exclusions in the score', () => {
  it("leave an excluded alert out of its user's score, listed as not counted, and put it back when lifted", () => {
    const baseline = new BaselineBuilder().add(tenant.attributed).toJSON();
    const dcsync = find((i) => i.record.kind === 'alert' && i.record.title.startsWith('Suspected DCSync')) as Attributed<AlertRecord>;
    const id = detectionPolicyId(dcsync.record);
    const before = scoreAll(tenant.attributed, baseline, { windowDays: 30 }).users.find((u) => u.userId === dcsync.userId)!;
    expect(before.inputs.some((i) => i.recordId === dcsync.record.id)).toBe(true);
    const excluded: PolicySettings = {
      ...DEFAULT_POLICIES,
      detections: { [id]: { enabled: true, exclusions: { users: [dcsync.userId], devices: [], ips: [] } } },
    };
    const after = scoreAll(tenant.attributed, baseline, { windowDays: 30, policies: excluded }).users.find((u) => u.userId === dcsync.userId)!;
    expect(after.inputs.some((i) => i.recordId === dcsync.record.id)).toBe(false);
    expect(after.notCounted.find((n) => n.recordId === dcsync.record.id)).toMatchObject({ policy: id, reason: expect.stringMatching(/^excluded: /) });
    expect(after.score).toBeLessThan(before.score);
    const diff = policyWhatIf(tenant.attributed, baseline, DEFAULT_POLICIES, excluded, { windowDays: 30 });
    expect(diff.exclude).toBeGreaterThan(0);
    expect(diff.hide).toBe(0);
    expect(diff.users.find((u) => u.userId === dcsync.userId)).toMatchObject({ scoreBefore: before.score, scoreAfter: after.score });
  });
});
