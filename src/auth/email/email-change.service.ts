import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '../../common/access/access.decorators';
import { IdentitiesService } from '../../identities/identities.service';
import { Identity } from '../../identities/identity.entity';
import { normalizeEmail } from '../../identities/normalize-email';
import { MailOutbox } from '../../mail/outbox/mail-outbox';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantDatabase } from '../../tenancy/tenant-database';
import { InvalidCredentialsException, UnauthorizedException } from '../auth.errors';
import { LoginAttemptLimiter } from '../login/login-attempt-limiter';
import { PasswordHasher } from '../passwords/password-hasher';
import type { RequestOrigin } from '../sessions/request-origin.decorator';
import type { ChangeEmailDto } from './dto/change-email.dto';
import { EmailInUseException } from './email-verification.errors';
import { EmailVerificationService } from './email-verification.service';
import { EmailVerificationTokens } from './email-verification-tokens';

/**
 * Changing one's address: the password is checked (wrong ones count like failed sign-ins, so a stolen
 * access token cannot be used to guess it), a link goes to the new address and a notice to the current
 * one. The identity keeps its address until the link is used (EmailVerificationService.verify).
 */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly identities: IdentitiesService,
    private readonly passwords: PasswordHasher,
    private readonly loginLimiter: LoginAttemptLimiter,
    private readonly links: EmailVerificationTokens,
    private readonly verification: EmailVerificationService,
    private readonly mailOutbox: MailOutbox,
  ) {}

  async request(
    user: AuthenticatedUser,
    { email, password }: ChangeEmailDto,
    origin: RequestOrigin,
  ): Promise<void> {
    const identity = await this.dataSource.getRepository(Identity).findOneBy({ id: user.identityId });
    if (!identity) throw new UnauthorizedException('The user of this access token no longer exists');
    await this.checkPassword(identity, password, origin);
    const newEmail = normalizeEmail(email);
    // Asking for the address one has is asking to verify it.
    if (newEmail === identity.email) return this.verification.resend(user);
    const holder = await this.identities.findByEmail(newEmail);
    if (holder) throw new EmailInUseException(newEmail);

    const tenant = this.tenantContext.tenant;
    await this.tenantDatabase.transaction(async (manager) => {
      // Locked while its password is the one checked, so a concurrent reset wins or waits.
      const current = await manager.findOne(Identity, {
        where: { id: identity.id, passwordHash: identity.passwordHash },
        lock: { mode: 'for_no_key_update' },
      });
      if (!current) throw new InvalidCredentialsException();
      const { token, expiresAt } = await this.links.issueForChange(manager, {
        identityId: current.id,
        tenantId: tenant.id,
        email: newEmail,
        currentEmail: current.email,
      });
      const recipientName = current.name;
      await this.mailOutbox.enqueue(manager, {
        tenantId: tenant.id,
        to: newEmail,
        content: {
          kind: 'email-change',
          data: { recipientName, token, tenantSlug: tenant.slug, expiresAt: expiresAt.toISOString() },
        },
      });
      await this.mailOutbox.enqueue(manager, {
        tenantId: tenant.id,
        to: current.email,
        content: { kind: 'email-change-notice', data: { recipientName, newEmail, tenantSlug: tenant.slug } },
      });
    });
  }

  /** 401 INVALID_CREDENTIALS for a wrong password, counted against the identity's sign-in limit. */
  private async checkPassword(identity: Identity, password: string, origin: RequestOrigin): Promise<void> {
    const attempt = await this.loginLimiter.reserve({ email: identity.email, ip: origin.ip });
    const verified = await this.passwords
      .verify(password, identity.passwordHash)
      .catch(async (error: unknown) => {
        await attempt.withdraw();
        throw error;
      });
    if (!verified) throw new InvalidCredentialsException();
    await attempt.succeeded();
  }
}
