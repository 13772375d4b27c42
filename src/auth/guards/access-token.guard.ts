import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClsService } from 'nestjs-cls';
import { currentCaller, isPublicRoute } from '../../common/access/access.decorators';
import type { AppException } from '../../common/errors/app.exception';
import { UnauthorizedException } from '../auth.errors';
import { ACCESS_TOKEN_REJECTION } from './authentication.guard';

/**
 * Every route needs a valid access token or API key unless it is marked `@Public()`.
 * AuthenticationGuard has checked the token already; this answers its 401 (expired, another
 * tenant's, …) once the request has been rate-limited.
 */
@Injectable()
export class AccessTokenGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly cls: ClsService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (isPublicRoute(this.reflector, context) || currentCaller()) return true;
    throw this.cls.get<AppException | undefined>(ACCESS_TOKEN_REJECTION) ?? new UnauthorizedException();
  }
}
