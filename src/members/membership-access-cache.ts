import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '../common/access/access.decorators';
import { InjectConfig, type AppConfig } from '../config';
import { AfterCommit } from '../database/after-commit';
import { type MembershipChange, MembershipChangeFeed } from './membership-change-feed';

/** What the access check needs of a membership: its current role and identity, and one session's liveness. */
export interface MembershipAccess {
  role: Role;
  identityId: string;
  sessionLive: boolean;
}

interface CacheEntry {
  /** Undefined: there is no such membership (any session of it is dead). */
  member: { role: Role; identityId: string } | undefined;
  /** Liveness of the sessions of the membership checked since the entry was made. */
  sessions: Map<string, boolean>;
}

interface Load {
  promise: Promise<MembershipAccess | undefined>;
  /** An invalidation of the membership overlapped the load: its answer is served, not stored. */
  stale: boolean;
}

/** Sessions remembered per membership; past this, the entry forgets the ones it had. */
const MAX_SESSIONS_PER_ENTRY = 64;

const keyOf = (schemaName: string, membershipId: string) => `${schemaName}:${membershipId}`;

/**
 * The access check of every request (a membership's role and identity, whether the token's
 * session is live), cached per process with exact invalidation, as the tenant catalogue is:
 * every committed change to a tenant's memberships or sessions, whoever makes it, is announced by
 * a trigger's notification (MembershipChangeFeed) and evicts the membership's entry. A load that an
 * invalidation of its membership overlapped is answered but not stored, so nothing read before a
 * change outlives the change's notification. While the feed is not listening, changes may go
 * unheard: the cache is emptied and bypassed until it listens again. Changes this process commits
 * are also evicted here as soon as they commit, so its next request sees them without waiting for
 * the notification. Entries live at most `membershipCacheTtlMs`, a backstop for changes made with
 * triggers off, in an LRU of `membershipCacheMaxEntries`.
 */
@Injectable()
export class MembershipAccessCache {
  private readonly entries: LRUCache<string, CacheEntry>;
  /** Loads in flight, by membership key, then by session. */
  private readonly loading = new Map<string, Map<string, Load>>();
  private readonly ttlMs: number;
  private readonly evictOnCommit: AfterCommit<NonNullable<MembershipChange>>;

  constructor(
    dataSource: DataSource,
    private readonly feed: MembershipChangeFeed,
    @InjectConfig() config: AppConfig,
  ) {
    this.ttlMs = config.auth.membershipCacheTtlMs;
    this.entries = new LRUCache({ max: config.auth.membershipCacheMaxEntries, ttl: Math.max(1, this.ttlMs) });
    feed.subscribe((change) => this.forget(change));
    this.evictOnCommit = new AfterCommit(dataSource, (change) => this.forget(change));
  }

  /** Entries held now, expired ones not yet dropped included. */
  get size(): number {
    return this.entries.size;
  }

  /** The access of `sessionId` of the membership, from the cache or `read` (undefined: no membership). */
  check(
    schemaName: string,
    membershipId: string,
    sessionId: string,
    read: () => Promise<MembershipAccess | undefined>,
  ): Promise<MembershipAccess | undefined> {
    if (this.ttlMs <= 0 || !this.feed.live) return read();
    const key = keyOf(schemaName, membershipId);
    const entry = this.entries.get(key);
    if (entry && !entry.member) return Promise.resolve(undefined);
    const sessionLive = entry?.sessions.get(sessionId);
    if (entry?.member && sessionLive !== undefined) return Promise.resolve({ ...entry.member, sessionLive });

    let loads = this.loading.get(key);
    const inFlight = loads?.get(sessionId);
    if (inFlight) return inFlight.promise;
    if (!loads) {
      loads = new Map();
      this.loading.set(key, loads);
    }
    // The callbacks run only after `load` is assigned: a promise settles asynchronously.
    const load: Load = {
      stale: false,
      promise: read().then(
        (access) => {
          this.settle(key, sessionId, load);
          if (!load.stale) this.store(key, sessionId, access);
          return access;
        },
        (error: unknown) => {
          this.settle(key, sessionId, load);
          throw error;
        },
      ),
    };
    loads.set(sessionId, load);
    return load.promise;
  }

  /**
   * Evicts the membership once the transaction `manager` runs in commits (at once outside one), so
   * the next request of this process reads what it committed; a rollback evicts nothing.
   */
  forgetOnCommit(manager: EntityManager, schemaName: string, membershipId: string): void {
    this.evictOnCommit.add(manager, { schemaName, membershipId });
  }

  private settle(key: string, sessionId: string, load: Load): void {
    const loads = this.loading.get(key);
    if (loads?.get(sessionId) !== load) return;
    loads.delete(sessionId);
    if (loads.size === 0) this.loading.delete(key);
  }

  private store(key: string, sessionId: string, access: MembershipAccess | undefined): void {
    if (!access) {
      this.entries.set(key, { member: undefined, sessions: new Map() });
      return;
    }
    const { role, identityId, sessionLive } = access;
    let entry = this.entries.get(key);
    // A differing member means a change whose notification is on its way: the newer read wins.
    if (!entry?.member || entry.member.role !== role || entry.member.identityId !== identityId) {
      entry = { member: { role, identityId }, sessions: new Map() };
      this.entries.set(key, entry);
    }
    if (entry.sessions.size >= MAX_SESSIONS_PER_ENTRY) entry.sessions.clear();
    entry.sessions.set(sessionId, sessionLive);
  }

  /** `undefined`: anything may have changed (the feed was down), so everything goes. */
  private forget(change: MembershipChange): void {
    if (change === undefined) {
      this.entries.clear();
      for (const loads of this.loading.values()) loads.forEach((load) => (load.stale = true));
      this.loading.clear();
      return;
    }
    const { schemaName, membershipId } = change;
    if (membershipId !== undefined) {
      const key = keyOf(schemaName, membershipId);
      this.entries.delete(key);
      this.loading.get(key)?.forEach((load) => (load.stale = true));
      this.loading.delete(key);
      return;
    }
    const prefix = `${schemaName}:`;
    for (const key of [...this.entries.keys()]) if (key.startsWith(prefix)) this.entries.delete(key);
    for (const [key, loads] of [...this.loading]) {
      if (!key.startsWith(prefix)) continue;
      loads.forEach((load) => (load.stale = true));
      this.loading.delete(key);
    }
  }
}
