import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { currentApiKey } from '../common/access/access.decorators';
import { apiKeyResourceOf, isOpenToAnyApiKey } from './api-key-scoped.decorator';
import { requiredScopeFor } from './api-key-scopes';
import { InsufficientScopeException } from './api-keys.errors';

/**
 * Global guard, after the 401: deny by default for API keys. A key may call a route of a resource
 * marked `@ApiKeyScoped()` when it has the scope the method needs, and `@OpenToAnyApiKey()` routes;
 * every other route (members, billing, API keys, sessions, 2FA, …) is 403 INSUFFICIENT_SCOPE for it.
 * Users pass untouched; roles are RolesGuard's, and a key has none, so roles-only routes refuse it too.
 */
@Injectable()
export class ApiKeyScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const apiKey = currentApiKey();
    if (!apiKey || isOpenToAnyApiKey(this.reflector, context)) return true;
    const resource = apiKeyResourceOf(this.reflector, context);
    if (!resource) throw new InsufficientScopeException(null);
    const { method } = context.switchToHttp().getRequest<{ method: string }>();
    const required = requiredScopeFor(resource, method);
    if (apiKey.scopes.includes(required)) return true;
    throw new InsufficientScopeException(required);
  }
}
