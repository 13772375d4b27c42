import type { DataSource } from 'typeorm';
import type { AppConfig } from '../config';
import { type MembershipAccess, MembershipAccessCache } from './membership-access-cache';
import type { MembershipChangeFeed, MembershipChangeListener } from './membership-change-feed';

const SCHEMA = 'tenant_0123456789abcdef0123456789abcdef';
const OWNER: MembershipAccess = { role: 'owner', identityId: 'identity-1', sessionLive: true };

/** A read the test settles by hand, counting how often the cache asked. */
function controlledReads() {
  const pending: ((access: MembershipAccess | undefined) => void)[] = [];
  let calls = 0;
  return {
    read: () => {
      calls++;
      return new Promise<MembershipAccess | undefined>((resolve) => pending.push(resolve));
    },
    settle: (access: MembershipAccess | undefined) => pending.shift()!(access),
    get calls() {
      return calls;
    },
  };
}

function cacheWithFeed() {
  let announce: MembershipChangeListener = () => undefined;
  const feed = {
    live: true,
    subscribe: (listener: MembershipChangeListener) => (announce = listener),
  };
  const config = { auth: { membershipCacheTtlMs: 600_000, membershipCacheMaxEntries: 100 } } as AppConfig;
  const cache = new MembershipAccessCache(
    { subscribers: [] } as unknown as DataSource,
    feed as unknown as MembershipChangeFeed,
    config,
  );
  return { cache, feed, announce: (change: Parameters<MembershipChangeListener>[0]) => announce(change) };
}

describe('MembershipAccessCache', () => {
  it('answers a second check of the same session without reading, and shares concurrent misses', async () => {
    const { cache } = cacheWithFeed();
    const reads = controlledReads();
    const first = cache.check(SCHEMA, 'm1', 's1', reads.read);
    const concurrent = cache.check(SCHEMA, 'm1', 's1', reads.read);
    reads.settle(OWNER);
    expect(await first).toEqual(OWNER);
    expect(await concurrent).toEqual(OWNER);
    expect(await cache.check(SCHEMA, 'm1', 's1', reads.read)).toEqual(OWNER);
    expect(reads.calls).toBe(1);
  });

  it('does not store a load that an eviction of its membership overlapped', async () => {
    const { cache, announce } = cacheWithFeed();
    const reads = controlledReads();
    const before = cache.check(SCHEMA, 'm1', 's1', reads.read);
    // The session is revoked and announced while the read that saw it live is on its way.
    announce({ schemaName: SCHEMA, membershipId: 'm1' });
    reads.settle(OWNER);
    expect(await before).toEqual(OWNER);
    const after = cache.check(SCHEMA, 'm1', 's1', reads.read);
    reads.settle({ ...OWNER, sessionLive: false });
    expect(await after).toEqual({ ...OWNER, sessionLive: false });
    expect(reads.calls).toBe(2);
  });

  it('does not store a load overlapped by the loss of the feed, nor one of its tenant truncated', async () => {
    for (const change of [undefined, { schemaName: SCHEMA, membershipId: undefined }]) {
      const { cache, announce } = cacheWithFeed();
      const reads = controlledReads();
      const before = cache.check(SCHEMA, 'm1', 's1', reads.read);
      announce(change);
      reads.settle(OWNER);
      await before;
      void cache.check(SCHEMA, 'm1', 's1', reads.read);
      expect(reads.calls).toBe(2);
    }
  });

  it('evicts only the membership announced', async () => {
    const { cache, announce } = cacheWithFeed();
    const reads = controlledReads();
    for (const membershipId of ['m1', 'm2']) {
      const check = cache.check(SCHEMA, membershipId, 's1', reads.read);
      reads.settle(OWNER);
      await check;
    }
    announce({ schemaName: SCHEMA, membershipId: 'm1' });
    void cache.check(SCHEMA, 'm2', 's1', reads.read);
    expect(reads.calls).toBe(2);
    void cache.check(SCHEMA, 'm1', 's1', reads.read);
    expect(reads.calls).toBe(3);
  });

  it('reads every time, storing nothing, while the feed is not listening', async () => {
    const { cache, feed } = cacheWithFeed();
    const reads = controlledReads();
    feed.live = false;
    const whileDown = cache.check(SCHEMA, 'm1', 's1', reads.read);
    reads.settle(OWNER);
    await whileDown;
    feed.live = true;
    void cache.check(SCHEMA, 'm1', 's1', reads.read);
    expect(reads.calls).toBe(2);
  });

  it('remembers a membership that does not exist for every session of it', async () => {
    const { cache } = cacheWithFeed();
    const reads = controlledReads();
    const gone = cache.check(SCHEMA, 'm1', 's1', reads.read);
    reads.settle(undefined);
    expect(await gone).toBeUndefined();
    expect(await cache.check(SCHEMA, 'm1', 's2', reads.read)).toBeUndefined();
    expect(reads.calls).toBe(1);
  });
});
