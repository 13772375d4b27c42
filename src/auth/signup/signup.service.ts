import { Injectable } from '@nestjs/common';
import { normalizeEmail } from '../../identities/normalize-email';
import { MailOutbox } from '../../mail/outbox/mail-outbox';
import { toMemberDto } from '../../members/dto/member.dto';
import { MembershipEnrolment } from '../../members/membership-enrolment';
import { TenantProvisioningService } from '../../tenancy/tenant-provisioning.service';
import { AuthService } from '../auth.service';
import type { SignupDto, SignupResultDto } from '../dto/signup.dto';
import { EmailVerificationTokens } from '../email/email-verification-tokens';
import { IdentityClaims } from '../identity-claims';
import type { RequestOrigin } from '../sessions/request-origin.decorator';

/**
 * Onboarding: the tenant, its schema, the owner's membership (of a new identity, or of the existing
 * one whose password the request carries), the owner's first session and the welcome mail are
 * written in one transaction, so a failure anywhere leaves none of them. While the address is
 * unverified, the welcome carries its verification link: one mail, not two.
 */
@Injectable()
export class SignupService {
  constructor(
    private readonly provisioning: TenantProvisioningService,
    private readonly identityClaims: IdentityClaims,
    private readonly memberships: MembershipEnrolment,
    private readonly auth: AuthService,
    private readonly mailOutbox: MailOutbox,
    private readonly verificationLinks: EmailVerificationTokens,
  ) {}

  async signUp(input: SignupDto, origin: RequestOrigin): Promise<SignupResultDto> {
    // The password check or hash is the slow part; done before the transaction so it holds no locks.
    const claim = await this.identityClaims.claim(normalizeEmail(input.email), input.name, input.password);
    const { tenant, result } = await this.provisioning.provision(
      { slug: input.slug, name: input.organizationName },
      async (manager, tenant) => {
        const identity = await this.identityClaims.settle(manager, claim);
        const owner = await this.memberships.join(
          manager,
          { identity, role: 'owner', invitedBy: null },
          tenant.id,
        );
        const tokens = await this.auth.startSession(manager, owner, origin, tenant.id);
        const link = identity.emailVerifiedAt
          ? undefined
          : await this.verificationLinks.issueForAddress(manager, {
              identityId: identity.id,
              tenantId: tenant.id,
              email: identity.email,
            });
        await this.mailOutbox.enqueue(manager, {
          tenantId: tenant.id,
          to: identity.email,
          content: {
            kind: 'welcome',
            data: {
              recipientName: identity.name,
              tenantSlug: tenant.slug,
              ...(link && {
                verificationToken: link.token,
                verificationExpiresAt: link.expiresAt.toISOString(),
              }),
            },
          },
        });
        return { owner, tokens };
      },
    );
    return {
      tenant: {
        id: tenant.id,
        slug: tenant.slug,
        name: tenant.name,
        plan: tenant.plan,
        status: tenant.status,
      },
      user: toMemberDto(result.owner),
      ...result.tokens,
    };
  }
}
