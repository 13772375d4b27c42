import { Get, Controller } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../../common/access/access.decorators';
import { PlanDto } from './dto/plan.dto';
import { PlanCatalogue } from './plan-catalogue';

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
