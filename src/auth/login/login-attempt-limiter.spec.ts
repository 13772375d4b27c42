import { Logger } from '@nestjs/common';
import { AppException } from '../../common/errors/app.exception';
import { loadAppConfig } from '../../config';
import { LoginAttemptLimiter, type LoginAttempt } from './login-attempt-limiter';
import { type LoginFailureCounter, MemoryLoginFailureCounter } from './login-failure-counter';

const attempt = (ip = '192.0.2.1', email = 'ada@example.com'): LoginAttempt => ({ email, ip });

const limiterWith = (counter: LoginFailureCounter, env: Record<string, string> = {}) =>
  new LoginAttemptLimiter(
    counter,
    loadAppConfig({ LOGIN_MAX_FAILURES: '2', LOGIN_MAX_FAILURES_PER_IP: '3', ...env }),
  );

const codeOf = (promise: Promise<unknown>) =>
  promise.then(
    () => 'allowed',
    (error: unknown) => (error instanceof AppException ? error.code : String(error)),
  );

describe('LoginAttemptLimiter', () => {
  it('counts an attempt before it is judged and refuses at the limit', async () => {
    const limiter = limiterWith(new MemoryLoginFailureCounter());
    await limiter.reserve(attempt());
    await limiter.reserve(attempt());
    expect(await codeOf(limiter.reserve(attempt()))).toBe('TOO_MANY_LOGIN_ATTEMPTS');
  });

  it('forgives the email’s failures on success and gives the IP its attempt back', async () => {
    const limiter = limiterWith(new MemoryLoginFailureCounter());
    await limiter.reserve(attempt());
    await (await limiter.reserve(attempt())).succeeded();
    // The email starts again at 0; the IP has counted one failure (limit 3), not two.
    await limiter.reserve(attempt());
    await limiter.reserve(attempt('192.0.2.1', 'grace@example.com'));
    expect(await codeOf(limiter.reserve(attempt('192.0.2.1', 'linus@example.com')))).toBe(
      'TOO_MANY_LOGIN_ATTEMPTS',
    );
  });

  it('does not count an attempt withdrawn after an error', async () => {
    const limiter = limiterWith(new MemoryLoginFailureCounter());
    for (let i = 0; i < 5; i++) await (await limiter.reserve(attempt())).withdraw();
    expect(await codeOf(limiter.reserve(attempt()))).toBe('allowed');
  });

  describe('when the store does not answer', () => {
    const hung: LoginFailureCounter = {
      reserve: () => new Promise(() => undefined),
      release: () => new Promise(() => undefined),
    };
    const down: LoginFailureCounter = {
      reserve: () => Promise.reject(new Error('connection refused')),
      release: () => Promise.reject(new Error('connection refused')),
    };
    let warn: jest.SpyInstance;
    beforeEach(() => {
      warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    });
    afterEach(() => warn.mockRestore());

    it('closed: refuses with 503 RATE_LIMIT_UNAVAILABLE, also past the store timeout', async () => {
      const env = { RATE_LIMIT_FAIL_MODE: 'closed', RATE_LIMIT_STORE_TIMEOUT_MS: '20' };
      expect(await codeOf(limiterWith(down, env).reserve(attempt()))).toBe('RATE_LIMIT_UNAVAILABLE');
      expect(await codeOf(limiterWith(hung, env).reserve(attempt()))).toBe('RATE_LIMIT_UNAVAILABLE');
    });

    it('open: lets attempts through uncounted, with one warning for the outage', async () => {
      const limiter = limiterWith(down, { RATE_LIMIT_FAIL_MODE: 'open' });
      for (let i = 0; i < 10; i++) {
        const reserved = await limiter.reserve(attempt());
        await reserved.succeeded();
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(
        /^login throttling store unavailable: connection refused; serving logins .*RATE_LIMIT_FAIL_MODE=open/,
      );
    });
  });
});
