import { ConfigValidationError, loadAppConfig } from './app-config';

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadAppConfig(env);
  } catch (error) {
    if (error instanceof ConfigValidationError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be rejected');
}

const production = { NODE_ENV: 'production', JWT_SECRET: 's'.repeat(40) };

describe('loadAppConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    const config = loadAppConfig({});
    expect(config.env).toBe('development');
    expect(config.http.port).toBe(3000);
    expect(config.database.host).toBeUndefined();
    expect(config.database.migrationsRun).toBe(true);
    expect(config.database.poolSize).toBe(10);
    expect(config.redis).toBeUndefined();
    expect(config.rabbitmq).toBeUndefined();
    expect(config.stripe).toBeUndefined();
    expect(config.billing).toEqual({
      defaultPlan: 'free',
      graceDays: 7,
      plansFile: undefined,
      redirectOrigins: [],
    });
    expect(config.tenancy.cacheMaxEntries).toBe(10_000);
    expect(config.log.format).toBe('pretty');
  });

  it('names the variable and what it expects when a value is bad', () => {
    expect(problemsOf({ DB_PORT: 'abc' })).toEqual([
      'DB_PORT: expected an integer between 1 and 65535, got "abc"',
    ]);
  });

  it('reports every bad variable at once', () => {
    const problems = problemsOf({ PORT: '-1', DB_SSL: 'yes', RABBITMQ_URL: 'http://broker' });
    expect(problems).toHaveLength(3);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^PORT: expected an integer/),
        'DB_SSL: expected true or false, got "yes"',
        'RABBITMQ_URL: expected a URL starting with amqp:// or amqps://, got "http://broker"',
      ]),
    );
  });

  it('requires the webhook secret once Stripe is configured', () => {
    expect(problemsOf({ STRIPE_SECRET_KEY: 'sk_test_1' })).toEqual([
      'STRIPE_WEBHOOK_SECRET: required when STRIPE_SECRET_KEY is set, it is not set',
    ]);
  });

  it('requires a JWT secret of 32+ characters in production on an external database', () => {
    expect(problemsOf({ NODE_ENV: 'production', DB_HOST: 'db', RESEND_API_KEY: 're_1' })).toEqual([
      'JWT_SECRET: required in production with an external database (at least 32 random characters: openssl rand -base64 48), it is not set',
    ]);
    expect(loadAppConfig({ NODE_ENV: 'production' }).auth.jwtSecret).toBeUndefined();
    expect(problemsOf({ JWT_SECRET: 'short' })).toEqual([
      'JWT_SECRET: expected at least 32 bytes, got a value that is not shown because it is secret',
    ]);
    expect(loadAppConfig({ NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) }).auth.jwtSecret).toBe(
      'x'.repeat(32),
    );
  });

  it('refuses the placeholder secret of .env.example in production', () => {
    const placeholder = 'replace-me-with-a-long-random-secret-of-at-least-32-characters';
    expect(problemsOf({ NODE_ENV: 'production', JWT_SECRET: placeholder })).toEqual([
      'JWT_SECRET: is the placeholder from .env.example; set a random secret (openssl rand -base64 48)',
    ]);
    expect(loadAppConfig({ JWT_SECRET: placeholder }).auth.jwtSecret).toBe(placeholder);
  });

  it('counts the JWT secret in bytes', () => {
    expect(problemsOf({ JWT_SECRET: 'é'.repeat(15) })).toHaveLength(1);
    expect(loadAppConfig({ JWT_SECRET: 'é'.repeat(16) }).auth.jwtSecret).toBe('é'.repeat(16));
  });

  it.each([
    ['JWT_SECRET', 'too-short-secret-value'],
    ['STRIPE_API_PORT', '99999'],
    ['RABBITMQ_URL', 'http://guest:hunter2@broker'],
    ['RABBITMQ_URL', 'amqp//guest:hunter2@broker'],
    ['RESEND_BASE_URL', 'ftp://key:hunter2@mail.example'],
  ])('never echoes a secret: %s', (variable, value) => {
    let message = '';
    try {
      loadAppConfig({ [variable]: value, DB_PASSWORD: 'hunter2', REDIS_PASSWORD: 'hunter2' });
    } catch (error) {
      message = (error as Error).message;
    }
    if (variable === 'STRIPE_API_PORT') {
      expect(message).toContain('got "99999"');
      return;
    }
    expect(message).toContain(`${variable}: `);
    expect(message).not.toContain(value);
    expect(message).not.toContain('hunter2');
  });

  it('reads DB_USERNAME, with DB_USER as an older name of it', () => {
    expect(loadAppConfig({}).database.user).toBe('postgres');
    expect(loadAppConfig({ DB_USERNAME: 'app' }).database.user).toBe('app');
    expect(loadAppConfig({ DB_USER: 'legacy' }).database.user).toBe('legacy');
    expect(loadAppConfig({ DB_USERNAME: 'app', DB_USER: 'app' }).database.user).toBe('app');
    expect(problemsOf({ DB_USERNAME: 'app', DB_USER: 'legacy' })).toEqual([
      'DB_USER: is an older name of DB_USERNAME and disagrees with it; set only DB_USERNAME',
    ]);
  });

  it('formats the error message as one readable block', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'staging' })).toThrow(
      'Invalid configuration:\n  - NODE_ENV: expected development, production or test, got "staging"',
    );
  });

  it('does not run migrations at start-up by default in production on an external database', () => {
    const external = { ...production, DB_HOST: 'db', RESEND_API_KEY: 're_1' };
    expect(loadAppConfig(external).database.migrationsRun).toBe(false);
    expect(loadAppConfig(production).database.migrationsRun).toBe(true);
    expect(loadAppConfig({ ...external, MIGRATIONS_RUN: 'true' }).database.migrationsRun).toBe(true);
  });

  it('logs JSON lines in production unless told otherwise', () => {
    expect(loadAppConfig(production).log.format).toBe('json');
    expect(loadAppConfig({ ...production, LOG_FORMAT: 'pretty' }).log.format).toBe('pretty');
  });

  it('treats empty optional variables as unset', () => {
    const config = loadAppConfig({
      DB_HOST: '',
      REDIS_HOST: '',
      RABBITMQ_URL: '',
      APP_DOMAIN: '',
      JWT_SECRET: '',
    });
    expect(config.database.host).toBeUndefined();
    expect(config.auth.jwtSecret).toBeUndefined();
    expect(config.redis).toBeUndefined();
    expect(config.rabbitmq).toBeUndefined();
    expect(config.http.domain).toBeUndefined();
  });

  it('parses lists and the trust-proxy setting', () => {
    const config = loadAppConfig({ CORS_ORIGINS: 'https://a.example, https://b.example', TRUST_PROXY: '2' });
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.http.trustProxy).toBe(2);
  });

  describe('TRUST_PROXY', () => {
    it('trusts no proxy by default or when false', () => {
      expect(loadAppConfig({}).http.trustProxy).toBe(false);
      expect(loadAppConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    });

    it('reads a list of proxy addresses, CIDRs and named ranges', () => {
      const config = loadAppConfig({
        TRUST_PROXY: 'loopback, 10.0.0.0/8,203.0.113.7 , 2001:db8::/32, ::1, linklocal, uniquelocal',
      });
      expect(config.http.trustProxy).toEqual([
        'loopback',
        '10.0.0.0/8',
        '203.0.113.7',
        '2001:db8::/32',
        '::1',
        'linklocal',
        'uniquelocal',
      ]);
    });

    it.each(['true', 'TRUE', ' true '])('refuses %j, saying what to set instead', (value) => {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([
        "TRUST_PROXY: true would trust any client's X-Forwarded-For; set the number of proxies in front of the API (e.g. 1) or their addresses/CIDRs, " +
          `got "${value}"`,
      ]);
    });

    it.each([
      ['a host name', '10.0.0.1, proxy.internal', 'proxy.internal'],
      ['a prefix too long for IPv4', '10.0.0.0/33', '10.0.0.0/33'],
      ['a prefix too long for IPv6', '2001:db8::/129', '2001:db8::/129'],
      ['a short IPv4 form', '10.1', '10.1'],
      ['a netmask instead of a prefix', '10.0.0.0/255.0.0.0', '10.0.0.0/255.0.0.0'],
      ['an empty item', '10.0.0.1,,10.0.0.2', ''],
      ['a negative hop count', '-1', '-1'],
    ])('refuses %s, naming the item', (_what, value, item) => {
      expect(problemsOf({ TRUST_PROXY: value })).toEqual([
        `TRUST_PROXY: expected false, a number of proxies, or proxy addresses separated by commas (IPs, CIDRs, loopback, linklocal, uniquelocal); "${item}" is none of these, got "${value}"`,
      ]);
    });
  });

  it('reads the billing redirect origins, normalised, and refuses anything but http(s) origins', () => {
    expect(
      loadAppConfig({ BILLING_REDIRECT_ORIGINS: 'https://Shop.example.org/, http://localhost:5173' }).billing
        .redirectOrigins,
    ).toEqual(['https://shop.example.org', 'http://localhost:5173']);
    for (const value of [
      'ftp://files.example.org',
      'https://shop.example.org/checkout',
      'https://user:secret@shop.example.org',
      'https://shop.example.org?next=1',
      'shop.example.org',
    ]) {
      expect(problemsOf({ BILLING_REDIRECT_ORIGINS: value })).toEqual([
        expect.stringMatching(/^BILLING_REDIRECT_ORIGINS: expected comma-separated http\(s\) origins/),
      ]);
    }
  });

  describe('rate limits and cache', () => {
    it('limits by default, failing open, 30 anonymous requests per IP, route and minute', () => {
      const config = loadAppConfig({});
      expect(config.rateLimit).toEqual({
        enabled: true,
        failMode: 'open',
        publicPerIpPerMinute: 30,
        storeTimeoutMs: 500,
      });
      expect(config.cache).toEqual({ ttlMs: 60_000, memoryMaxEntries: 10_000 });
      expect(config.tenancy).toMatchObject({ cacheTtlMs: 5000, cacheMaxEntries: 10_000 });
    });

    it('reads the fail mode and the switch', () => {
      const config = loadAppConfig({ RATE_LIMIT_FAIL_MODE: 'closed', RATE_LIMIT_ENABLED: 'false' });
      expect(config.rateLimit).toMatchObject({ failMode: 'closed', enabled: false });
    });

    it('refuses a fail mode other than open or closed', () => {
      expect(problemsOf({ RATE_LIMIT_FAIL_MODE: 'ajar' })).toEqual([
        'RATE_LIMIT_FAIL_MODE: expected open or closed, got "ajar"',
      ]);
    });
  });

  describe('mail', () => {
    it('defaults to two Resend requests per second and five backoff tiers', () => {
      const config = loadAppConfig({});
      expect(config.resend.requestsPerSecond).toBe(2);
      expect(config.mail).toEqual({
        queuePrefix: 'mail',
        prefetch: 300,
        maxAttempts: 8,
        retryDelaysMs: [5000, 30_000, 120_000, 600_000, 1_800_000],
        relayPollIntervalMs: 1000,
        workerPort: 3001,
        outboxDir: '.data/outbox',
        fileSink: true,
        retention: { deliveredDays: 7, deadLetterDays: 30, intervalMs: 3_600_000 },
      });
    });

    it('reads how long delivered mail and dead letters stay in the outbox', () => {
      const config = loadAppConfig({
        MAIL_RETENTION_DAYS: '2',
        MAIL_DEAD_LETTER_RETENTION_DAYS: '90',
        MAIL_RETENTION_INTERVAL_MS: '60000',
      });
      expect(config.mail.retention).toEqual({ deliveredDays: 2, deadLetterDays: 90, intervalMs: 60_000 });
      expect(problemsOf({ MAIL_RETENTION_DAYS: '0', MAIL_DEAD_LETTER_RETENTION_DAYS: 'month' })).toEqual([
        'MAIL_RETENTION_DAYS: expected an integer between 1 and 3650, got "0"',
        'MAIL_DEAD_LETTER_RETENTION_DAYS: expected an integer between 1 and 3650, got "month"',
      ]);
    });

    it('refuses to write mail to files in production on an external database unless MAIL_FILE_SINK=true', () => {
      const external = { ...production, DB_HOST: 'db' };
      expect(problemsOf(external)).toEqual([
        'RESEND_API_KEY: required in production with an external database, or set MAIL_FILE_SINK=true to write mail to MAIL_OUTBOX_DIR instead of sending it, it is not set',
      ]);
      expect(loadAppConfig({ ...external, MAIL_FILE_SINK: 'true' }).mail.fileSink).toBe(true);
      expect(loadAppConfig({ ...external, RESEND_API_KEY: 're_1' }).resend.apiKey).toBe('re_1');
    });

    it('writes mail to files on the embedded database, in production too, unless MAIL_FILE_SINK=false', () => {
      expect(loadAppConfig(production).mail.fileSink).toBe(true);
      expect(loadAppConfig({ ...production, DB_HOST: '' }).mail.fileSink).toBe(true);
      expect(problemsOf({ MAIL_FILE_SINK: 'false' })).toEqual([
        'RESEND_API_KEY: required when MAIL_FILE_SINK=false, it is not set',
      ]);
      expect(problemsOf({ MAIL_FILE_SINK: 'yes' })).toEqual([
        'MAIL_FILE_SINK: expected true or false, got "yes"',
      ]);
    });

    it('reads the retry tiers as a comma-separated list', () => {
      expect(loadAppConfig({ MAIL_RETRY_DELAYS_MS: '200, 400,800' }).mail.retryDelaysMs).toEqual([
        200, 400, 800,
      ]);
    });

    it.each(['800,400', '200,200', '', 'soon', '5'])('refuses the retry tiers %j', (value) => {
      expect(problemsOf({ MAIL_RETRY_DELAYS_MS: value })).toEqual([
        expect.stringMatching(/^MAIL_RETRY_DELAYS_MS: expected 1 to 10 ascending delays in ms/),
      ]);
    });

    it('refuses a queue prefix that is not a plain name', () => {
      expect(problemsOf({ MAIL_QUEUE_PREFIX: 'mail queue' })).toEqual([
        expect.stringMatching(/^MAIL_QUEUE_PREFIX: expected a name/),
      ]);
    });
  });
});
