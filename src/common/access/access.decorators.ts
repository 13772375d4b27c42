import {
  applyDecorators,
  createParamDecorator,
  type ExecutionContext,
  SetMetadata,
  type Type,
} from '@nestjs/common';
import type { Reflector } from '@nestjs/core';
import { ClsServiceManager } from 'nestjs-cls';
import { ApiErrors } from '../errors/api-errors.decorator';
import { HTTP_ERRORS } from '../errors/common.errors';

export type Role = 'owner' | 'admin' | 'member';
export const ROLES: readonly Role[] = ['owner', 'admin', 'member'];

/** The user an access token stands for, once the guard has checked it against the tenant. */
export interface AuthenticatedUser {
  /** The membership: this person in this tenant. */
  id: string;
  /** The person, across every tenant they belong to. */
  identityId: string;
  tenantId: string;
  role: Role;
  /** The session the access token belongs to. */
  sessionId: string;
}

/** The API key a request carries, once the guard has checked it against the tenant. It has no role. */
export interface AuthenticatedApiKey {
  id: string;
  name: string;
  /** The key's visible part, e.g. `stk_1a2b3c4d5e6f`. */
  prefix: string;
  tenantId: string;
  /** `<resource>:read|write`, as resource modules register them. */
  scopes: readonly string[];
}

/** Who is calling: a signed-in user (access token) or an API key. */
export type AuthenticatedCaller =
  { kind: 'user'; user: AuthenticatedUser } | { kind: 'apiKey'; apiKey: AuthenticatedApiKey };

export const PUBLIC_ROUTE = Symbol('PUBLIC_ROUTE');
export const REQUIRED_ROLES = Symbol('REQUIRED_ROLES');
export const AUTHENTICATED_USER = 'authenticatedUser';
export const AUTHENTICATED_API_KEY = 'authenticatedApiKey';

/** Every route needs an access token unless marked public. */
export const Public = (): ClassDecorator & MethodDecorator => SetMetadata(PUBLIC_ROUTE, true);

export function isPublicRoute(reflector: Reflector, context: ExecutionContext): boolean {
  return isPublicHandler(reflector, context.getHandler(), context.getClass());
}

export function isPublicHandler(
  reflector: Reflector,
  handler: ReturnType<ExecutionContext['getHandler']>,
  controller: Type,
): boolean {
  return reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [handler, controller]) === true;
}

/** Only these roles may call the route (403 FORBIDDEN otherwise). */
export const Roles = (...roles: Role[]): ClassDecorator & MethodDecorator =>
  applyDecorators(SetMetadata(REQUIRED_ROLES, roles), ApiErrors(HTTP_ERRORS.FORBIDDEN));

export function currentUser(): AuthenticatedUser | undefined {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? cls.get<AuthenticatedUser | undefined>(AUTHENTICATED_USER) : undefined;
}

/** The API key of the request; a user, never. */
export function currentApiKey(): AuthenticatedApiKey | undefined {
  const cls = ClsServiceManager.getClsService();
  return cls.isActive() ? cls.get<AuthenticatedApiKey | undefined>(AUTHENTICATED_API_KEY) : undefined;
}

/** The user or the API key of the request; undefined when it is anonymous. */
export function currentCaller(): AuthenticatedCaller | undefined {
  const user = currentUser();
  if (user) return { kind: 'user', user };
  const apiKey = currentApiKey();
  return apiKey && { kind: 'apiKey', apiKey };
}

/** The user or API key of the request: `handler(@CurrentCaller() caller: AuthenticatedCaller)`. */
export const CurrentCaller = createParamDecorator((): AuthenticatedCaller => {
  const caller = currentCaller();
  if (!caller) throw new Error('@CurrentCaller() used on a route without authentication');
  return caller;
});

/** The authenticated user of the request: `handler(@CurrentUser() user: AuthenticatedUser)`. */
export const CurrentUser = createParamDecorator((): AuthenticatedUser => {
  const user = currentUser();
  if (!user) throw new Error('@CurrentUser() used on a route without authentication');
  return user;
});
