import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { type EntityManager, In, IsNull, MoreThan } from 'typeorm';
import type { AuthenticatedUser } from '../../common/access/access.decorators';
import { NotFoundException } from '../../common/errors/app.exception';
import { MembershipDirectory } from '../../identities/membership-directory';
import { MembershipAccessCache } from '../../members/membership-access-cache';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantDatabase } from '../../tenancy/tenant-database';
import { schemaNameFor } from '../../tenancy/tenant.entity';
import { RefreshTokenService } from '../tokens/refresh-token.service';
import type { UserSessionDto } from './dto/user-session.dto';
import type { RequestOrigin } from './request-origin.decorator';
import { Session } from './session.entity';

export type RefreshOutcome =
  | { outcome: 'rotated'; membershipId: string; sessionId: string; refreshToken: string }
  | { outcome: 'reused' }
  | { outcome: 'invalid' };

/**
 * Sessions of memberships: started by a sign-in, kept by refreshes, ended by logout, by their member,
 * by a password reset (in every tenant of the identity) or by a leaked refresh token. Ending one stops
 * its access tokens too: the access guard reads the session with the membership's role, and every end
 * evicts the membership's cached access check once it commits.
 */
@Injectable()
export class SessionService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly refreshTokens: RefreshTokenService,
    private readonly directory: MembershipDirectory,
    private readonly tenantContext: TenantContext,
    private readonly accessCache: MembershipAccessCache,
  ) {}

  /** A new session of the membership, with its first refresh token. */
  async start(
    manager: EntityManager,
    membershipId: string,
    origin: RequestOrigin,
  ): Promise<{ sessionId: string; refreshToken: string }> {
    const sessionId = randomUUID();
    await manager.insert(Session, {
      id: sessionId,
      membershipId,
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
    return { outcome: 'rotated', membershipId: session.membershipId, sessionId: session.id, refreshToken };
  }

  async end(manager: EntityManager, sessionId: string): Promise<void> {
    const ended = await manager
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: new Date() })
      .where({ id: sessionId, revokedAt: IsNull() })
      .returning('membership_id')
      .execute();
    for (const { membership_id: membershipId } of ended.raw as { membership_id: string }[]) {
      this.forgetOnCommit(manager, membershipId);
    }
  }

  /** Ends those of the sessions that are the membership's and live; returns how many that was. */
  async endOfMember(manager: EntityManager, membershipId: string, sessionIds: string[]): Promise<number> {
    const { affected } = await manager.update(
      Session,
      { id: In(sessionIds), membershipId, revokedAt: IsNull() },
      { revokedAt: new Date() },
    );
    if (affected) this.forgetOnCommit(manager, membershipId);
    return affected ?? 0;
  }

  /** Every session of the membership, in the transaction's tenant. */
  async endAllOfMember(manager: EntityManager, membershipId: string): Promise<void> {
    await manager.update(Session, { membershipId, revokedAt: IsNull() }, { revokedAt: new Date() });
    this.forgetOnCommit(manager, membershipId);
  }

  /**
   * Every session of the identity in every tenant it is a member of, in the caller's transaction: one
   * schema-qualified statement per tenant of the shared directory (schema names derived from tenant ids).
   */
  async endEverywhere(manager: EntityManager, identityId: string): Promise<void> {
    for (const { tenantId, membershipId } of await this.directory.membershipsOf(manager, identityId)) {
      await manager.query(
        `UPDATE "${schemaNameFor(tenantId)}".sessions SET revoked_at = now()
         WHERE membership_id = $1 AND revoked_at IS NULL`,
        [membershipId],
      );
      this.accessCache.forgetOnCommit(manager, schemaNameFor(tenantId), membershipId);
    }
  }

  /** The membership's cached access check in this tenant goes once the transaction commits. */
  private forgetOnCommit(manager: EntityManager, membershipId: string): void {
    this.accessCache.forgetOnCommit(manager, this.tenantContext.tenant.schemaName, membershipId);
  }

  /** `DELETE /me/sessions/:id`: 404 unless it is a live session of the signed-in membership. */
  async endOwn(user: AuthenticatedUser, sessionId: string): Promise<void> {
    const ended = await this.tenantDatabase.transaction((manager) =>
      this.endOfMember(manager, user.id, [sessionId]),
    );
    if (ended === 0) throw new NotFoundException('No session of yours with this id');
  }

  /** The membership's sessions that can still be used: not ended, and refreshed within the refresh token TTL. */
  listOf(user: AuthenticatedUser): Promise<UserSessionDto[]> {
    return this.tenantDatabase.read(async (manager) => {
      const sessions = await manager.find(Session, {
        where: {
          membershipId: user.id,
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
