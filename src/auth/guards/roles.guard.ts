import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { currentUser, REQUIRED_ROLES, type Role } from '../../common/access/access.decorators';
import { AppException } from '../../common/errors/app.exception';
import { HTTP_ERRORS } from '../../common/errors/common.errors';

@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(REQUIRED_ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles) return true;
    const user = currentUser();
    if (user && roles.includes(user.role)) return true;
    throw new AppException(HTTP_ERRORS.FORBIDDEN, `This needs the role ${roles.join(' or ')}`);
  }
}
