import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { PlanLimits } from '../billing/gating/plan-limits';
import type { AuthenticatedUser } from '../common/access/access.decorators';
import { hashSecretToken, newSecretToken } from '../common/access/secret-token';
import { InjectConfig, type AppConfig } from '../config';
import { MailOutbox } from '../mail/outbox/mail-outbox';
import { InvitationsService } from '../members/invitations.service';
import { EmailTakenException, InvalidTokenException } from '../members/members.errors';
import { isUniqueViolation, normalizeEmail } from '../members/user-identity';
import { toMemberDto, User } from '../members/user.entity';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database';
import { InvalidCredentialsException, InvalidRefreshTokenException } from './auth.errors';
import type {
  AcceptInvitationDto,
  LoginDto,
  ResetPasswordDto,
  SessionDto,
  TokenPairDto,
} from './dto/auth.dto';
import { LoginAttemptLimiter } from './login/login-attempt-limiter';
import { PasswordHasher } from './passwords/password-hasher';
import { PasswordResetToken } from './password-reset-token.entity';
import type { RequestOrigin } from './sessions/request-origin.decorator';
import { SessionService } from './sessions/session.service';
import { AccessTokenService } from './tokens/access-token.service';
import { RefreshTokenService } from './tokens/refresh-token.service';

const isUsable = (reset: PasswordResetToken | null): reset is PasswordResetToken =>
  reset !== null && reset.usedAt === null && reset.expiresAt.getTime() > Date.now();

const invalidResetToken = () => new InvalidTokenException('The reset token is invalid, used or expired');

