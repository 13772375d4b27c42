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
    expect(config.billing).toEqual({ defaultPlan: 'free', graceDays: 7, plansFile: undefined });
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

  it('formats the error message as one readable block', () => {
    expect(() => loadAppConfig({ NODE_ENV: 'staging' })).toThrow(
      'Invalid configuration:\n  - NODE_ENV: expected development, production or test, got "staging"',
    );
  });

  it('does not run migrations at start-up by default in production on an external database', () => {
    expect(loadAppConfig({ NODE_ENV: 'production', DB_HOST: 'db' }).database.migrationsRun).toBe(false);
    expect(loadAppConfig({ NODE_ENV: 'production' }).database.migrationsRun).toBe(true);
    expect(
      loadAppConfig({ NODE_ENV: 'production', DB_HOST: 'db', MIGRATIONS_RUN: 'true' }).database.migrationsRun,
    ).toBe(true);
  });

  it('logs JSON lines in production unless told otherwise', () => {
    expect(loadAppConfig({ NODE_ENV: 'production' }).log.format).toBe('json');
    expect(loadAppConfig({ NODE_ENV: 'production', LOG_FORMAT: 'pretty' }).log.format).toBe('pretty');
  });

  it('treats empty optional variables as unset', () => {
    const config = loadAppConfig({ DB_HOST: '', REDIS_HOST: '', RABBITMQ_URL: '', APP_DOMAIN: '' });
    expect(config.database.host).toBeUndefined();
    expect(config.redis).toBeUndefined();
    expect(config.rabbitmq).toBeUndefined();
    expect(config.http.domain).toBeUndefined();
  });

  it('parses lists and the trust-proxy setting', () => {
    const config = loadAppConfig({ CORS_ORIGINS: 'https://a.example, https://b.example', TRUST_PROXY: '2' });
    expect(config.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.http.trustProxy).toBe(2);
  });
});
