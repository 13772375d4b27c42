import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FeatureNotInPlanException } from '../billing.errors';
import { CurrentPlan } from '../plans/current-plan';
import type { Feature } from '../plans/plan-catalogue';
import { REQUIRED_FEATURE } from './requires-feature.decorator';

/** Global guard, after authentication: reads the plan cached with the tenant, so it costs no query. */
@Injectable()
export class FeatureGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly currentPlan: CurrentPlan,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const feature = this.reflector.getAllAndOverride<Feature | undefined>(REQUIRED_FEATURE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!feature || this.currentPlan.plan.features.includes(feature)) return true;
    throw new FeatureNotInPlanException(feature);
  }
}
