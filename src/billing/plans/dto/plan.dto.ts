import { ApiProperty } from '@nestjs/swagger';
import { FEATURES, type Feature } from '../plan-catalogue';

export class PlanLimitsDto {
  @ApiProperty()
  projects!: number;

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
