import { Controller, type ExecutionContext, Get, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { TooManyRequestsException } from '../common/errors/app.exception';
import { type AppConfig, loadAppConfig } from '../config';
import { RateLimitUnavailableException } from './rate-limit.errors';
import { RateLimitGuard } from './rate-limit.guard';
import { rateLimitOptions } from './rate-limit.throttlers';
import { RateLimitStoreError, type ThrottlerStorageRecord } from './redis-throttler.storage';

@Controller('projects')
class ProjectsLikeController {
  @Get()
  list(): void {}
}

function httpContext(headers: Record<string, string | number>): ExecutionContext {
  const request = { method: 'GET', ip: '127.0.0.1', headers: {} };
  const response = { header: (name: string, value: string | number) => void (headers[name] = value) };
  return {
    getType: () => 'http',
    getClass: () => ProjectsLikeController,
    getHandler: () => ProjectsLikeController.prototype.list,
    switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }),
  } as unknown as ExecutionContext;
}

/** The guard over the given store, for a request of a user of tenant-1 or an anonymous one. */
async function guardWith(
  increment: ThrottlerStorage['increment'],
  failMode: 'open' | 'closed',
  caller: 'user' | 'anonymous' = 'user',
): Promise<RateLimitGuard> {
  const config: AppConfig = loadAppConfig({
    RATE_LIMIT_FAIL_MODE: failMode,
    RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: '7',
  });
  const options = rateLimitOptions(
    config.rateLimit,
    {
      authenticatedTenantId: () => (caller === 'user' ? 'tenant-1' : undefined),
      requestsPerMinute: () => 50,
    },
    undefined,
  );
  const guard = new RateLimitGuard(options, { increment }, new Reflector(), config);
  await guard.onModuleInit();
  return guard;
}

const record = (totalHits: number, isBlocked = false): ThrottlerStorageRecord => ({
  totalHits,
  timeToExpire: 42,
  isBlocked,
  timeToBlockExpire: isBlocked ? 42 : 0,
});

describe('RateLimitGuard', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it("counts a user's request against its tenant's key alone and sets the X-RateLimit headers", async () => {
    const increment = jest.fn<
      ReturnType<ThrottlerStorage['increment']>,
      Parameters<ThrottlerStorage['increment']>
    >(() => Promise.resolve(record(8)));
    const headers: Record<string, string | number> = {};
    await expect((await guardWith(increment, 'open')).canActivate(httpContext(headers))).resolves.toBe(true);
    expect(increment).toHaveBeenCalledTimes(1);
    expect(increment).toHaveBeenCalledWith('tenant:tenant-1', 60_000, 50, 0, 'default');
    expect(headers).toEqual({
      'X-RateLimit-Limit': 50,
      'X-RateLimit-Remaining': 42,
      'X-RateLimit-Reset': 42,
    });
  });

  it('refuses past the limit with 429 RATE_LIMITED and Retry-After at the end of the window', async () => {
    const guard = await guardWith(() => Promise.resolve(record(51, true)), 'open');
    const headers: Record<string, string | number> = {};
    const refusal = await guard.canActivate(httpContext(headers)).catch((error: unknown) => error);
    expect(headers).toMatchObject({
      'X-RateLimit-Limit': 50,
      'X-RateLimit-Remaining': 0,
      'X-RateLimit-Reset': 42,
    });
    expect(refusal).toBeInstanceOf(TooManyRequestsException);
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', headers: { 'Retry-After': '42' } });
    expect((refusal as Error).message).toMatch(/50 requests per minute/);
  });

  it('counts an anonymous request against its client IP and route, showing no tenant budget', async () => {
    const increment = jest.fn<
      ReturnType<ThrottlerStorage['increment']>,
      Parameters<ThrottlerStorage['increment']>
    >(() => Promise.resolve(record(3)));
    const headers: Record<string, string | number> = {};
    const guard = await guardWith(increment, 'open', 'anonymous');
    await expect(guard.canActivate(httpContext(headers))).resolves.toBe(true);
    expect(increment).toHaveBeenCalledTimes(1);
    expect(increment).toHaveBeenCalledWith('127.0.0.1:ProjectsLikeController.list', 60_000, 7, 0, 'ip');
    expect(headers).toEqual({});
  });

  it('refuses an anonymous client past its limit with 429 RATE_LIMITED and Retry-After only', async () => {
    const guard = await guardWith(() => Promise.resolve(record(8, true)), 'open', 'anonymous');
    const headers: Record<string, string | number> = {};
    const refusal = await guard.canActivate(httpContext(headers)).catch((error: unknown) => error);
    expect(headers).toEqual({});
    expect(refusal).toBeInstanceOf(TooManyRequestsException);
    expect(refusal).toMatchObject({ code: 'RATE_LIMITED', headers: { 'Retry-After': '42' } });
    expect((refusal as Error).message).toMatch(/from this address to this route \(7 per minute\)/);
  });

  it('serves without a limit when the store fails and the fail mode is open, warning once', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const guard = await guardWith(
      () => Promise.reject(new RateLimitStoreError('connection refused')),
      'open',
    );
    const headers: Record<string, string | number> = {};
    for (let i = 0; i < 5; i++) await expect(guard.canActivate(httpContext(headers))).resolves.toBe(true);
    expect(headers).toEqual({});
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(/connection refused.*RATE_LIMIT_FAIL_MODE=open/);
  });

  it('answers 503 RATE_LIMIT_UNAVAILABLE when the store fails and the fail mode is closed', async () => {
    const guard = await guardWith(() => Promise.reject(new RateLimitStoreError('timed out')), 'closed');
    await expect(guard.canActivate(httpContext({}))).rejects.toBeInstanceOf(RateLimitUnavailableException);
  });

  it('lets other errors through untouched', async () => {
    const guard = await guardWith(() => Promise.reject(new TypeError('a bug')), 'open');
    await expect(guard.canActivate(httpContext({}))).rejects.toThrow(TypeError);
  });
});
