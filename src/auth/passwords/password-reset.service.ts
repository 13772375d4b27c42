import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { hashSecretToken } from '../../common/access/secret-token';
import { InjectConfig, type AppConfig } from '../../config';
import { IdentitiesService } from '../../identities/identities.service';
import { Identity } from '../../identities/identity.entity';
import { normalizeEmail } from '../../identities/normalize-email';
import { MailOutbox } from '../../mail/outbox/mail-outbox';
import { InvalidTokenException } from '../../members/members.errors';
import { MembersRepository } from '../../members/members.repository';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantDatabase } from '../../tenancy/tenant-database';
import type { ResetPasswordDto } from '../dto/auth.dto';
import { VerifiedEmails } from '../email/verified-emails';
import { PasswordResetToken } from '../password-reset-token.entity';
import { SessionService } from '../sessions/session.service';
import { PasswordHasher } from './password-hasher';
import { PasswordResetTokens } from './password-reset-tokens';

const invalidResetToken = () => new InvalidTokenException('The reset token is invalid, used or expired');

/**
 * Password resets of identities. Asked through a tenant, mailed with its branding and redeemable only
 * there, a reset changes the identity's one password and ends its sessions in every tenant.
 */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly members: MembersRepository,
    private readonly identities: IdentitiesService,
    private readonly passwords: PasswordHasher,
    private readonly resetTokens: PasswordResetTokens,
    private readonly sessions: SessionService,
    private readonly mailOutbox: MailOutbox,
    private readonly verifiedEmails: VerifiedEmails,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Always succeeds from the caller's view; a reset mail goes out only to a member of this tenant, so
   * no tenant can send its branded reset mail to an identity that does not belong to it.
   */
  async request(rawEmail: string): Promise<void> {
    const tenant = this.tenantContext.tenant;
    const email = normalizeEmail(rawEmail);
    await this.tenantDatabase.transaction(async (manager) => {
      const member = await this.members.signInCandidate(manager, email);
      if (!member?.membership) return;
      const expiresAt = new Date(Date.now() + this.config.auth.passwordResetTtlMinutes * 60_000);
      const token = await this.resetTokens.issue(manager, {
        identityId: member.identityId,
        tenantId: tenant.id,
        expiresAt,
      });
      await this.mailOutbox.enqueue(manager, {
        tenantId: tenant.id,
        to: member.email,
        content: {
          kind: 'password-reset',
          data: {
            recipientName: member.name,
            token,
            tenantSlug: tenant.slug,
            expiresAt: expiresAt.toISOString(),
          },
        },
      });
    });
  }

  /**
   * Checks the token before paying for a hash (a bogus one costs a lookup), hashes, then, under the
   * identity's row lock (two resets of one identity queue there instead of deadlocking on each
   * other's tokens), checks it again: the reset consumes every open reset token of the identity,
   * changes the password, and ends every session of the identity in every tenant. The link went to the
   * identity's address (an email change revokes open ones), so using it also verifies that address.
   */
  async reset({ token, password }: ResetPasswordDto): Promise<void> {
    const tenantId = this.tenantContext.tenant.id;
    const tokenHash = hashSecretToken(token);
    const usable = (reset: PasswordResetToken | null): reset is PasswordResetToken =>
      reset !== null &&
      reset.tenantId === tenantId &&
      reset.usedAt === null &&
      reset.expiresAt.getTime() > Date.now();
    const found = await this.dataSource.getRepository(PasswordResetToken).findOneBy({ tokenHash });
    if (!usable(found)) throw invalidResetToken();
    const passwordHash = await this.passwords.hash(password);
    await this.dataSource.transaction(async (manager) => {
      const identity = await manager.findOne(Identity, {
        select: { id: true, email: true },
        where: { id: found.identityId },
        lock: { mode: 'for_no_key_update' },
      });
      const reset = await manager.findOneBy(PasswordResetToken, { tokenHash });
      if (!usable(reset)) throw invalidResetToken();
      await manager.update(
        PasswordResetToken,
        { identityId: reset.identityId, usedAt: IsNull() },
        { usedAt: new Date() },
      );
      await this.identities.changePassword(manager, reset.identityId, passwordHash);
      await this.sessions.endEverywhere(manager, reset.identityId);
      if (identity) {
        await this.verifiedEmails.markVerified(manager, {
          identityId: identity.id,
          email: identity.email,
          schemaName: this.tenantContext.tenant.schemaName,
        });
      }
    });
  }
}
