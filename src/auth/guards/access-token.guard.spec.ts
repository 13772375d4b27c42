import { Controller, type ExecutionContext, Get } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClsServiceManager } from 'nestjs-cls';
import { AUTHENTICATED_USER, Public } from '../../common/access/access.decorators';
import { UnauthorizedException } from '../auth.errors';
import { AccessTokenGuard } from './access-token.guard';
import { ACCESS_TOKEN_REJECTION } from './authentication.guard';

@Controller('things')
class ThingsController {
  @Get()
  list(): void {}

  @Public()
  @Get('public')
  open(): void {}
}

function contextFor(handler: 'list' | 'open'): ExecutionContext {
  return {
    getClass: () => ThingsController,
    getHandler: () => ThingsController.prototype[handler],
  } as unknown as ExecutionContext;
}

describe('AccessTokenGuard', () => {
  const cls = ClsServiceManager.getClsService();
  const guard = new AccessTokenGuard(new Reflector(), cls);

  it('lets an authenticated user through', () => {
    cls.run(() => {
      cls.set(AUTHENTICATED_USER, { id: 'user-1', tenantId: 'tenant-1', role: 'member' });
      expect(guard.canActivate(contextFor('list'))).toBe(true);
    });
  });

  it('answers an anonymous request with the 401 its token earned, or the generic one', () => {
    cls.run(() => {
      cls.set(ACCESS_TOKEN_REJECTION, new UnauthorizedException('The access token has expired'));
      expect(() => guard.canActivate(contextFor('list'))).toThrow('The access token has expired');
    });
    cls.run(() => {
      expect(() => guard.canActivate(contextFor('list'))).toThrow(UnauthorizedException);
    });
  });

  it('lets anyone call a public route', () => {
    cls.run(() => expect(guard.canActivate(contextFor('open'))).toBe(true));
  });
});