/** Sign-in, token refresh and sign-out, password reset and invitation acceptance, in the current tenant. */
@Injectable()
export class AuthService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly passwords: PasswordHasher,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly sessions: SessionService,
    private readonly loginLimiter: LoginAttemptLimiter,
    private readonly invitations: InvitationsService,
    private readonly mailOutbox: MailOutbox,
    private readonly planLimits: PlanLimits,
    private readonly audit: AuditLog,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async login({ email: rawEmail, password }: LoginDto, origin: RequestOrigin): Promise<SessionDto> {
    const tenant = this.tenantContext.tenant;
    const email = normalizeEmail(rawEmail);
    const attempt = await this.loginLimiter.reserve({ tenantId: tenant.id, email, ip: origin.ip });
    const user = await this.userWithPassword(email, password).catch(async (error: unknown) => {
      await attempt.withdraw();
      throw error;
    });
    if (!user) throw new InvalidCredentialsException();
    await attempt.succeeded();
    const tokens = await this.tenantDatabase.transaction(async (manager) => {
      await this.audit.record(manager, 'auth.sign_in', `user:${user.id}`, user.id);
      return this.startSession(manager, user, origin);
    });
    return { ...tokens, user: toMemberDto(user) };
  }

  /** The user with this email, if the password is theirs; as slow when there is no such user. */
  private async userWithPassword(email: string, password: string): Promise<User | undefined> {
    const user = await this.tenantDatabase.read((manager) => manager.findOneBy(User, { email }));
    const verified = await this.passwords.verify(password, user?.passwordHash);
    return verified && user ? user : undefined;
  }

  async refresh(token: string): Promise<TokenPairDto> {
    const outcome = await this.tenantDatabase.transaction(async (manager) => {
      const rotation = await this.sessions.refresh(manager, token);
      if (rotation.outcome !== 'rotated') return rotation;
      const user = await manager.findOneByOrFail(User, { id: rotation.userId });
      return { ...rotation, user };
    });
    // Thrown after the transaction, so that ending the session of a reused token is committed.
    if (outcome.outcome === 'reused') {
      throw new InvalidRefreshTokenException('The refresh token was already used; the session is revoked');
    }
    if (outcome.outcome !== 'rotated') throw new InvalidRefreshTokenException();
    return {
      ...this.accessTokenFor(outcome.user, outcome.sessionId),
      refreshToken: outcome.refreshToken,
    };
  }

  /** Ends the session of the refresh token, if it is the user's, and the one of the access token. */
  logout(user: AuthenticatedUser, refreshToken: string): Promise<void> {
    return this.tenantDatabase.transaction(async (manager) => {
      const sessionId = await this.refreshTokens.sessionOf(manager, refreshToken);
      await this.sessions.endOfUser(
        manager,
        user.id,
        sessionId ? [user.sessionId, sessionId] : [user.sessionId],
      );
    });
  }

  logoutEverywhere(user: AuthenticatedUser): Promise<void> {
    return this.tenantDatabase.transaction((manager) => this.sessions.endAllOfUser(manager, user.id));
  }

  /** Always succeeds from the caller's view; a reset mail goes out only when the user exists. */
  async requestPasswordReset(rawEmail: string): Promise<void> {
    const tenant = this.tenantContext.tenant;
    const email = normalizeEmail(rawEmail);
    await this.tenantDatabase.transaction(async (manager) => {
      const user = await manager.findOneBy(User, { email });
      if (!user) return;
      const token = newSecretToken();
      const expiresAt = new Date(Date.now() + this.config.auth.passwordResetTtlMinutes * 60_000);
      await manager.insert(PasswordResetToken, {
        userId: user.id,
        tokenHash: hashSecretToken(token),
        expiresAt,
        usedAt: null,
      });
      await this.mailOutbox.enqueue(manager, {
        tenantId: tenant.id,
        to: user.email,
        content: {
          kind: 'password-reset',
          data: {
            recipientName: user.name,
            token,
            tenantSlug: tenant.slug,
            expiresAt: expiresAt.toISOString(),
          },
        },
      });
    });
  }

  /**
   * Checks the token before paying for a hash (a bogus one costs a lookup), hashes, then checks it again
   * under its row lock: a reset consumes every open reset token of the user and ends all their sessions.
   */
  async resetPassword({ token, password }: ResetPasswordDto): Promise<void> {
    const tokenHash = hashSecretToken(token);
    const found = await this.tenantDatabase.read((manager) =>
      manager.findOneBy(PasswordResetToken, { tokenHash }),
    );
    if (!isUsable(found)) throw invalidResetToken();
    const passwordHash = await this.passwords.hash(password);
    await this.tenantDatabase.transaction(async (manager) => {
      const reset = await manager.findOne(PasswordResetToken, {
        where: { tokenHash },
        lock: { mode: 'pessimistic_write' },
      });
      if (!isUsable(reset)) throw invalidResetToken();
      await manager.update(
        PasswordResetToken,
        { userId: reset.userId, usedAt: IsNull() },
        { usedAt: new Date() },
      );
      await manager.update(User, { id: reset.userId }, { passwordHash });
      await this.sessions.endAllOfUser(manager, reset.userId);
    });
  }

  async acceptInvitation(
    { token, name, password }: AcceptInvitationDto,
    origin: RequestOrigin,
  ): Promise<SessionDto> {
    // A bogus token is refused before it can cost a password hash; consume re-checks under lock.
    await this.invitations.assertPending(token);
    const passwordHash = await this.passwords.hash(password);
    const { user, tokens } = await this.tenantDatabase.transaction(async (manager) => {
      const invitation = await this.invitations.consume(manager, token);
      await this.planLimits.assertRoomFor(manager, 'members', () => manager.count(User));
      const created = await this.createUser(manager, {
        email: invitation.email,
        name,
        passwordHash,
        role: invitation.role,
      });
      await this.audit.record(manager, 'member.joined', `user:${created.id}`, created.id);
      return { user: created, tokens: await this.startSession(manager, created, origin) };
    });
    return { ...tokens, user: toMemberDto(user) };
  }

  /** Inserts a user in the transaction's tenant; a taken email is EMAIL_TAKEN. */
  async createUser(
    manager: EntityManager,
    user: Pick<User, 'email' | 'name' | 'passwordHash' | 'role'>,
  ): Promise<User> {
    try {
      return await manager.save(manager.create(User, user));
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw new EmailTakenException(user.email);
      throw error;
    }
  }

  /** A new session of the user in the transaction's tenant: its first refresh token and an access token. */
  async startSession(
    manager: EntityManager,
    user: Pick<User, 'id' | 'role'>,
    origin: RequestOrigin,
    tenantId = this.tenantContext.tenant.id,
  ): Promise<TokenPairDto> {
    const { sessionId, refreshToken } = await this.sessions.start(manager, user.id, origin);
    return { ...this.accessTokenFor(user, sessionId, tenantId), refreshToken };
  }

  private accessTokenFor(
    user: Pick<User, 'id' | 'role'>,
    sessionId: string,
    tenantId = this.tenantContext.tenant.id,
  ): { accessToken: string } {
    return {
      accessToken: this.accessTokens.sign({ sub: user.id, tid: tenantId, role: user.role, sid: sessionId }),
    };
  }
}
