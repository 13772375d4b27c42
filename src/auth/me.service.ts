import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { AuthenticatedUser } from '../common/access/access.decorators';
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

  async describe(user: AuthenticatedUser): Promise<MeDto> {
    const { id, slug, name, status } = this.tenantContext.tenant;
    const { id: plan, features, limits } = this.currentPlan.plan;
    const [member, identity, twoFactorEnabled] = await Promise.all([
      this.members.get(user.id),
      this.dataSource
        .getRepository(Identity)
        .findOne({ select: { id: true, emailVerifiedAt: true }, where: { id: user.identityId } }),
      this.secondFactors.isEnabled(user.identityId),
    ]);
    return {
      user: { ...member, emailVerified: Boolean(identity?.emailVerifiedAt), twoFactorEnabled },
      tenant: { id, slug, name, plan, status, features, limits },
    };
  }
}
