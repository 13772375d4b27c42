import { Inject, Injectable, Logger } from '@nestjs/common';
import { TooManyRequestsException } from '../../common/errors/app.exception';
import { InjectConfig, type AppConfig } from '../../config';
import type { LoginFailureCounter } from './login-failure-counter';

export const LOGIN_FAILURE_COUNTER = Symbol('LOGIN_FAILURE_COUNTER');

/**
 * Brute-force protection: too many failed logins for one email in one tenant, or from one client IP,
 * answer 429 with Retry-After until the window passes. When the counter store is down, logins go on
 * (logged): locking every user out is worse than a short gap in throttling.
 */
@Injectable()
export class LoginAttemptLimiter {
  private readonly logger = new Logger(LoginAttemptLimiter.name);

  constructor(
    @Inject(LOGIN_FAILURE_COUNTER) private readonly counter: LoginFailureCounter,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async assertAllowed(tenantId: string, email: string, ip: string): Promise<void> {
    const { maxLoginFailures, maxLoginFailuresPerIp } = this.config.auth;
    const [byEmail, byIp] = (await this.guarded(() =>
      Promise.all([this.counter.read(emailKey(tenantId, email)), this.counter.read(ipKey(ip))]),
    )) ?? [undefined, undefined];
    const blocked = [
      byEmail && byEmail.count >= maxLoginFailures ? byEmail : undefined,
      byIp && byIp.count >= maxLoginFailuresPerIp ? byIp : undefined,
    ].filter((count) => count !== undefined);
    if (blocked.length > 0) {
      throw new TooManyRequestsException(
        'TOO_MANY_LOGIN_ATTEMPTS',
        'Too many failed sign-in attempts; try again later',
        Math.max(...blocked.map((count) => count.resetsInSeconds)),
      );
    }
  }

  async recordFailure(tenantId: string, email: string, ip: string): Promise<void> {
    const window = this.config.auth.loginFailureWindowSeconds;
    await this.guarded(() =>
      Promise.all([
        this.counter.increment(emailKey(tenantId, email), window),
        this.counter.increment(ipKey(ip), window),
      ]),
    );
  }

  async recordSuccess(tenantId: string, email: string): Promise<void> {
    await this.guarded(() => this.counter.reset(emailKey(tenantId, email)));
  }

  private async guarded<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      return await work();
    } catch (error) {
      this.logger.warn(`Login throttling unavailable: ${(error as Error).message}`);
      return undefined;
    }
  }
}

const emailKey = (tenantId: string, email: string) => `email:${tenantId}:${email}`;
const ipKey = (ip: string) => `ip:${ip}`;
