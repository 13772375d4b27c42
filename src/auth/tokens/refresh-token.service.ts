import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { hashSecretToken, newSecretToken } from '../../common/access/secret-token';
import { InjectConfig, type AppConfig } from '../../config';
import { RefreshToken } from '../refresh-token.entity';

export type RotationOutcome =
  | { outcome: 'rotated'; userId: string; refreshToken: string }
  | { outcome: 'reused' }
  | { outcome: 'invalid' };

/** Opaque refresh tokens, stored hashed in the tenant schema and rotated on every use. */
@Injectable()
export class RefreshTokenService {
  private readonly ttlMs: number;

  constructor(@InjectConfig() config: AppConfig) {
    this.ttlMs = config.auth.refreshTokenTtlDays * 86_400_000;
  }

  /** A new token; a new family (a new sign-in) unless one is given. */
  async issue(manager: EntityManager, userId: string, familyId: string = randomUUID()): Promise<string> {
    const token = newSecretToken();
    await manager.insert(RefreshToken, {
      userId,
      familyId,
      tokenHash: hashSecretToken(token),
      expiresAt: new Date(Date.now() + this.ttlMs),
      usedAt: null,
      revokedAt: null,
    });
    return token;
  }

  /**
   * Spends the token and issues its successor in the same family. A token presented after it was spent
   * means it leaked: the whole family is revoked (the caller must commit that, then answer 401).
   */
  async rotate(manager: EntityManager, token: string): Promise<RotationOutcome> {
    const current = await manager.findOne(RefreshToken, {
      where: { tokenHash: hashSecretToken(token) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!current || current.revokedAt !== null) return { outcome: 'invalid' };
    if (current.usedAt !== null) {
      await this.revokeFamily(manager, current.familyId);
      return { outcome: 'reused' };
    }
    if (current.expiresAt.getTime() <= Date.now()) return { outcome: 'invalid' };
    await manager.update(RefreshToken, { id: current.id }, { usedAt: new Date() });
    const refreshToken = await this.issue(manager, current.userId, current.familyId);
    return { outcome: 'rotated', userId: current.userId, refreshToken };
  }

  /** Revokes the sign-in the token belongs to, if it is the user's. */
  async revokeSession(manager: EntityManager, userId: string, token: string): Promise<void> {
    const current = await manager.findOneBy(RefreshToken, { tokenHash: hashSecretToken(token), userId });
    if (current) await this.revokeFamily(manager, current.familyId);
  }

  async revokeAllOfUser(manager: EntityManager, userId: string): Promise<void> {
    await manager.update(RefreshToken, { userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  private async revokeFamily(manager: EntityManager, familyId: string): Promise<void> {
    await manager.update(RefreshToken, { familyId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }
}
