import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../common/access/access.decorators';
import { CurrentPlan } from '../billing/plans/current-plan';
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
    private readonly secondFactors: SecondFactors,
  ) {}

  async describe(user: AuthenticatedUser): Promise<MeDto> {
    const { id, slug, name, status } = this.tenantContext.tenant;
    const { id: plan, features, limits } = this.currentPlan.plan;
    const [member, twoFactorEnabled] = await Promise.all([
      this.members.get(user.id),
      this.secondFactors.isEnabled(user.identityId),
    ]);
    return {
      user: { ...member, twoFactorEnabled },
      tenant: { id, slug, name, plan, status, features, limits },
    };
  }
}
