import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, IsNull, LessThan, MoreThan } from 'typeorm';
import { hashSecretToken, newSecretToken } from '../../common/access/secret-token';
import { Identity } from '../../identities/identity.entity';
import { MfaChallenge } from './mfa-challenge.entity';

/** How long the second step of a sign-in may wait for its code. */
export const MFA_TOKEN_TTL_MS = 5 * 60_000;

export interface NewMfaChallenge {
  identityId: string;
  tenantId: string;
  membershipId: string;
  /** The password hash the first step checked. */
  passwordHash: string;
}

/** A usable challenge and the email of its identity, which the login limiter counts by. */
export type PendingMfaChallenge = Pick<MfaChallenge, 'id' | 'identityId' | 'membershipId'> & {
  email: string;
};

/**
 * Sign-in challenges: the mfaToken given after the password, worth one completed sign-in at the
 * tenant it was given at, for MFA_TOKEN_TTL_MS.
 */
@Injectable()
export class MfaChallenges {
  constructor(private readonly dataSource: DataSource) {}

  /** A new challenge's token; the identity's expired challenges are swept on the way. */
  async issue(manager: EntityManager, challenge: NewMfaChallenge): Promise<string> {
    const token = newSecretToken();
    await manager.delete(MfaChallenge, { identityId: challenge.identityId, expiresAt: LessThan(new Date()) });
    await manager.insert(MfaChallenge, {
      tokenHash: hashSecretToken(token),
      identityId: challenge.identityId,
      tenantId: challenge.tenantId,
      membershipId: challenge.membershipId,
      passwordFingerprint: hashSecretToken(challenge.passwordHash),
      expiresAt: new Date(Date.now() + MFA_TOKEN_TTL_MS),
    });
    return token;
  }

  /** The unexpired, unused challenge of this token at this tenant, outside any transaction. */
  async findPending(token: string, tenantId: string): Promise<PendingMfaChallenge | undefined> {
    const rows = await this.dataSource.query<PendingMfaChallenge[]>(
      `SELECT c.id, c.identity_id AS "identityId", c.membership_id AS "membershipId", i.email
       FROM public.mfa_challenges c JOIN public.identities i ON i.id = c.identity_id
       WHERE c.token_hash = $1 AND c.tenant_id = $2 AND c.consumed_at IS NULL AND c.expires_at > now()`,
      [hashSecretToken(token), tenantId],
    );
    return rows[0];
  }

  /**
   * Spends the challenge, if it is still pending and its identity's password is still the one the
   * first step checked; the identity stays share-locked until the caller's transaction ends, so a
   * password reset waits for the sign-in and then ends its session (as for a sign-in with a password).
   */
  async consume(manager: EntityManager, challengeId: string): Promise<boolean> {
    const challenge = await manager.findOne(MfaChallenge, {
      where: { id: challengeId, consumedAt: IsNull(), expiresAt: MoreThan(new Date()) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!challenge) return false;
    const identity = await manager.findOne(Identity, {
      select: { id: true, passwordHash: true },
      where: { id: challenge.identityId },
      lock: { mode: 'pessimistic_read' },
    });
    if (!identity || hashSecretToken(identity.passwordHash) !== challenge.passwordFingerprint) return false;
    await manager.update(MfaChallenge, { id: challengeId }, { consumedAt: new Date() });
    return true;
  }
}
