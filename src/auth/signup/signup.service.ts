import { Injectable } from '@nestjs/common';
import { InjectConfig, type AppConfig } from '../../config';
import { MailOutbox } from '../../mail/outbox/mail-outbox';
import { normalizeEmail } from '../../members/user-identity';
import { toMemberDto } from '../../members/user.entity';
import { TenantProvisioningService } from '../../tenancy/tenant-provisioning.service';
import { AuthService } from '../auth.service';
import type { SignupDto, SignupResultDto } from '../dto/signup.dto';
import { PasswordHasher } from '../passwords/password-hasher';
import type { RequestOrigin } from '../sessions/request-origin.decorator';

/**
 * Onboarding: the tenant, its schema, the owner, the owner's first session and the welcome mail are
 * written in one transaction, so a failure anywhere leaves none of them.
 */
@Injectable()
export class SignupService {
  constructor(
    private readonly provisioning: TenantProvisioningService,
    private readonly passwords: PasswordHasher,
    private readonly auth: AuthService,
    private readonly mailOutbox: MailOutbox,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async signUp(input: SignupDto, origin: RequestOrigin): Promise<SignupResultDto> {
    const email = normalizeEmail(input.email);
    // Hashing is the slow part; done before the transaction so it holds no locks meanwhile.
    const passwordHash = await this.passwords.hash(input.password);
    const { tenant, result } = await this.provisioning.provision(
      { slug: input.slug, name: input.organizationName, plan: this.config.billing.defaultPlan },
      async (manager, tenant) => {
        const owner = await this.auth.createUser(manager, {
          email,
          name: input.name,
          passwordHash,
          role: 'owner',
        });
        const tokens = await this.auth.startSession(manager, owner, origin, tenant.id);
        await this.mailOutbox.enqueue(manager, {
          tenantId: tenant.id,
          to: email,
          content: { kind: 'welcome', data: { recipientName: owner.name, tenantSlug: tenant.slug } },
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
