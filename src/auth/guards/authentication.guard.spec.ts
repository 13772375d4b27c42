import { Controller, type ExecutionContext, Get, HttpStatus } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ClsServiceManager } from 'nestjs-cls';
import type { ApiKeyAuthenticator } from '../../api-keys/api-key-authenticator';
import {
  AUTHENTICATED_USER,
  type AuthenticatedApiKey,
  currentApiKey,
  currentUser,
  Public,
} from '../../common/access/access.decorators';
import { AppException } from '../../common/errors/app.exception';
import { UnauthorizedException } from '../auth.errors';
import { ACCESS_TOKEN_REJECTION, AuthenticationGuard } from './authentication.guard';

@Controller('things')
class ThingsController {
  @Get()
  list(): void {}

  @Public()
  @Get('public')
  open(): void {}
}

function contextFor(handler: 'list' | 'open', headers: Record<string, string> = {}): ExecutionContext {
  return {
    getType: () => 'http',
    getClass: () => ThingsController,
    getHandler: () => ThingsController.prototype[handler],
    switchToHttp: () => ({ getRequest: () => ({ headers }), getResponse: () => ({}) }),
  } as unknown as ExecutionContext;
}

const apiKey: AuthenticatedApiKey = {
  id: 'key-1',
  name: 'CI',
  prefix: 'stk_0123456789ab',
  tenantId: 'tenant-1',
  scopes: ['projects:read'],
};
const API_KEY = `stk_0123456789ab_${'A'.repeat(43)}`;

const user = { id: 'user-1', tenantId: 'tenant-1', role: 'member' };

describe('AuthenticationGuard', () => {
  const cls = ClsServiceManager.getClsService();
  const authenticate = jest.fn<Promise<AuthenticatedApiKey>, [string]>();
  const guard = new AuthenticationGuard(new Reflector(), cls, {
    authenticate,
  } as unknown as ApiKeyAuthenticator);
  const rejection = () => cls.get<AppException | undefined>(ACCESS_TOKEN_REJECTION);

  it('records the user of a valid token', () => {
    cls.run(() => {
      expect(guard.handleRequest(null, user, undefined)).toBe(user);
      expect(currentUser()).toBe(user);
      expect(rejection()).toBeUndefined();
    });
  });

  it('leaves a request with a bad token anonymous, keeping the 401 it earns, without refusing it', () => {
    cls.run(() => {
      // What passport-jwt passes for an expired token: jsonwebtoken's TokenExpiredError.
      const expired = Object.assign(new Error('jwt expired'), { name: 'TokenExpiredError' });
      expect(guard.handleRequest(null, false, expired)).toBeUndefined();
      expect(currentUser()).toBeUndefined();
      expect(rejection()).toMatchObject({ code: 'UNAUTHORIZED', message: 'The access token has expired' });
    });
    cls.run(() => {
      guard.handleRequest(new UnauthorizedException('The access token belongs to another tenant'), false, {});
      expect(rejection()?.message).toBe('The access token belongs to another tenant');
    });
    cls.run(() => {
      guard.handleRequest(null, false, new Error('No auth token'));
      expect(rejection()).toMatchObject({
        status: HttpStatus.UNAUTHORIZED,
        message: 'A valid access token is required',
      });
    });
  });

  it('keeps the generic 401 for an error that is not an app error, as before the split', () => {
    cls.run(() => {
      guard.handleRequest(new Error('connection terminated'), false, undefined);
      expect(rejection()).toBeInstanceOf(UnauthorizedException);
      expect(rejection()?.message).toBe('A valid access token is required');
    });
  });

  it('checks a token with the API key prefix as an API key, never as an access token', async () => {
    authenticate.mockResolvedValueOnce(apiKey);
    await cls.run(async () => {
      await expect(
        guard.canActivate(contextFor('list', { authorization: `Bearer ${API_KEY}` })),
      ).resolves.toBe(true);
      expect(authenticate).toHaveBeenLastCalledWith(API_KEY);
      expect(currentApiKey()).toBe(apiKey);
      expect(currentUser()).toBeUndefined();
      expect(rejection()).toBeUndefined();
    });
  });

  it('leaves a request with a refused API key anonymous, keeping its 401', async () => {
    authenticate.mockRejectedValueOnce(new UnauthorizedException('The API key is unknown'));
    await cls.run(async () => {
      await expect(
        guard.canActivate(contextFor('list', { authorization: `Bearer ${API_KEY}` })),
      ).resolves.toBe(true);
      expect(currentApiKey()).toBeUndefined();
      expect(rejection()?.message).toBe('The API key is unknown');
    });
  });

  it('does not look at tokens on public routes', async () => {
    authenticate.mockClear();
    await cls.run(async () => {
      await expect(
        guard.canActivate(contextFor('open', { authorization: `Bearer ${API_KEY}` })),
      ).resolves.toBe(true);
      expect(authenticate).not.toHaveBeenCalled();
      expect(cls.get(AUTHENTICATED_USER)).toBeUndefined();
      expect(rejection()).toBeUndefined();
    });
  });
});
