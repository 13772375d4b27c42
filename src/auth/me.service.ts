import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type {
  AuthenticatedApiKey,
  AuthenticatedCaller,
  AuthenticatedUser,
} from '../common/access/access.decorators';
import { CurrentPlan } from '../billing/plans/current-plan';
import { Identity } from '../identities/identity.entity';
import { MembersService } from '../members/members.service';
import { TenantContext } from '../tenancy/tenant-context';
import type { MeDto } from './dto/me.dto';
import { SecondFactors } from './two-factor/second-factors';

@Injectable()
export class MeService {
  constructor(
    private readonly members: MembersService,
    private readonly tenantContext: TenantContext,
    private readonly currentPlan: CurrentPlan,
    private readonly dataSource: DataSource,
    private readonly secondFactors: SecondFactors,
  ) {}

  describe(caller: AuthenticatedCaller): Promise<MeDto> {
    return caller.kind === 'user' ? this.describeUser(caller.user) : this.describeApiKey(caller.apiKey);
  }

  private describeApiKey({ id, name, prefix, scopes }: AuthenticatedApiKey): Promise<MeDto> {
    return Promise.resolve({
      kind: 'apiKey',
      apiKey: { id, name, prefix, scopes: [...scopes] },
      tenant: this.tenant(),
    });
  }

  private tenant(): MeDto['tenant'] {
    const { id, slug, name, status } = this.tenantContext.tenant;
    const { id: plan, features, limits } = this.currentPlan.plan;
    return { id, slug, name, plan, status, features, limits };
  }

  private async describeUser(user: AuthenticatedUser): Promise<MeDto> {
    const [member, identity, twoFactorEnabled] = await Promise.all([
      this.members.get(user.id),
      this.dataSource
        .getRepository(Identity)
        .findOne({ select: { id: true, emailVerifiedAt: true }, where: { id: user.identityId } }),
      this.secondFactors.isEnabled(user.identityId),
    ]);
    return {
      kind: 'user',
      user: { ...member, emailVerified: Boolean(identity?.emailVerifiedAt), twoFactorEnabled },
      tenant: this.tenant(),
    };
  }
}
