import { Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '../common/access/access.decorators';
import { CurrentPlan } from '../billing/plans/current-plan';
import { MembersService } from '../members/members.service';
import { TenantContext } from '../tenancy/tenant-context';
import type { MeDto } from './dto/me.dto';

@Injectable()
export class MeService {
  constructor(
    private readonly members: MembersService,
    private readonly tenantContext: TenantContext,
    private readonly currentPlan: CurrentPlan,
  ) {}

  async describe(user: AuthenticatedUser): Promise<MeDto> {
    const { id, slug, name, status } = this.tenantContext.tenant;
    const { id: plan, features, limits } = this.currentPlan.plan;
    return {
      user: await this.members.get(user.id),
      tenant: { id, slug, name, plan, status, features, limits },
    };
  }
}
