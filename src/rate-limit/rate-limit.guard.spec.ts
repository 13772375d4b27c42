import { Controller, type ExecutionContext, Get, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { ThrottlerStorage } from '@nestjs/throttler';
import { TooManyRequestsException } from '../common/errors/app.exception';
import { type AppConfig, loadAppConfig } from '../config';
import { RateLimitGuard, RateLimitUnavailableException } from './rate-limit.guard';
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

async function guardWith(
  increment: ThrottlerStorage['increment'],
  failMode: 'open' | 'closed',
): Promise<RateLimitGuard> {
  const config: AppConfig = loadAppConfig({ RATE_LIMIT_FAIL_MODE: failMode });
  const options = rateLimitOptions(
    config.rateLimit,
    { tenantId: () => 'tenant-1', requestsPerMinute: () => 50 },
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

  it('counts the request against the tenant key and sets the X-RateLimit headers', async () => {
    const increment = jest.fn<
      ReturnType<ThrottlerStorage['increment']>,
      Parameters<ThrottlerStorage['increment']>
    >(() => Promise.resolve(record(8)));
    const headers: Record<string, string | number> = {};
    await expect((await guardWith(increment, 'open')).canActivate(httpContext(headers))).resolves.toBe(true);
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
