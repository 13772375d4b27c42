import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { hashSecretToken, newSecretToken } from '../../common/access/secret-token';
import { InjectConfig, type AppConfig } from '../../config';
import { RefreshToken } from '../refresh-token.entity';

export type SpendOutcome =
  { outcome: 'spent'; sessionId: string } | { outcome: 'reused'; sessionId: string } | { outcome: 'invalid' };

/** Opaque refresh tokens of a session, stored hashed in the tenant schema and spent by their first use. */
@Injectable()
export class RefreshTokenService {
  readonly ttlMs: number;

  constructor(@InjectConfig() config: AppConfig) {
    this.ttlMs = config.auth.refreshTokenTtlDays * 86_400_000;
  }

  async issue(manager: EntityManager, sessionId: string): Promise<string> {
    const token = newSecretToken();
    await manager.insert(RefreshToken, {
      sessionId,
      tokenHash: hashSecretToken(token),
      expiresAt: new Date(Date.now() + this.ttlMs),
      usedAt: null,
    });
    return token;
  }

  /**
   * Spends an unspent, unexpired token, under its row lock so that two concurrent refreshes cannot
   * both spend it. `reused`: it was spent before, so it leaked.
   */
  async spend(manager: EntityManager, token: string): Promise<SpendOutcome> {
    const current = await manager.findOne(RefreshToken, {
      where: { tokenHash: hashSecretToken(token) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!current) return { outcome: 'invalid' };
    if (current.usedAt !== null) return { outcome: 'reused', sessionId: current.sessionId };
    if (current.expiresAt.getTime() <= Date.now()) return { outcome: 'invalid' };
    await manager.update(RefreshToken, { id: current.id }, { usedAt: new Date() });
    return { outcome: 'spent', sessionId: current.sessionId };
  }

  /** The session a token belongs to, spent or not. */
  async sessionOf(manager: EntityManager, token: string): Promise<string | undefined> {
    const found = await manager.findOne(RefreshToken, {
      select: { sessionId: true },
      where: { tokenHash: hashSecretToken(token) },
    });
    return found?.sessionId;
  }
}
