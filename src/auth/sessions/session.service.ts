import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager, In, IsNull, MoreThan } from 'typeorm';
import type { AuthenticatedUser } from '../../common/access/access.decorators';
import { NotFoundException } from '../../common/errors/app.exception';
import { TenantDatabase } from '../../tenancy/tenant-database';
import { RefreshTokenService } from '../tokens/refresh-token.service';
import type { UserSessionDto } from './dto/user-session.dto';
import type { RequestOrigin } from './request-origin.decorator';
import { Session } from './session.entity';

export type RefreshOutcome =
  | { outcome: 'rotated'; userId: string; sessionId: string; refreshToken: string }
  | { outcome: 'reused' }
  | { outcome: 'invalid' };

/**
 * Sessions in the current tenant: started by a sign-in, kept by refreshes, ended by logout, by the
 * user, by a password reset or by a leaked refresh token. Ending one stops its access tokens too: the
 * access guard reads the session with the user's role.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly refreshTokens: RefreshTokenService,
  ) {}

  /** A new session of the user, with its first refresh token. */
  async start(
    manager: EntityManager,
    userId: string,
    origin: RequestOrigin,
  ): Promise<{ sessionId: string; refreshToken: string }> {
    const sessionId = randomUUID();
    await manager.insert(Session, {
      id: sessionId,
      userId,
      userAgent: origin.userAgent,
      ip: origin.ip,
      revokedAt: null,
    });
    return { sessionId, refreshToken: await this.refreshTokens.issue(manager, sessionId) };
  }

  /**
   * Spends the refresh token and issues its successor in a live session, which counts as used now. A
   * spent token presented again ends its session (the caller must commit that, then answer 401).
   */
  async refresh(manager: EntityManager, token: string): Promise<RefreshOutcome> {
    const spent = await this.refreshTokens.spend(manager, token);
    if (spent.outcome === 'invalid') return spent;
    if (spent.outcome === 'reused') {
      await this.end(manager, spent.sessionId);
      return { outcome: 'reused' };
    }
    const session = await manager.findOne(Session, {
      where: { id: spent.sessionId, revokedAt: IsNull() },
      lock: { mode: 'pessimistic_write' },
    });
    if (!session) return { outcome: 'invalid' };
    await manager.update(Session, { id: session.id }, { lastUsedAt: () => 'now()' });
    const refreshToken = await this.refreshTokens.issue(manager, spent.sessionId);
    return { outcome: 'rotated', userId: session.userId, sessionId: session.id, refreshToken };
  }

  async end(manager: EntityManager, sessionId: string): Promise<void> {
    await manager.update(Session, { id: sessionId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** Ends those of the sessions that are the user's and live; returns how many that was. */
  async endOfUser(manager: EntityManager, userId: string, sessionIds: string[]): Promise<number> {
    const { affected } = await manager.update(
      Session,
      { id: In(sessionIds), userId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    return affected ?? 0;
  }

  async endAllOfUser(manager: EntityManager, userId: string): Promise<void> {
    await manager.update(Session, { userId, revokedAt: IsNull() }, { revokedAt: new Date() });
  }

  /** `DELETE /me/sessions/:id`: 404 unless it is a live session of the user. */
  async endOwn(user: AuthenticatedUser, sessionId: string): Promise<void> {
    const ended = await this.tenantDatabase.transaction((manager) =>
      this.endOfUser(manager, user.id, [sessionId]),
    );
    if (ended === 0) throw new NotFoundException('No session of yours with this id');
  }

  /** The user's sessions that can still be used: not ended, and refreshed within the refresh token TTL. */
  listOf(user: AuthenticatedUser): Promise<UserSessionDto[]> {
    return this.tenantDatabase.read(async (manager) => {
      const sessions = await manager.find(Session, {
        where: {
          userId: user.id,
          revokedAt: IsNull(),
          lastUsedAt: MoreThan(new Date(Date.now() - this.refreshTokens.ttlMs)),
        },
        order: { lastUsedAt: 'DESC', id: 'ASC' },
      });
      return sessions.map(({ id, createdAt, lastUsedAt, userAgent, ip }) => ({
        id,
        current: id === user.sessionId,
        createdAt,
        lastUsedAt,
        userAgent,
        ip,
      }));
    });
  }
}
