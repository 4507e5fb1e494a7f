import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META } from '../shared/csp.ts';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...values] = part.trim().split(/\s+/);
      return [name, values.join(' ')] as const;
    }),
  );
}

describe('CONTENT_SECURITY_POLICY', () => {
  it('is exactly the agreed production policy', () => {
    expect(CONTENT_SECURITY_POLICY).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; " +
        "frame-ancestors 'none'",
    );
  });

  it('allows no inline code, eval, remote origin or wildcard', () => {
    for (const policy of [CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_META]) {
      expect(policy).not.toMatch(/unsafe-|http:|https:|ws:|wss:|\*|blob:|filesystem:/);
      expect(directives(policy).get('script-src')).toBe("'self'");
      expect(directives(policy).get('default-src')).toBe("'none'");
    }
  });

  it('meta variant drops only frame-ancestors, which browsers ignore in <meta>', () => {
    const full = directives(CONTENT_SECURITY_POLICY);
    const meta = directives(CONTENT_SECURITY_POLICY_META);
    full.delete('frame-ancestors');
    expect(meta).toEqual(full);
  });
});
