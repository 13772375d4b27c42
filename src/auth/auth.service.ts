import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import type { AuthenticatedUser } from '../common/access/access.decorators';
import { IdentitiesService } from '../identities/identities.service';
import { normalizeEmail } from '../identities/normalize-email';
import { MembersRepository } from '../members/members.repository';
import { Membership } from '../members/membership.entity';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database';
import { InvalidCredentialsException, InvalidRefreshTokenException } from './auth.errors';
import type { LoginDto, SessionDto, TokenPairDto } from './dto/auth.dto';
import type { Member } from '../members/members.repository';
import { LoginAttemptLimiter } from './login/login-attempt-limiter';
import { PasswordHasher } from './passwords/password-hasher';
import type { RequestOrigin } from './sessions/request-origin.decorator';
import { SessionService } from './sessions/session.service';
import { AccessTokenService } from './tokens/access-token.service';
import { RefreshTokenService } from './tokens/refresh-token.service';
import { type MfaChallengeDto, type MfaSignInDto, proofOf } from './two-factor/dto/two-factor.dto';
import { MfaChallenges } from './two-factor/mfa-challenges';
import { SecondFactors } from './two-factor/second-factors';
import { InvalidMfaCodeException, InvalidMfaTokenException } from './two-factor/two-factor.errors';

