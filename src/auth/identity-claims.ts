import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { IdentitiesService, type IdentityRowLock } from '../identities/identities.service';
import type { Identity } from '../identities/identity.entity';
import { InvalidCredentialsException } from './auth.errors';
import { PasswordHasher } from './passwords/password-hasher';

/** Who a signup or an invitation acceptance says it is, once its password has been checked or hashed. */
export type IdentityClaim =
  | { kind: 'existing'; identity: Identity }
  | { kind: 'new'; email: string; name: string; password: string; passwordHash: string };

/**
 * The identity behind the email of a signup or an invitation acceptance: an existing one only with
 * its password (401 INVALID_CREDENTIALS otherwise, before anything is written), else a new one.
 */
@Injectable()
export class IdentityClaims {
  constructor(
    private readonly identities: IdentitiesService,
    private readonly passwords: PasswordHasher,
  ) {}

  /** Before the transaction, since bcrypt is the slow part and should hold no lock. */
  async claim(email: string, name: string, password: string): Promise<IdentityClaim> {
    const identity = await this.identities.findByEmail(email);
    if (identity) {
      if (!(await this.passwords.verify(password, identity.passwordHash))) {
        throw new InvalidCredentialsException();
      }
      return { kind: 'existing', identity };
    }
    return { kind: 'new', email, name, password, passwordHash: await this.passwords.hash(password) };
  }

  /**
   * Inside the transaction: the existing identity, locked (`lock`) while its password is still the one
   * checked, or the new one inserted. A reset since the check is 401; so is losing the race for a new
   * email to a concurrent signup with another password (with the same password, both join it).
   */
  async settle(
    manager: EntityManager,
    claim: IdentityClaim,
    lock: IdentityRowLock = 'share',
  ): Promise<Identity> {
    if (claim.kind === 'existing') {
      const locked = await this.identities.lockWithPassword(
        manager,
        claim.identity.id,
        claim.identity.passwordHash,
        lock,
      );
      if (!locked) throw new InvalidCredentialsException();
      return locked;
    }
    const { identity, created } = await this.identities.insertOrFind(manager, claim, lock);
    if (!created && !(await this.passwords.verify(claim.password, identity.passwordHash))) {
      throw new InvalidCredentialsException();
    }
    return identity;
  }
}
