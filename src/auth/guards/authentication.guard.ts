import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ClsService } from 'nestjs-cls';
import {
  AUTHENTICATED_USER,
  type AuthenticatedUser,
  isPublicRoute,
} from '../../common/access/access.decorators';
import { AppException } from '../../common/errors/app.exception';
import { UnauthorizedException } from '../auth.errors';

/** CLS key of the 401 that a missing or rejected access token earns on a route that needs one. */
export const ACCESS_TOKEN_REJECTION = 'accessTokenRejection';

function rejectionOf(error: unknown, info: unknown): AppException {
  if (error instanceof AppException) return error;
  const expired = info instanceof Error && info.name === 'TokenExpiredError';
  return new UnauthorizedException(expired ? 'The access token has expired' : undefined);
}

/**
 * Tells who is calling before anything refuses the request: a valid bearer token (checked by the JWT
 * strategy) puts its user in CLS; a missing or bad one leaves the request anonymous and keeps its 401
 * for AccessTokenGuard. It never refuses, so the rate limit after it sees anonymous requests too.
 * Public routes are anonymous whatever token they carry.
 */
@Injectable()
export class AuthenticationGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly cls: ClsService,
  ) {
    super();
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!isPublicRoute(this.reflector, context)) await super.canActivate(context);
    return true;
  }

  override handleRequest<TUser = AuthenticatedUser>(
    error: unknown,
    user: TUser | false,
    info: unknown,
  ): TUser {
    if (!error && user) {
      this.cls.set(AUTHENTICATED_USER, user);
      return user;
    }
    this.cls.set(ACCESS_TOKEN_REJECTION, rejectionOf(error, info));
    // No user: passport leaves request.user empty and the request goes on, anonymous.
    return undefined as TUser;
  }
}
