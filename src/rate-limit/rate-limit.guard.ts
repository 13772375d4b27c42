import { type ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerRequest,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { TooManyRequestsException } from '../common/errors/app.exception';
import { HTTP_ERRORS } from '../common/errors/common.errors';
import { InjectConfig, type AppConfig } from '../config';
import { RateLimitUnavailableException } from './rate-limit.errors';
import { RateLimitStoreError } from './redis-throttler.storage';
import { TENANT_KEY_PREFIX } from './rate-limit.throttlers';
import { StoreOutageLog } from './store-outage-log';

/**
 * @nestjs/throttler's guard with the app's answers: 429 `RATE_LIMITED` (Retry-After = the end of the
 * window) and, when the store is down, the configured fail mode. Runs after AuthenticationGuard and
 * before any 401 (AppModule's guard order), so it knows who is calling: a request with a bad token
 * is limited per client IP like any anonymous one, and never spends a tenant's budget.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  private readonly outage: StoreOutageLog;
  private readonly failOpen: boolean;

  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    @InjectConfig() config: AppConfig,
  ) {
    super(options, storage, reflector);
    this.failOpen = config.rateLimit.failMode === 'open';
    this.outage = new StoreOutageLog(
      new Logger(RateLimitGuard.name),
      this.failOpen
        ? 'serving requests without rate limits (RATE_LIMIT_FAIL_MODE=open)'
        : 'refusing requests with 503 (RATE_LIMIT_FAIL_MODE=closed)',
    );
  }

  protected override async handleRequest(request: ThrottlerRequest): Promise<boolean> {
    try {
      const allowed = await super.handleRequest(request);
      this.outage.succeeded();
      return allowed;
    } catch (error) {
      if (error instanceof TooManyRequestsException) this.outage.succeeded();
      if (!(error instanceof RateLimitStoreError)) throw error;
      this.outage.failed(error);
      if (this.failOpen) return true;
      throw new RateLimitUnavailableException();
    }
  }

  protected override throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const perIp = !detail.key.startsWith(TENANT_KEY_PREFIX);
    const seconds = Math.max(1, detail.timeToBlockExpire);
    if (!perIp) {
      // A refused request shows the same budget as a served one, used up.
      const { res } = this.getRequestResponse(context);
      this.setResponseHeader(res, 'X-RateLimit-Limit', detail.limit);
      this.setResponseHeader(res, 'X-RateLimit-Remaining', 0);
      this.setResponseHeader(res, 'X-RateLimit-Reset', seconds);
    }
    const message = perIp
      ? `Too many requests from this address to this route (${detail.limit} per minute); retry in ${seconds} s`
      : `This tenant's rate limit of ${detail.limit} requests per minute is used up; retry in ${seconds} s`;
    return Promise.reject(new TooManyRequestsException(HTTP_ERRORS.RATE_LIMITED, message, seconds));
  }
}
