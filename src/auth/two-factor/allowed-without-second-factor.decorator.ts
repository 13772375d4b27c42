import { type ExecutionContext, SetMetadata, type Type } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';

const ALLOWED_WITHOUT_SECOND_FACTOR = Symbol('ALLOWED_WITHOUT_SECOND_FACTOR');

/**
 * The route stays open to a member without a second factor where the tenant requires one: enrolment,
 * /me and sign-out, so that they can see why and turn it on.
 */
export const AllowedWithoutSecondFactor = (): ClassDecorator & MethodDecorator =>
  SetMetadata(ALLOWED_WITHOUT_SECOND_FACTOR, true);

export function isAllowedWithoutSecondFactor(reflector: Reflector, context: ExecutionContext): boolean {
  return isHandlerAllowedWithoutSecondFactor(reflector, context.getHandler(), context.getClass());
}

export function isHandlerAllowedWithoutSecondFactor(
  reflector: Reflector,
  handler: ReturnType<ExecutionContext['getHandler']>,
  controller: Type,
): boolean {
  return (
    reflector.getAllAndOverride<boolean | undefined>(ALLOWED_WITHOUT_SECOND_FACTOR, [handler, controller]) ===
    true
  );
}
