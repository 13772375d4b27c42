import { SetMetadata } from '@nestjs/common';
import type { Feature } from '../plans/plan-catalogue';

export const REQUIRED_FEATURE = Symbol('REQUIRED_FEATURE');

/** The route needs a plan with this feature: 402 FEATURE_NOT_IN_PLAN otherwise. */
export const RequiresFeature = (feature: Feature): ClassDecorator & MethodDecorator =>
  SetMetadata(REQUIRED_FEATURE, feature);
