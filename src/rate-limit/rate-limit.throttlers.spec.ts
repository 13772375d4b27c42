import { Controller, Get, type ExecutionContext, Post } from '@nestjs/common';
import { Public } from '../common/access/access.decorators';
import type { RateLimitConfig } from '../config';
import {
  CLIENT_IP_THROTTLER,
  isExemptFromClientIpLimit,
  RATE_LIMIT_WINDOW_MS,
  rateLimitOptions,
  TENANT_THROTTLER,
} from './rate-limit.throttlers';

@Controller('auth')
class AuthLikeController {
  @Public()
  @Post('login')
  login(): void {}

  @Post('logout')
  logout(): void {}

  @Public()
  @Get('status')
  status(): void {}
}

@Public()
@Controller('billing/webhook')
class WebhookLikeController {
  @Post()
  receive(): void {}
}

@Public()
@Controller('signup')
class SignupLikeController {
  @Post()
  signUp(): void {}
}

@Public()
@Controller('health')
class HealthLikeController {
  @Get('live')
  live(): void {}
}

function contextFor(controller: object, handler: string, method: string): ExecutionContext {
  const classRef = controller.constructor;
  return {
    getType: () => 'http',
    getClass: () => classRef,
    getHandler: () => (classRef.prototype as Record<string, unknown>)[handler],
    switchToHttp: () => ({ getRequest: () => ({ method }) }),
  } as unknown as ExecutionContext;
}

describe('isExemptFromClientIpLimit', () => {
  it('holds for the Stripe webhook and the health probes', () => {
    expect(isExemptFromClientIpLimit(contextFor(new WebhookLikeController(), 'receive', 'POST'))).toBe(true);
    expect(isExemptFromClientIpLimit(contextFor(new HealthLikeController(), 'live', 'GET'))).toBe(true);
  });

  it('does not hold for any other route, public or not, write or read', () => {
    expect(isExemptFromClientIpLimit(contextFor(new AuthLikeController(), 'login', 'POST'))).toBe(false);
    expect(isExemptFromClientIpLimit(contextFor(new SignupLikeController(), 'signUp', 'POST'))).toBe(false);
    expect(isExemptFromClientIpLimit(contextFor(new AuthLikeController(), 'logout', 'POST'))).toBe(false);
    expect(isExemptFromClientIpLimit(contextFor(new AuthLikeController(), 'status', 'GET'))).toBe(false);
  });
});

describe('rateLimitOptions', () => {
  const config: RateLimitConfig = {
    enabled: true,
    failMode: 'open',
    publicPerIpPerMinute: 7,
    storeTimeoutMs: 500,
  };
  let tenantId: string | undefined;
  const options = rateLimitOptions(
    config,
    { authenticatedTenantId: () => tenantId, requestsPerMinute: () => 50 },
    undefined,
  );
  const throttlers = Array.isArray(options) ? options : options.throttlers;
  const [tenant, ip] = throttlers;
  const context = contextFor(new AuthLikeController(), 'login', 'POST');

  it('gives each tenant one budget over all its routes, at its plan limit, in one-minute windows', async () => {
    tenantId = 'b7f1c1de-0000-4000-8000-000000000001';
    expect(tenant).toMatchObject({ name: TENANT_THROTTLER, ttl: RATE_LIMIT_WINDOW_MS, blockDuration: 0 });
    expect(RATE_LIMIT_WINDOW_MS).toBe(60_000);
    expect(typeof tenant.limit === 'function' && (await tenant.limit(context))).toBe(50);
    expect(tenant.skipIf?.(context)).toBe(false);
    const tracker = await tenant.getTracker!({}, context);
    expect(tracker).toBe(tenantId);
    const other = contextFor(new AuthLikeController(), 'status', 'GET');
    expect(tenant.generateKey!(context, tracker, TENANT_THROTTLER)).toBe(`tenant:${tenantId}`);
    expect(tenant.generateKey!(other, tracker, TENANT_THROTTLER)).toBe(`tenant:${tenantId}`);
  });

  it('limits no authenticated request per client IP', () => {
    tenantId = 'b7f1c1de-0000-4000-8000-000000000001';
    expect(ip.skipIf?.(context)).toBe(true);
    expect(ip.skipIf?.(contextFor(new AuthLikeController(), 'logout', 'POST'))).toBe(true);
  });

  it('never spends a tenant budget on an anonymous request', () => {
    tenantId = undefined;
    expect(tenant.skipIf?.(context)).toBe(true);
    expect(tenant.skipIf?.(contextFor(new AuthLikeController(), 'logout', 'POST'))).toBe(true);
  });

  it('limits every anonymous request per client IP and route, without headers of its own', () => {
    tenantId = undefined;
    expect(ip).toMatchObject({ name: CLIENT_IP_THROTTLER, limit: 7, setHeaders: false, blockDuration: 0 });
    expect(ip.skipIf?.(context)).toBe(false);
    expect(ip.skipIf?.(contextFor(new AuthLikeController(), 'logout', 'POST'))).toBe(false);
    expect(ip.skipIf?.(contextFor(new AuthLikeController(), 'status', 'GET'))).toBe(false);
    expect(ip.skipIf?.(contextFor(new WebhookLikeController(), 'receive', 'POST'))).toBe(true);
    expect(ip.generateKey!(context, '203.0.113.9', CLIENT_IP_THROTTLER)).toBe(
      '203.0.113.9:AuthLikeController.login',
    );
  });
});
