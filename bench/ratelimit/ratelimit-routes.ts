import { Get } from '@nestjs/common';
import { Public } from '../../src/common/access/access.decorators';
import { TenantController } from '../../src/tenancy/tenant-controller.decorator';

/**
 * A tenant route that does nothing else: tenant resolution, the guards (the limiter among them) and
 * a constant answer. Against it, the limiter's cost is the largest share a route can show.
 */
@Public()
@TenantController('bench/ratelimit-ping')
export class RateLimitPingController {
  @Get()
  ping(): { ok: true } {
    return { ok: true };
  }
}
