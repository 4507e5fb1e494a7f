import type { Identifier, IdentifierType } from './records.ts';

/** Object ids are GUIDs in real tenants; sanitised exports use short opaque tokens, which we accept too. */
const OPAQUE_ID = /^[0-9a-z][0-9a-z._:-]{0,127}$/i;
/** The nil GUID and other all-zero ids (`0`) are what exporters write for "none". */
const ALL_ZERO = /^[0-]+$/;
/**
 * What scripts and exporters write where a value is missing: PowerShell's `$null` interpolated, Python's
 * `None`, JavaScript's `undefined`, a dash. Never a person's identifier.
 */
const PLACEHOLDER = /^(-+|null|none|nil|undefined|unknown|n\/a|na|\(null\)|\$null)$/i;
/** A mailbox-shaped name: something on both sides of one `@`, no spaces. */
const MAILBOX = /^[^@\s]+@[^@\s]+$/;
const SID = /^S-1-[0-9]+(-[0-9]+)+$/i;

/** Principals that are the system acting, not a person: never a user of ours. */
const SYSTEM_PRINCIPAL = /^(nt authority\\|nt service\\|s-1-5-18$|s-1-5-19$|s-1-5-20$)/i;

export function isSystemPrincipal(value: string): boolean {
  return SYSTEM_PRINCIPAL.test(value.trim());
}

/**
 * Builds a normalized identifier, or nothing when the value cannot identify a person
 * (empty, a placeholder, a system principal, or the wrong shape for its type).
 */
export function makeIdentifier(type: IdentifierType, value: unknown): Identifier | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (!text || PLACEHOLDER.test(text)) return undefined;
  if (isSystemPrincipal(text)) return undefined;
  switch (type) {
    case 'objectId':
      return OPAQUE_ID.test(text) && !ALL_ZERO.test(text) ? { type, value: text.toLowerCase() } : undefined;
    case 'upn':
    case 'email':
      return MAILBOX.test(text) ? { type, value: text.toLowerCase() } : undefined;
    case 'sid':
      return SID.test(text) ? { type, value: text.toUpperCase() } : undefined;
    case 'samAccount':
      return text.includes('\\') ? { type, value: text.toLowerCase() } : undefined;
  }
}

/** Collects the identifiers that could be built, without duplicates. */
export function identifiers(...candidates: (Identifier | undefined)[]): Identifier[] {
  const seen = new Set<string>();
  const out: Identifier[] = [];
  for (const candidate of candidates) {
    if (!candidate) continue;
    const key = identifierKey(candidate);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(candidate);
  }
  return out;
}

/** A string key for an identifier, unique across types: `upn:alice@contoso.com`. */
export function identifierKey(id: Identifier): string {
  return `${id.type}:${id.value}`;
}

/** Preference when naming a user: the object id is the strongest cloud key, then the UPN, then on-prem names. */
const strength: Record<IdentifierType, number> = { objectId: 0, upn: 1, email: 2, sid: 3, samAccount: 4 };

export function strongestIdentifier(ids: readonly Identifier[]): Identifier | undefined {
  let best: Identifier | undefined;
  for (const id of ids) if (!best || strength[id.type] < strength[best.type]) best = id;
  return best;
}

/**
 * `DOMAIN\sam` from a domain and an account name as Defender tables and entities give them. A DNS
 * domain is cut to its first label (`europe.corp.contoso` → `europe`), the NetBIOS name it stands for
 * in the common single-label case. A name that is already qualified or a UPN is not an sAMAccountName.
 */
export function samAccount(domain: string | undefined, name: string | undefined): Identifier | undefined {
  const account = name?.trim();
  const netbios = domain?.trim().split('.')[0]?.trim();
  if (!account || !netbios || account.includes('\\') || account.includes('@')) return undefined;
  return makeIdentifier('samAccount', `${netbios}\\${account}`);
}
