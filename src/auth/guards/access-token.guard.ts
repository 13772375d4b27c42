import { type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { ClsService } from 'nestjs-cls';
import {
  AUTHENTICATED_USER,
  type AuthenticatedUser,
  PUBLIC_ROUTE,
} from '../../common/access/access.decorators';
import { AppException } from '../../common/errors/app.exception';
import { UnauthorizedException } from '../auth.errors';

/** Every route needs a valid access token unless it is marked `@Public()`. */
@Injectable()
export class AccessTokenGuard extends AuthGuard('jwt') {
  constructor(
    private readonly reflector: Reflector,
    private readonly cls: ClsService,
  ) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    return isPublic ? true : super.canActivate(context);
  }

  override handleRequest<TUser = AuthenticatedUser>(
    error: unknown,
    user: TUser | false,
    info: unknown,
  ): TUser {
    if (error instanceof AppException) throw error;
    if (error || !user) {
      const expired = info instanceof Error && info.name === 'TokenExpiredError';
      throw new UnauthorizedException(expired ? 'The access token has expired' : undefined);
    }
    this.cls.set(AUTHENTICATED_USER, user);
    return user;
  }
}
