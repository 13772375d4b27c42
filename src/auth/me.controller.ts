import { Get, Injectable } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { type AuthenticatedUser, CurrentUser } from '../common/access/access.decorators';
import { CurrentPlan } from '../billing/plans/current-plan';
import { FEATURES, type Feature } from '../billing/plans/plan-catalogue';
import { PlanLimitsDto } from '../billing/plans/plans.controller';
import { MembersService } from '../members/members.service';
import { MemberDto } from '../members/dto/member.dto';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantController } from '../tenancy/tenant-controller.decorator';
import { TenantSummaryDto } from './dto/signup.dto';

class MeTenantDto extends TenantSummaryDto {
  @ApiProperty({ enum: FEATURES, isArray: true })
  features!: Feature[];

  @ApiProperty({ type: PlanLimitsDto })
  limits!: PlanLimitsDto;
}

export class MeDto {
  @ApiProperty({ type: MemberDto })
  user!: MemberDto;

  @ApiProperty({ type: MeTenantDto })
  tenant!: MeTenantDto;
}

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

@ApiTags('auth')
@TenantController('me')
export class MeController {
  constructor(private readonly me: MeService) {}

  @Get()
  @ApiOperation({ summary: 'The signed-in user and their tenant, with its plan features and limits' })
  @ApiOkResponse({ type: MeDto })
  describe(@CurrentUser() user: AuthenticatedUser): Promise<MeDto> {
    return this.me.describe(user);
  }
}
