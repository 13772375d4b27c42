import { Get, Controller } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/access/access.decorators';
import { FEATURES, PlanCatalogue, type Feature } from './plan-catalogue';

/** The core limits; plan-limit-registry.ts adds a property for each limit a feature module registers. */
export class PlanLimitsDto {
  @ApiProperty()
  members!: number;

  @ApiProperty()
  requestsPerMinute!: number;
}

export class PlanDto {
  @ApiProperty({ example: 'pro' })
  id!: string;

  @ApiProperty({ example: 'Pro' })
  name!: string;

  @ApiProperty({ enum: FEATURES, isArray: true })
  features!: Feature[];

  @ApiProperty({ type: PlanLimitsDto })
  limits!: PlanLimitsDto;
}

@ApiTags('plans')
@Public()
@Controller('plans')
export class PlansController {
  constructor(private readonly catalogue: PlanCatalogue) {}

  @Get()
  @ApiOperation({ summary: 'The plans a tenant can be on' })
  @ApiOkResponse({ type: [PlanDto] })
  list(): PlanDto[] {
    return this.catalogue.plans.map(({ id, name, features, limits }) => ({ id, name, features, limits }));
  }
}
