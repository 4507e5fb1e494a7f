import { identifierKey } from './identity.ts';
import type { Identifier } from './records.ts';

/** Identifiers that name one person for good: a second one of the same type means a second person. */
const UNIQUE = new Set<Identifier['type']>(['sid', 'objectId']);
/** Names that two people can share (a short domain label, a reused mailbox): they join only if nothing contradicts. */
const WEAK = new Set<Identifier['type']>(['samAccount', 'email']);

/** A link between an identifier and a user, with the record that proved it. */
export interface IdentityLink {
  key: string;
  userId: string;
  type: Identifier['type'];
  value: string;
  evidenceRecordId: string;
  firstSeen: number;
}

export interface Resolution {
  /** The user the record belongs to, or '' when it carries no usable identifier (unattributed). */
  userId: string;
  /** Identifiers seen for the first time, now linked to `userId`. */
  added: IdentityLink[];
  /** Users that this record proved to be the same person as `userId`: they are folded into it. */
  merged: string[];
  /** Links known before whose first sighting this record moved earlier (a file read newest first). */
  earlier: IdentityLink[];
}

/** The id a user gets from its strongest identifier: stable across imports and machines. */
export function userIdFor(id: Identifier): string {
  return identifierKey(id);
}

/**
 * Reconciles people across sources. Identifiers are linked only on evidence: a record that carries
 * two of them together (object id and UPN on a sign-in, SID and UPN on an MDI row). Display names
 * never join. A record whose identifiers already belong to two users proves they are one person.
 */
export class IdentityResolver {
  private readonly byKey = new Map<string, IdentityLink>();
  /** Each user's SIDs and object ids: what a weak name must not contradict (see `contradicts`). */
  private readonly unique = new Map<string, Set<string>>();

  constructor(existing: Iterable<IdentityLink> = []) {
    for (const link of existing) this.remember(link);
  }

  resolve(ids: readonly Identifier[], recordId: string, time: number): Resolution {
    if (ids.length === 0) return { userId: '', added: [], merged: [], earlier: [] };
    const users = new Set<string>();
    // A weak name that would join a user holding another SID or object id than this record's is not evidence.
    const ambiguous = new Set<string>();
    for (const id of ids) {
      const key = identifierKey(id);
      const link = this.byKey.get(key);
      if (!link) continue;
      if (WEAK.has(id.type) && this.contradicts(link.userId, ids)) ambiguous.add(key);
      else users.add(link.userId);
    }
    // A user's id is the strongest of all its identifiers, whatever order they arrived in: a record that
    // brings a stronger one than the user's id so far renames the user (folding the old id into it).
    const userId = this.survivor([...users, ...ids.filter((id) => !ambiguous.has(identifierKey(id))).map(userIdFor)]);
    const merged: string[] = [];
    for (const other of users) if (other !== userId) merged.push(other);
    if (merged.length) this.fold(merged, userId);
    const added: IdentityLink[] = [];
    const earlier: IdentityLink[] = [];
    for (const id of ids) {
      const key = identifierKey(id);
      const known = this.byKey.get(key);
      if (known) {
        if (time < known.firstSeen && !ambiguous.has(key)) {
          known.firstSeen = time;
          earlier.push(known);
        }
        continue;
      }
      const link: IdentityLink = { key, userId, type: id.type, value: id.value, evidenceRecordId: recordId, firstSeen: time };
      this.remember(link);
      added.push(link);
    }
    return { userId, added, merged, earlier };
  }

  links(): IdentityLink[] {
    return [...this.byKey.values()];
  }

  linksOf(userId: string): IdentityLink[] {
    return this.links().filter((link) => link.userId === userId);
  }

  /** When two users turn out to be one person, the one named by the stronger identifier keeps its id. */
  private survivor(userIds: string[]): string {
    const rank = (id: string) => (id.startsWith('objectId:') ? 0 : id.startsWith('upn:') ? 1 : id.startsWith('email:') ? 2 : id.startsWith('sid:') ? 3 : 4);
    return userIds.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0]!;
  }

  private fold(from: string[], into: string): void {
    const folded = new Set(from);
    for (const link of this.byKey.values()) if (folded.has(link.userId)) link.userId = into;
    for (const user of from) {
      const theirs = this.unique.get(user);
      if (!theirs) continue;
      this.unique.delete(user);
      const mine = this.unique.get(into) ?? new Set<string>();
      for (const key of theirs) mine.add(key);
      this.unique.set(into, mine);
    }
  }

  private remember(link: IdentityLink): void {
    this.byKey.set(link.key, link);
    if (!UNIQUE.has(link.type)) return;
    const keys = this.unique.get(link.userId) ?? new Set<string>();
    keys.add(link.key);
    this.unique.set(link.userId, keys);
  }

  /**
   * Whether the record's own SID or object id differs from every one the user holds of that type. Two
   * forests may both have a `CORP\jdoe` (a DNS domain is cut to its first label to meet NetBIOS names), and
   * a mailbox name can be reused; a SID or object id belongs to one person.
   */
  private contradicts(userId: string, ids: readonly Identifier[]): boolean {
    const held = this.unique.get(userId);
    if (!held) return false;
    for (const id of ids) {
      if (!UNIQUE.has(id.type) || held.has(identifierKey(id))) continue;
      const sameType = [...held].some((key) => key.startsWith(`${id.type}:`));
      if (sameType) return true;
    }
    return false;
  }
}
