import type { ExecutionContext } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { ThrottlerModuleOptions, ThrottlerOptions, ThrottlerStorage } from '@nestjs/throttler';
import type { Request } from 'express';
import { PUBLIC_ROUTE } from '../common/access/access.decorators';
import type { RateLimitConfig } from '../config';

/** API.md: fixed one-minute windows. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * The per-tenant throttler. Named `default` because @nestjs/throttler suffixes the headers of every
 * other name (`X-RateLimit-Limit-ip`), and API.md promises plain `X-RateLimit-*` on tenant routes.
 * `@SkipThrottle()` on a route therefore skips the tenant limit.
 */
export const TENANT_THROTTLER = 'default';
/** Unauthenticated writes per client IP; `@SkipThrottle({ ip: true })` exempts a route. */
export const CLIENT_IP_THROTTLER = 'ip';
/** Keys of the tenant budget start with it; the store adds the throttler name in front. */
export const TENANT_KEY_PREFIX = 'tenant:';

/**
 * Public routes that are not limited per IP though they take unauthenticated POSTs: Stripe signs its
 * webhooks and sends them from a few addresses, so a per-IP limit would only delay plan changes.
 */
const IP_LIMIT_EXEMPT_CONTROLLERS: ReadonlySet<string> = new Set(['billing/webhook']);

export interface TenantLimitSource {
  /** The current request's tenant id, or undefined on a route without a tenant. */
  tenantId(): string | undefined;
  /** requestsPerMinute of the current tenant's plan. */
  requestsPerMinute(): number;
}

function isPublic(context: ExecutionContext): boolean {
  return (
    (Reflect.getMetadata(PUBLIC_ROUTE, context.getHandler()) ??
      Reflect.getMetadata(PUBLIC_ROUTE, context.getClass())) === true
  );
}

/** Signup, login, refresh, password forgot/reset, invitation accept: what anyone can send unauthenticated. */
export function isUnauthenticatedWrite(context: ExecutionContext): boolean {
  if (context.getType() !== 'http' || !isPublic(context)) return false;
  const request = context.switchToHttp().getRequest<Request>();
  if (request.method !== 'POST') return false;
  const controllerPath = Reflect.getMetadata(PATH_METADATA, context.getClass()) as string | undefined;
  return !IP_LIMIT_EXEMPT_CONTROLLERS.has(controllerPath ?? '');
}

/** The two throttlers every request passes: the tenant's plan budget, then the client IP's on public writes. */
export function rateLimitOptions(
  config: RateLimitConfig,
  tenants: TenantLimitSource,
  storage: ThrottlerStorage | undefined,
): ThrottlerModuleOptions {
  const perTenant: ThrottlerOptions = {
    name: TENANT_THROTTLER,
    ttl: RATE_LIMIT_WINDOW_MS,
    // 0: no extra block after the limit; a caller waits for the end of its window, no longer.
    blockDuration: 0,
    limit: () => tenants.requestsPerMinute(),
    skipIf: () => tenants.tenantId() === undefined,
    getTracker: () => tenants.tenantId() ?? '',
    // One budget per tenant across all its routes (the library's default key is per route).
    generateKey: (_context, tenantId) => `${TENANT_KEY_PREFIX}${tenantId}`,
  };
  const perClientIp: ThrottlerOptions = {
    name: CLIENT_IP_THROTTLER,
    ttl: RATE_LIMIT_WINDOW_MS,
    blockDuration: 0,
    limit: config.publicPerIpPerMinute,
    skipIf: (context) => !isUnauthenticatedWrite(context),
    // Only the 429 tells this limit (Retry-After); X-RateLimit-* stay the tenant's.
    setHeaders: false,
    // The library's tracker: req.ip (TRUST_PROXY decides whether X-Forwarded-For counts), IPv6 per /64.
    generateKey: (context, ip) => `${ip}:${context.getClass().name}.${context.getHandler().name}`,
  };
  return { storage, throttlers: [perTenant, perClientIp] };
}
