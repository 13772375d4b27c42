import { Inject, Injectable, Logger } from '@nestjs/common';
import { withCacheTimeout } from '../../common/cache/cache-timeout';
import { TooManyRequestsException } from '../../common/errors/app.exception';
import { InjectConfig, type AppConfig } from '../../config';
import { AUTH_ERRORS } from '../auth.errors';
import { RateLimitUnavailableException } from '../../rate-limit/rate-limit.errors';
import { StoreOutageLog } from '../../rate-limit/store-outage-log';
import type { LoginFailureCounter, Release } from './login-failure-counter';

export const LOGIN_FAILURE_COUNTER = Symbol('LOGIN_FAILURE_COUNTER');

export interface LoginAttempt {
  /** Normalised: one identity, whichever tenant the attempt is made at. */
  email: string;
  ip: string;
}

/** An attempt counted as a failure until it says otherwise. */
export interface ReservedLoginAttempt {
  /** The password was right: the email's failures are forgiven, the IP's count is given back. */
  succeeded(): Promise<void>;
  /** The attempt ended before its password was judged (an error): it does not count. */
  withdraw(): Promise<void>;
}

const UNCOUNTED: ReservedLoginAttempt = {
  succeeded: () => Promise.resolve(),
  withdraw: () => Promise.resolve(),
};

/**
 * Brute-force protection: too many failed logins for one email (one identity, across all its tenants,
 * so that guesses cannot be spread over the tenants it belongs to), or from one client IP,
 * answer 429 with Retry-After until the window passes. Each attempt is counted before its password is
 * checked, so concurrent guesses get no more checks than the limit. When the store does not answer
 * within RATE_LIMIT_STORE_TIMEOUT_MS, RATE_LIMIT_FAIL_MODE decides, as for the rate limiter.
 */
@Injectable()
export class LoginAttemptLimiter {
  private readonly failOpen: boolean;
  private readonly outage: StoreOutageLog;

  constructor(
    @Inject(LOGIN_FAILURE_COUNTER) private readonly counter: LoginFailureCounter,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.failOpen = config.rateLimit.failMode === 'open';
    this.outage = new StoreOutageLog(
      new Logger(LoginAttemptLimiter.name),
      this.failOpen
        ? 'serving logins without brute-force limits (RATE_LIMIT_FAIL_MODE=open)'
        : 'refusing logins with 503 (RATE_LIMIT_FAIL_MODE=closed)',
    );
  }

  /** Counts the attempt, or refuses it: 429 at a limit, 503 when the store is out and the mode closed. */
  async reserve(attempt: LoginAttempt): Promise<ReservedLoginAttempt> {
    const { maxLoginFailures, maxLoginFailuresPerIp, loginFailureWindowSeconds } = this.config.auth;
    const emailKey = emailKeyOf(attempt);
    const ipKey = ipKeyOf(attempt);
    const reservation = await this.fromStore(() =>
      this.counter.reserve(
        [
          { key: emailKey, limit: maxLoginFailures },
          { key: ipKey, limit: maxLoginFailuresPerIp },
        ],
        loginFailureWindowSeconds * 1000,
      ),
    );
    if (reservation === undefined) {
      if (this.failOpen) return UNCOUNTED;
      throw new RateLimitUnavailableException();
    }
    if (!reservation.reserved) {
      throw new TooManyRequestsException(
        AUTH_ERRORS.TOO_MANY_LOGIN_ATTEMPTS,
        'Too many failed sign-in attempts; try again later',
        reservation.retryAfterMs / 1000,
      );
    }
    return {
      succeeded: () =>
        this.release([
          { key: emailKey, all: true },
          { key: ipKey, all: false },
        ]),
      withdraw: () =>
        this.release([
          { key: emailKey, all: false },
          { key: ipKey, all: false },
        ]),
    };
  }

  /** Best effort in either fail mode: the attempt has been judged already. */
  private async release(releases: Release[]): Promise<void> {
    await this.fromStore(() => this.counter.release(releases));
  }

  private async fromStore<T>(work: () => Promise<T>): Promise<T | undefined> {
    try {
      const result = await withCacheTimeout(work(), this.config.rateLimit.storeTimeoutMs);
      this.outage.succeeded();
      return result;
    } catch (error) {
      this.outage.failed(
        new Error(
          `login throttling store unavailable: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
      return undefined;
    }
  }
}

const emailKeyOf = ({ email }: LoginAttempt) => `email:${email}`;
const ipKeyOf = ({ ip }: LoginAttempt) => `ip:${ip}`;
