import type { ExecutionContext, Type } from '@nestjs/common';
import { PATH_METADATA } from '@nestjs/common/constants';
import type { ThrottlerModuleOptions, ThrottlerOptions, ThrottlerStorage } from '@nestjs/throttler';
import type { RateLimitConfig } from '../config';

/** Limits count in fixed one-minute windows. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/**
 * The per-tenant throttler. Named `default` because @nestjs/throttler suffixes the headers of every
 * other name (`X-RateLimit-Limit-ip`), and tenant routes carry plain `X-RateLimit-*` headers.
 * `@SkipThrottle()` on a route therefore skips the tenant limit.
 */
export const TENANT_THROTTLER = 'default';
/** Anonymous requests per client IP and route; `@SkipThrottle({ ip: true })` exempts a route. */
export const CLIENT_IP_THROTTLER = 'ip';
/** Keys of the tenant budget start with it; the store adds the throttler name in front. */
export const TENANT_KEY_PREFIX = 'tenant:';

/**
 * Routes not limited per IP though anyone may call them: Stripe signs its webhooks and sends them from
 * a few addresses, so a per-IP limit would only delay plan changes; load balancers and orchestrators
 * probe the health routes from one address many times a minute.
 */
const CLIENT_IP_LIMIT_EXEMPT_CONTROLLERS: ReadonlySet<string> = new Set(['billing/webhook', 'health']);

export interface TenantLimitSource {
  /** The tenant of the request's authenticated user; undefined for an anonymous request. */
  authenticatedTenantId(): string | undefined;
  /** requestsPerMinute of the current tenant's plan. */
  requestsPerMinute(): number;
}

export function isExemptFromClientIpLimit(context: ExecutionContext): boolean {
  return context.getType() !== 'http' || isControllerExemptFromClientIpLimit(context.getClass());
}

export function isControllerExemptFromClientIpLimit(controller: Type): boolean {
  const controllerPath = Reflect.getMetadata(PATH_METADATA, controller) as string | undefined;
  return CLIENT_IP_LIMIT_EXEMPT_CONTROLLERS.has(controllerPath ?? '');
}

/**
 * The two throttlers, of which a request passes exactly one: an authenticated user's request spends
 * its tenant's plan budget; an anonymous one (public route, missing or bad token) its client IP's.
 * So nobody can spend or read a tenant's budget without that tenant's credentials.
 */
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
    skipIf: () => tenants.authenticatedTenantId() === undefined,
    getTracker: () => tenants.authenticatedTenantId() ?? '',
    // One budget per tenant across all its routes (the library's default key is per route).
    generateKey: (_context, tenantId) => `${TENANT_KEY_PREFIX}${tenantId}`,
  };
  const perClientIp: ThrottlerOptions = {
    name: CLIENT_IP_THROTTLER,
    ttl: RATE_LIMIT_WINDOW_MS,
    blockDuration: 0,
    limit: config.publicPerIpPerMinute,
    skipIf: (context) => tenants.authenticatedTenantId() !== undefined || isExemptFromClientIpLimit(context),
    // Only the 429 tells this limit (Retry-After): X-RateLimit-* belong to the tenant's budget.
    setHeaders: false,
    // The library's tracker: req.ip (TRUST_PROXY decides whether X-Forwarded-For counts), IPv6 per /64.
    generateKey: (context, ip) => `${ip}:${context.getClass().name}.${context.getHandler().name}`,
  };
  return { storage, throttlers: [perTenant, perClientIp] };
}
