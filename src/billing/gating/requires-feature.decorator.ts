import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { BILLING_ERRORS } from '../billing.errors';
import type { Feature } from '../plans/plan-catalogue';

export const REQUIRED_FEATURE = Symbol('REQUIRED_FEATURE');

/** The route needs a plan with this feature: 402 FEATURE_NOT_IN_PLAN otherwise. */
export const RequiresFeature = (feature: Feature): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(REQUIRED_FEATURE, feature), ApiErrors(BILLING_ERRORS.FEATURE_NOT_IN_PLAN));
