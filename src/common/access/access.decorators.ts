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

export const PUBLIC_ROUTE = Symbol('PUBLIC_ROUTE');
export const REQUIRED_ROLES = Symbol('REQUIRED_ROLES');
export const AUTHENTICATED_USER = 'authenticatedUser';

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

/** The authenticated user of the request: `handler(@CurrentUser() user: AuthenticatedUser)`. */
export const CurrentUser = createParamDecorator((): AuthenticatedUser => {
  const user = currentUser();
  if (!user) throw new Error('@CurrentUser() used on a route without authentication');
  return user;
});
