import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { Identity } from './identity.entity';

export type NewIdentity = Pick<Identity, 'email' | 'name' | 'passwordHash'>;

/**
 * How a transaction holds the identity row it joins: `share` (FOR SHARE) keeps its password as
 * checked; `update` (FOR NO KEY UPDATE) also, for a transaction that will write the row later.
 */
export type IdentityRowLock = 'share' | 'update';

const LOCK_MODES = { share: 'pessimistic_read', update: 'for_no_key_update' } as const;

/** Identity rows in the shared schema; emails are passed normalised (see normalizeEmail). */
@Injectable()
export class IdentitiesService {
  constructor(private readonly dataSource: DataSource) {}

  /** Outside any transaction, before the slow password work. */
  findByEmail(email: string): Promise<Identity | null> {
    return this.dataSource.getRepository(Identity).findOneBy({ email });
  }

  /**
   * Locks the identity against a password change until the caller's transaction ends, if its password
   * is still the one the caller checked; null otherwise, such as after a reset that committed since.
   * A sign-in that holds this lock is one a concurrent reset sees and ends.
   */
  lockWithPassword(
    manager: EntityManager,
    id: string,
    passwordHash: string,
    lock: IdentityRowLock = 'share',
  ): Promise<Identity | null> {
    return manager.findOne(Identity, { where: { id, passwordHash }, lock: { mode: LOCK_MODES[lock] } });
  }

  /**
   * Inserts the identity, or, when another transaction committed the email first (the insert waits
   * for it), finds that one, locked as by `lockWithPassword`: `created` tells which.
   */
  async insertOrFind(
    manager: EntityManager,
    identity: NewIdentity,
    lock: IdentityRowLock = 'share',
  ): Promise<{ identity: Identity; created: boolean }> {
    const inserted = await manager.query<Identity[]>(
      `INSERT INTO public.identities (email, name, password_hash) VALUES ($1, $2, $3)
       ON CONFLICT (email) DO NOTHING
       RETURNING id, email, name, password_hash AS "passwordHash", email_verified_at AS "emailVerifiedAt",
         created_at AS "createdAt", updated_at AS "updatedAt"`,
      [identity.email, identity.name, identity.passwordHash],
    );
    if (inserted.length > 0) return { identity: inserted[0], created: true };
    const existing = await manager.findOne(Identity, {
      where: { email: identity.email },
      lock: { mode: LOCK_MODES[lock] },
    });
    if (!existing) throw new Error(`The identity of ${identity.email} vanished while being inserted`);
    return { identity: existing, created: false };
  }

  async changePassword(manager: EntityManager, id: string, passwordHash: string): Promise<void> {
    await manager.update(Identity, { id }, { passwordHash });
  }
}
