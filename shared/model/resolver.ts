import { identifierKey } from './identity.ts';
import type { Identifier } from './records.ts';

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

  constructor(existing: Iterable<IdentityLink> = []) {
    for (const link of existing) this.byKey.set(link.key, link);
  }

  resolve(ids: readonly Identifier[], recordId: string, time: number): Resolution {
    if (ids.length === 0) return { userId: '', added: [], merged: [] };
    const users = new Set<string>();
    for (const id of ids) {
      const link = this.byKey.get(identifierKey(id));
      if (link) users.add(link.userId);
    }
    // A user's id is the strongest of all its identifiers, whatever order they arrived in: a record that
    // brings a stronger one than the user's id so far renames the user (folding the old id into it).
    const userId = this.survivor([...users, ...ids.map(userIdFor)]);
    const merged: string[] = [];
    for (const other of users) if (other !== userId) merged.push(other);
    if (merged.length) this.fold(merged, userId);
    const added: IdentityLink[] = [];
    for (const id of ids) {
      const key = identifierKey(id);
      if (this.byKey.has(key)) continue;
      const link: IdentityLink = { key, userId, type: id.type, value: id.value, evidenceRecordId: recordId, firstSeen: time };
      this.byKey.set(key, link);
      added.push(link);
    }
    return { userId, added, merged };
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
  }
}
