import { ApiProperty } from '@nestjs/swagger';
import { FEATURES, type Feature } from '../plan-catalogue';

/** The core limits; plan-limit-registry.ts adds a property for each limit a feature module registers. */
export class PlanLimitsDto {
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
