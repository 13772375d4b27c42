import { randomBytes } from 'node:crypto';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { toValidationException } from '../../common/errors/validation-errors';
import type { AppConfig } from '../../config';
import type { IdentitiesService } from '../../identities/identities.service';
import { normalizeEmail } from '../../identities/normalize-email';
import type { MailOutbox } from '../../mail/outbox/mail-outbox';
import type { MembershipEnrolment } from '../../members/membership-enrolment';
import type { Member } from '../../members/members.repository';
import type { CurrentTenant } from '../../tenancy/tenant-context';
import { NewTenantOwnerDto } from '../dto/new-tenant-owner.dto';
import type { PasswordHasher } from '../passwords/password-hasher';
import type { PasswordResetTokens } from '../passwords/password-reset-tokens';

const HOUR_MS = 3_600_000;

/** A checked owner, with the hash that stands in for a password until the owner sets one. */
export interface TenantOwnerClaim {
  email: string;
  name: string;
  unusablePasswordHash: string;
}

export interface EnrolledOwner {
  member: Member;
  /** True when the email had no identity: the owner then has no password until the mailed link. */
  newIdentity: boolean;
}

/**
 * The owner of a tenant made on the command line. A known email's identity becomes the owner as it
 * is, password and all, and is sent a welcome; a new email becomes an identity whose password is the
 * hash of a secret nobody keeps, and is sent a link that sets the first one. The link is a password
 * reset token of the new tenant, valid as long as an invitation.
 */
export class TenantOwnerSetup {
  constructor(
    private readonly identities: IdentitiesService,
    private readonly passwords: PasswordHasher,
    private readonly memberships: MembershipEnrolment,
    private readonly resetTokens: PasswordResetTokens,
    private readonly mailOutbox: MailOutbox,
    private readonly config: AppConfig,
  ) {}

  /** Before the transaction: 400 VALIDATION_FAILED for a bad email or name; the slow hash. */
  async claim(input: { email?: string; name?: string }): Promise<TenantOwnerClaim> {
    const owner = plainToInstance(NewTenantOwnerDto, input);
    const errors = await validate(owner, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length > 0) throw toValidationException(errors);
    const email = normalizeEmail(owner.email);
    return {
      email,
      name: owner.name ?? email.slice(0, email.indexOf('@')),
      unusablePasswordHash: await this.passwords.hash(randomBytes(32).toString('base64url')),
    };
  }

  /** Inside the provisioning transaction, in the new tenant's schema. */
  async enrol(
    manager: EntityManager,
    tenant: CurrentTenant,
    claim: TenantOwnerClaim,
  ): Promise<EnrolledOwner> {
    const { identity, created } = await this.identities.insertOrFind(manager, {
      email: claim.email,
      name: claim.name,
      passwordHash: claim.unusablePasswordHash,
    });
    const member = await this.memberships.join(
      manager,
      { identity, role: 'owner', invitedBy: null },
      tenant.id,
    );
    if (created) {
      const expiresAt = new Date(Date.now() + this.config.auth.invitationTtlHours * HOUR_MS);
      const token = await this.resetTokens.issue(manager, {
        identityId: identity.id,
        tenantId: tenant.id,
        expiresAt,
      });
      await this.mailOutbox.enqueue(manager, {
        tenantId: tenant.id,
        to: identity.email,
        content: {
          kind: 'set-password',
          data: {
            recipientName: identity.name,
            token,
            tenantSlug: tenant.slug,
            expiresAt: expiresAt.toISOString(),
          },
        },
      });
    } else {
      await this.mailOutbox.enqueue(manager, {
        tenantId: tenant.id,
        to: identity.email,
        content: { kind: 'welcome', data: { recipientName: identity.name, tenantSlug: tenant.slug } },
      });
    }
    return { member, newIdentity: created };
  }
}
