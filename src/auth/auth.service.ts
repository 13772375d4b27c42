import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
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
import { AccessTokenService } from './tokens/access-token.service';
import { RefreshTokenService } from './tokens/refresh-token.service';

/** Sign-in, token refresh and sign-out, password reset and invitation acceptance, in the current tenant. */
@Injectable()
export class AuthService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly passwords: PasswordHasher,
    private readonly accessTokens: AccessTokenService,
    private readonly refreshTokens: RefreshTokenService,
    private readonly loginLimiter: LoginAttemptLimiter,
    private readonly invitations: InvitationsService,
    private readonly mailOutbox: MailOutbox,
    private readonly planLimits: PlanLimits,
    private readonly audit: AuditLog,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async login({ email: rawEmail, password }: LoginDto, clientIp: string): Promise<SessionDto> {
    const tenant = this.tenantContext.tenant;
    const email = normalizeEmail(rawEmail);
    await this.loginLimiter.assertAllowed(tenant.id, email, clientIp);
    const user = await this.tenantDatabase.read((manager) => manager.findOneBy(User, { email }));
    if (!(await this.passwords.verify(password, user?.passwordHash)) || !user) {
      await this.loginLimiter.recordFailure(tenant.id, email, clientIp);
      throw new InvalidCredentialsException();
    }
    await this.loginLimiter.recordSuccess(tenant.id, email);
    const refreshToken = await this.tenantDatabase.transaction(async (manager) => {
      await this.audit.record(manager, 'auth.sign_in', `user:${user.id}`, user.id);
      return this.refreshTokens.issue(manager, user.id);
    });
    return { ...this.accessTokenFor(user), refreshToken, user: toMemberDto(user) };
  }

  async refresh(token: string): Promise<TokenPairDto> {
    const outcome = await this.tenantDatabase.transaction(async (manager) => {
      const rotation = await this.refreshTokens.rotate(manager, token);
      if (rotation.outcome !== 'rotated') return rotation;
      const user = await manager.findOneByOrFail(User, { id: rotation.userId });
      return { ...rotation, user };
    });
    // Thrown after the transaction, so that revoking a reused token's family is committed.
    if (outcome.outcome === 'reused') {
      throw new InvalidRefreshTokenException('The refresh token was already used; the session is revoked');
    }
    if (outcome.outcome !== 'rotated') throw new InvalidRefreshTokenException();
    return { ...this.accessTokenFor(outcome.user), refreshToken: outcome.refreshToken };
  }

  logout(user: AuthenticatedUser, refreshToken: string): Promise<void> {
    return this.tenantDatabase.transaction((manager) =>
      this.refreshTokens.revokeSession(manager, user.id, refreshToken),
    );
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

  async resetPassword({ token, password }: ResetPasswordDto): Promise<void> {
    const passwordHash = await this.passwords.hash(password);
    await this.tenantDatabase.transaction(async (manager) => {
      const reset = await manager.findOne(PasswordResetToken, {
        where: { tokenHash: hashSecretToken(token) },
        lock: { mode: 'pessimistic_write' },
      });
      if (!reset || reset.usedAt !== null || reset.expiresAt.getTime() <= Date.now()) {
        throw new InvalidTokenException('The reset token is invalid, used or expired');
      }
      await manager.update(PasswordResetToken, { id: reset.id }, { usedAt: new Date() });
      await manager.update(User, { id: reset.userId }, { passwordHash });
      await this.refreshTokens.revokeAllOfUser(manager, reset.userId);
    });
  }

  async acceptInvitation({ token, name, password }: AcceptInvitationDto): Promise<SessionDto> {
    // A bogus token is refused before it can cost a password hash; consume re-checks under lock.
    await this.invitations.assertPending(token);
    const passwordHash = await this.passwords.hash(password);
    const { user, refreshToken } = await this.tenantDatabase.transaction(async (manager) => {
      const invitation = await this.invitations.consume(manager, token);
      await this.planLimits.assertRoomFor(manager, 'members', () => manager.count(User));
      const created = await this.createUser(manager, {
        email: invitation.email,
        name,
        passwordHash,
        role: invitation.role,
      });
      await this.audit.record(manager, 'member.joined', `user:${created.id}`, created.id);
      return { user: created, refreshToken: await this.refreshTokens.issue(manager, created.id) };
    });
    return { ...this.accessTokenFor(user), refreshToken, user: toMemberDto(user) };
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

  accessTokenFor(
    user: Pick<User, 'id' | 'role'>,
    tenantId = this.tenantContext.tenant.id,
  ): { accessToken: string } {
    return { accessToken: this.accessTokens.sign({ sub: user.id, tid: tenantId, role: user.role }) };
  }
}