/** Sign-in, token refresh and sign-out of a membership of the current tenant. */
@Injectable()
export class AuthService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly passwords: PasswordHasher,
    private readonly identities: IdentitiesService,
    private readonly members: MembersRepository,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly sessions: SessionService,
    private readonly loginLimiter: LoginAttemptLimiter,
    private readonly audit: AuditLog,
    private readonly secondFactors: SecondFactors,
    private readonly mfaChallenges: MfaChallenges,
  ) {}

  /**
   * With a second factor on, a right password answers a challenge instead of a session. It does not
   * count as a failure, nor forgive earlier ones: only a completed sign-in does.
   */
  async login(
    { email: rawEmail, password }: LoginDto,
    origin: RequestOrigin,
  ): Promise<SessionDto | MfaChallengeDto> {
    const email = normalizeEmail(rawEmail);
    const attempt = await this.loginLimiter.reserve({ email, ip: origin.ip });
    const outcome = await this.signIn(email, password, origin).catch(async (error: unknown) => {
      await attempt.withdraw();
      throw error;
    });
    if (!outcome) throw new InvalidCredentialsException();
    if ('mfaRequired' in outcome) await attempt.withdraw();
    else await attempt.succeeded();
    return outcome;
  }

  /**
   * The second step: a code or a recovery code, with the challenge of the first. Wrong ones count as
   * failed logins of the person (and of the client IP); the challenge is spent by the sign-in it
   * completes, in the transaction that starts the session.
   */
  async completeSignIn(body: MfaSignInDto, origin: RequestOrigin): Promise<SessionDto> {
    const proof = proofOf(body);
    const challenge = await this.mfaChallenges.findPending(body.mfaToken, this.tenantContext.tenant.id);
    if (!challenge) throw new InvalidMfaTokenException();
    const attempt = await this.loginLimiter.reserve({ email: challenge.email, ip: origin.ip });
    const session = await this.tenantDatabase
      .transaction(async (manager) => {
        const factor = await this.secondFactors.lock(manager, challenge.identityId);
        const accepted = factor?.confirmedAt
          ? await this.secondFactors.accept(manager, factor, proof)
          : undefined;
        if (!accepted) throw new InvalidMfaCodeException();
        const member = await this.members.lockForShare(manager, challenge.membershipId);
        if (!member || !(await this.mfaChallenges.consume(manager, challenge.id))) {
          throw new InvalidMfaTokenException();
        }
        if (accepted === 'recovery_code') {
          await this.audit.record(manager, '2fa.recovery_code_used', `user:${member.id}`, member.id);
        }
        return this.openSession(manager, member, origin);
      })
      .catch(async (error: unknown) => {
        if (!(error instanceof InvalidMfaCodeException)) await attempt.withdraw();
        throw error;
      });
    await attempt.succeeded();
    return session;
  }

  /**
   * The password is checked once, against the identity (a dummy hash when there is none, so timing
   * does not tell), then its membership of this tenant: not a member fails like a wrong password. The
   * session starts only while the password is still the one checked, so a concurrent reset ends it.
   */
  private async signIn(
    email: string,
    password: string,
    origin: RequestOrigin,
  ): Promise<SessionDto | MfaChallengeDto | undefined> {
    const candidate = await this.tenantDatabase.read((manager) =>
      this.members.signInCandidate(manager, email),
    );
    const verified = await this.passwords.verify(password, candidate?.passwordHash);
    const membership = candidate?.membership;
    if (!verified || !candidate || !membership) return undefined;
    return this.tenantDatabase.transaction(async (manager) => {
      if (!(await this.identities.lockWithPassword(manager, candidate.identityId, candidate.passwordHash))) {
        return undefined;
      }
      if (await this.secondFactors.isEnabled(candidate.identityId, manager)) {
        const mfaToken = await this.mfaChallenges.issue(manager, {
          identityId: candidate.identityId,
          tenantId: this.tenantContext.tenant.id,
          membershipId: membership.id,
          passwordHash: candidate.passwordHash,
        });
        return { mfaRequired: true as const, mfaToken };
      }
      const { email: memberEmail, name } = candidate;
      return this.openSession(manager, { ...membership, email: memberEmail, name }, origin);
    });
  }

  /** The end of every sign-in: its audit entry, a new session and its tokens. */
  private async openSession(
    manager: EntityManager,
    member: Pick<Member, 'id' | 'email' | 'name' | 'role'>,
    origin: RequestOrigin,
  ): Promise<SessionDto> {
    await this.audit.record(manager, 'auth.sign_in', `user:${member.id}`, member.id);
    const tokens = await this.startSession(manager, member, origin);
    const { id, email, name, role } = member;
    return { ...tokens, user: { id, email, name, role } };
  }

  async refresh(token: string): Promise<TokenPairDto> {
    const outcome = await this.tenantDatabase.transaction(async (manager) => {
      const rotation = await this.sessions.refresh(manager, token);
      if (rotation.outcome !== 'rotated') return rotation;
      const membership = await manager.findOneByOrFail(Membership, { id: rotation.membershipId });
      return { ...rotation, membership };
    });
    // Thrown after the transaction, so that ending the session of a reused token is committed.
    if (outcome.outcome === 'reused') {
      throw new InvalidRefreshTokenException('The refresh token was already used; the session is revoked');
    }
    if (outcome.outcome !== 'rotated') throw new InvalidRefreshTokenException();
    return {
      ...this.accessTokenFor(outcome.membership, outcome.sessionId),
      refreshToken: outcome.refreshToken,
    };
  }

  /** Ends the session of the refresh token, if it is the member's, and the one of the access token. */
  logout(user: AuthenticatedUser, refreshToken: string): Promise<void> {
    return this.tenantDatabase.transaction(async (manager) => {
      const sessionId = await this.refreshTokens.sessionOf(manager, refreshToken);
      await this.sessions.endOfMember(
        manager,
        user.id,
        sessionId ? [user.sessionId, sessionId] : [user.sessionId],
      );
    });
  }

  /** Every session of the membership, in this tenant. */
  logoutEverywhere(user: AuthenticatedUser): Promise<void> {
    return this.tenantDatabase.transaction((manager) => this.sessions.endAllOfMember(manager, user.id));
  }

  /** A new session of the membership in the transaction's tenant: its first refresh token and an access token. */
  async startSession(
    manager: EntityManager,
    membership: Pick<Membership, 'id' | 'role'>,
    origin: RequestOrigin,
    tenantId = this.tenantContext.tenant.id,
  ): Promise<TokenPairDto> {
    const { sessionId, refreshToken } = await this.sessions.start(manager, membership.id, origin);
    return { ...this.accessTokenFor(membership, sessionId, tenantId), refreshToken };
  }

  private accessTokenFor(
    membership: Pick<Membership, 'id' | 'role'>,
    sessionId: string,
    tenantId = this.tenantContext.tenant.id,
  ): { accessToken: string } {
    return {
      accessToken: this.accessTokens.sign({
        sub: membership.id,
        tid: tenantId,
        role: membership.role,
        sid: sessionId,
      }),
    };
  }
}
