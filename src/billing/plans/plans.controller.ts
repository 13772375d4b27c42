import { Get, Controller } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/access/access.decorators';
import { FEATURES, PlanCatalogue, type Feature } from './plan-catalogue';

export class PlanLimitsDto {
  @ApiProperty({ type: 'integer', minimum: 0, example: 3 })
  projects!: number;

  @ApiProperty({ type: 'integer', minimum: 1, example: 3 })
  members!: number;

  @ApiProperty({ type: 'integer', minimum: 1, example: 60 })
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
