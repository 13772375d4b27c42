import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { CurrentPlan } from '../../billing/plans/current-plan';
import { currentUser } from '../../common/access/access.decorators';
import { TenantContext } from '../../tenancy/tenant-context';
import { isAllowedWithoutSecondFactor } from './allowed-without-second-factor.decorator';
import { SecondFactors } from './second-factors';
import { MfaEnrolmentRequiredException } from './two-factor.errors';

/**
 * Global guard, after the access token's: where the tenant requires a second factor (its cached row
 * says so, and its plan has `require_2fa`), a signed-in member without one may only use the routes
 * marked `@AllowedWithoutSecondFactor()`. Only those tenants pay the query, one primary-key lookup,
 * made per request so that turning the factor on or off takes effect at once. An API key has no second
 * factor and is not asked for one: only an owner or admin past this guard can create one.
 */
@Injectable()
export class SecondFactorEnrolmentGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tenantContext: TenantContext,
    private readonly currentPlan: CurrentPlan,
    private readonly factors: SecondFactors,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const user = currentUser();
    if (!user || !this.tenantContext.hasTenant || !this.tenantContext.tenant.require2fa) return true;
    if (isAllowedWithoutSecondFactor(this.reflector, context)) return true;
    if (!this.currentPlan.plan.features.includes('require_2fa')) return true;
    if (await this.factors.isEnabled(user.identityId)) return true;
    throw new MfaEnrolmentRequiredException();
  }
}
