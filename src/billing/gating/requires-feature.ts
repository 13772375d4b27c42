import {
  applyDecorators,
  type CanActivate,
  type ExecutionContext,
  Injectable,
  SetMetadata,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { BILLING_ERRORS, FeatureNotInPlanException } from '../billing.errors';
import { CurrentPlan } from '../plans/current-plan';
import type { Feature } from '../plans/plan-catalogue';

const REQUIRED_FEATURE = Symbol('REQUIRED_FEATURE');

/** The route needs a plan with this feature: 402 FEATURE_NOT_IN_PLAN otherwise. */
export const RequiresFeature = (feature: Feature): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(REQUIRED_FEATURE, feature), ApiErrors(BILLING_ERRORS.FEATURE_NOT_IN_PLAN));

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
