import { Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AuditLog } from '../../audit/audit-log';
import type { AuthenticatedUser } from '../../common/access/access.decorators';
import { hashSecretToken } from '../../common/access/secret-token';
import { isUniqueViolation } from '../../database/unique-violation';
import { Identity } from '../../identities/identity.entity';
import { MailOutbox } from '../../mail/outbox/mail-outbox';
import { InvalidTokenException } from '../../members/members.errors';
import { Membership } from '../../members/membership.entity';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantDatabase } from '../../tenancy/tenant-database';
import { PasswordResetToken } from '../password-reset-token.entity';
import { EMAIL_AUDIT_ACTIONS } from './email.audit-actions';
import { EmailInUseException } from './email-verification.errors';
import { EmailVerificationToken } from './email-verification-token.entity';
import { EmailVerificationTokens } from './email-verification-tokens';
import { VerifiedEmails } from './verified-emails';

const invalidLink = () => new InvalidTokenException('The verification link is invalid, used or expired');

/**
 * Verification links: mailed again on request, and redeemed where they were mailed from. A link to the
 * identity's own address verifies it; a link to another address (an email change) moves the identity
 * there, verified.
 */
@Injectable()
export class EmailVerificationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly links: EmailVerificationTokens,
    private readonly verifiedEmails: VerifiedEmails,
    private readonly mailOutbox: MailOutbox,
    private readonly audit: AuditLog,
  ) {}

  /** A new link replaces the older ones of the address; a verified address gets no mail. */
  async resend(user: AuthenticatedUser): Promise<void> {
    const tenant = this.tenantContext.tenant;
    await this.tenantDatabase.transaction(async (manager) => {
      // Locked, so two requests at once leave one link open, not two.
      const identity = await manager.findOne(Identity, {
        where: { id: user.identityId },
        lock: { mode: 'for_no_key_update' },
      });
      if (!identity || identity.emailVerifiedAt) return;
      const { token, expiresAt } = await this.links.issueForAddress(manager, {
        identityId: identity.id,
        tenantId: tenant.id,
        email: identity.email,
      });
      await this.mailOutbox.enqueue(manager, {
        tenantId: tenant.id,
        to: identity.email,
        content: {
          kind: 'email-verification',
          data: {
            recipientName: identity.name,
            token,
            tenantSlug: tenant.slug,
            expiresAt: expiresAt.toISOString(),
          },
        },
      });
    });
  }

  /**
   * Checked before any lock (a bogus token costs a lookup), then again under the identity's row lock,
   * which an email change needs anyway and which orders it with a concurrent password reset. The link
   * must be of this tenant, and the identity still a member here.
   */
  async verify(token: string): Promise<void> {
    const tenant = this.tenantContext.tenant;
    const tokenHash = hashSecretToken(token);
    const usable = (link: EmailVerificationToken | null): link is EmailVerificationToken =>
      link !== null &&
      link.tenantId === tenant.id &&
      link.usedAt === null &&
      link.expiresAt.getTime() > Date.now();
    const found = await this.dataSource.getRepository(EmailVerificationToken).findOneBy({ tokenHash });
    if (!usable(found)) throw invalidLink();
    await this.tenantDatabase.transaction(async (manager) => {
      const identity = await manager.findOne(Identity, {
        where: { id: found.identityId },
        lock: { mode: 'pessimistic_write' },
      });
      const link = await manager.findOneBy(EmailVerificationToken, { tokenHash });
      const member = await manager.findOneBy(Membership, { identityId: found.identityId });
      if (!identity || !member || !usable(link)) throw invalidLink();

      if (link.email === identity.email) {
        await this.links.revokeForAddress(manager, identity.id, link.email);
        await this.verifiedEmails.markVerified(manager, {
          identityId: identity.id,
          email: link.email,
          schemaName: tenant.schemaName,
        });
        return;
      }
      try {
        await manager.update(
          Identity,
          { id: identity.id },
          { email: link.email, emailVerifiedAt: new Date() },
        );
      } catch (error) {
        if (isUniqueViolation(error, 'identities_email_key')) throw new EmailInUseException(link.email);
        throw error;
      }
      // Links and reset mails that went to the old address, or to another address asked for, end here.
      await this.links.revokeAll(manager, identity.id);
      await manager.update(
        PasswordResetToken,
        { identityId: identity.id, usedAt: IsNull() },
        { usedAt: new Date() },
      );
      await this.audit.record(manager, EMAIL_AUDIT_ACTIONS.changed, `user:${member.id}`, member.id);
    });
  }
}
