import { applyDecorators, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ApiErrors } from '../common/errors/api-errors.decorator';
import type { ResourceScopes } from './api-key-scopes';
import { API_KEY_ERRORS } from './api-keys.errors';

const API_KEY_RESOURCE = Symbol('API_KEY_RESOURCE');
const OPEN_TO_ANY_API_KEY = Symbol('OPEN_TO_ANY_API_KEY');

/**
 * The routes (of a controller, or one handler) are the resource's: API keys with its scope may call
 * them (GET and HEAD need `:read`, other methods `:write`). Any route without it refuses every key.
 */
export const ApiKeyScoped = (resource: ResourceScopes): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(API_KEY_RESOURCE, resource), ApiErrors(API_KEY_ERRORS.INSUFFICIENT_SCOPE));

/** Any API key of the tenant may call the route whatever its scopes: only for `GET /me`. */
export const OpenToAnyApiKey = (): MethodDecorator => SetMetadata(OPEN_TO_ANY_API_KEY, true);

export function apiKeyResourceOf(
  reflector: Reflector,
  context: ExecutionContext,
): ResourceScopes | undefined {
  return reflector.getAllAndOverride<ResourceScopes | undefined>(API_KEY_RESOURCE, [
    context.getHandler(),
    context.getClass(),
  ]);
}

export function isOpenToAnyApiKey(reflector: Reflector, context: ExecutionContext): boolean {
  return reflector.get<boolean | undefined>(OPEN_TO_ANY_API_KEY, context.getHandler()) === true;
}
