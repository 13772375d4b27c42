import { isIP } from 'node:net';
import { z } from 'zod';

const booleanFromString = z
  .enum(['true', 'false', '1', '0'], { message: 'expected true or false' })
  .transform((value) => value === 'true' || value === '1');

const integer = (min: number, max: number) =>
  z.coerce
    .number({ message: `expected an integer between ${min} and ${max}` })
    .int({ message: `expected an integer between ${min} and ${max}` })
    .min(min, { message: `expected an integer between ${min} and ${max}` })
    .max(max, { message: `expected an integer between ${min} and ${max}` });

const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();

const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (value) => {
        try {
          return protocols.includes(new URL(value).protocol);
        } catch {
          return false;
        }
      },
      { message: `expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}` },
    );

const optionalUrl = (protocols: string[]) =>
  z.preprocess((value) => (value === '' ? undefined : value), url(protocols).optional());

const ascendingDelays = z
  .string()
  .trim()
  .refine(
    (value) => {
      const delays = value.split(',').map((item) => Number(item.trim()));
      return (
        delays.length >= 1 &&
        delays.length <= 10 &&
        delays.every(
          (delay, index) =>
            Number.isInteger(delay) &&
            delay >= 10 &&
            delay <= 86_400_000 &&
            (index === 0 || delay > delays[index - 1]),
        )
      );
    },
    { message: 'expected 1 to 10 ascending delays in ms (10 to 86400000), comma-separated' },
  )
  .transform((value) => value.split(',').map((item) => Number(item.trim())));

const commaSeparated = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

export const MIN_JWT_SECRET_BYTES = 32;

/** Express's names for address ranges in `trust proxy`. */
const NAMED_PROXY_RANGES: ReadonlySet<string> = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** An IP, a CIDR (address/prefix length) or a named range: what Express's `trust proxy` list takes. */
function isProxyAddress(item: string): boolean {
  if (NAMED_PROXY_RANGES.has(item)) return true;
  const [address, prefixLength, ...rest] = item.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0 || address.includes('%')) return false;
  if (prefixLength === undefined) return true;
  return /^\d{1,3}$/.test(prefixLength) && Number(prefixLength) <= (version === 4 ? 32 : 128);
}

/**
 * false, a hop count, or the proxies' addresses: Express's `trust proxy` then takes the client IP from
 * X-Forwarded-For only as far back as trusted proxies appended it. `true` would take the left-most
 * entry, which any client writes itself, so it is refused.
 */
const trustProxy = z
  .string()
  .trim()
  .transform((value, context): false | number | string[] => {
    const lowerCase = value.toLowerCase();
    if (lowerCase === 'false') return false;
    if (lowerCase === 'true') {
      context.addIssue({
        code: 'custom',
        message:
          "true would trust any client's X-Forwarded-For; set the number of proxies in front of the API (e.g. 1) or their addresses/CIDRs",
      });
      return z.NEVER;
    }
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const items = value.split(',').map((item) => item.trim());
    const invalid = items.find((item) => !isProxyAddress(item));
    if (invalid === undefined) return items;
    context.addIssue({
      code: 'custom',
      message: `expected false, a number of proxies, or proxy addresses separated by commas (IPs, CIDRs, loopback, linklocal, uniquelocal); "${invalid}" is none of these`,
    });
    return z.NEVER;
  });

/** `https://app.example.com`: a scheme, a host and maybe a port; no path, query or credentials. */
function httpOrigin(value: string): string | undefined {
  try {
    const url = new URL(value);
    const bare = !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash;
    return ['http:', 'https:'].includes(url.protocol) && bare && !value.endsWith('#') && !value.endsWith('?')
      ? url.origin
      : undefined;
  } catch {
    return undefined;
  }
}

const httpOrigins = commaSeparated
  .refine((origins) => origins.every((origin) => httpOrigin(origin) !== undefined), {
    message: 'expected comma-separated http(s) origins such as https://app.example.com (no path)',
  })
  .transform((origins) => origins.map((origin) => httpOrigin(origin) as string));

/** Every environment variable the service reads, with its default; documented in .env.example. */
export const environmentSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'], {
      message: 'expected development, production or test',
    })
    .default('development'),
  PORT: integer(0, 65535).default(3000),
  HOST: z.string().trim().min(1).default('0.0.0.0'),
  LOG_LEVEL: z
    .enum(['error', 'warn', 'info', 'debug', 'verbose'], {
      message: 'expected error, warn, info, debug or verbose',
    })
    .default('info'),
  LOG_FORMAT: z.enum(['json', 'pretty'], { message: 'expected json or pretty' }).optional(),
  CORS_ORIGINS: commaSeparated.default([]),
  TRUST_PROXY: trustProxy.default(false),
  SHUTDOWN_TIMEOUT_MS: integer(0, 600_000).default(10_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: integer(1000, 600_000).default(65_000),
  APP_URL: url(['http:', 'https:']).default('http://localhost:3000'),
  APP_DOMAIN: z
    .string()
    .trim()
    .regex(/^([a-z0-9-]+\.)*[a-z0-9-]+$/i, { message: 'expected a domain name such as example.com' })
    .optional()
    .or(z.literal('').transform(() => undefined)),

  DB_HOST: optionalText,
  DB_PORT: integer(1, 65535).default(5432),
  DB_USERNAME: optionalText,
  /** An older name of DB_USERNAME, still read when DB_USERNAME is unset. */
  DB_USER: optionalText,
  DB_PASSWORD: z.string().default(''),
  DB_NAME: z
    .string()
    .trim()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, { message: 'expected a lower-case PostgreSQL identifier' })
    .default('saas'),
  DB_SSL: booleanFromString.default(false),
  DB_POOL_SIZE: integer(1, 500).default(10),
  DB_POOL_MAX_LIFETIME_SECONDS: integer(0, 86_400).default(1800),
  DB_EMBEDDED_DATA_DIR: z.string().trim().min(1).default('.data/postgres'),
  MIGRATIONS_RUN: booleanFromString.optional(),

  TENANT_CACHE_TTL_MS: integer(0, 3_600_000).default(5000),
  TENANT_CACHE_MAX_ENTRIES: integer(10, 10_000_000).default(10_000),
  TENANT_MIGRATION_CONCURRENCY: integer(1, 64).default(4),

  REDIS_HOST: optionalText,
  REDIS_PORT: integer(1, 65535).default(6379),
  REDIS_PASSWORD: optionalText,

  RATE_LIMIT_ENABLED: booleanFromString.default(true),
  RATE_LIMIT_FAIL_MODE: z.enum(['open', 'closed'], { message: 'expected open or closed' }).default('open'),
  RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE: integer(1, 1_000_000).default(30),
  RATE_LIMIT_STORE_TIMEOUT_MS: integer(10, 60_000).default(500),
  CACHE_TTL_MS: integer(1000, 86_400_000).default(60_000),
  CACHE_MEMORY_MAX_ENTRIES: integer(10, 10_000_000).default(10_000),

  RABBITMQ_URL: optionalUrl(['amqp:', 'amqps:']),

  STRIPE_SECRET_KEY: optionalText,
  STRIPE_WEBHOOK_SECRET: optionalText,
  STRIPE_API_HOST: optionalText,
  STRIPE_API_PORT: integer(1, 65535).optional(),
  STRIPE_API_PROTOCOL: z.enum(['http', 'https'], { message: 'expected http or https' }).optional(),

  RESEND_API_KEY: optionalText,
  RESEND_BASE_URL: optionalUrl(['http:', 'https:']),
  RESEND_FROM_EMAIL: z.email({ message: 'expected an email address' }).default('no-reply@example.com'),
  RESEND_REQUESTS_PER_SECOND: z.coerce
    .number({ message: 'expected a number of requests per second between 0.1 and 1000' })
    .min(0.1, { message: 'expected a number of requests per second between 0.1 and 1000' })
    .max(1000, { message: 'expected a number of requests per second between 0.1 and 1000' })
    .default(2),

  MAIL_QUEUE_PREFIX: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_.-]{0,62}$/i, { message: 'expected a name such as mail (letters, digits, . _ -)' })
    .default('mail'),
  MAIL_WORKER_PREFETCH: integer(1, 5000).default(300),
  MAIL_MAX_ATTEMPTS: integer(1, 50).default(8),
  MAIL_RETRY_DELAYS_MS: ascendingDelays.default([5_000, 30_000, 120_000, 600_000, 1_800_000]),
  MAIL_RELAY_POLL_INTERVAL_MS: integer(50, 600_000).default(1000),
  MAIL_WORKER_PORT: integer(0, 65535).default(3001),
  MAIL_OUTBOX_DIR: z.string().trim().min(1).default('.data/outbox'),
  MAIL_FILE_SINK: booleanFromString.optional(),
  MAIL_RETENTION_DAYS: integer(1, 3650).default(7),
  MAIL_DEAD_LETTER_RETENTION_DAYS: integer(1, 3650).default(30),
  MAIL_RETENTION_INTERVAL_MS: integer(100, 86_400_000).default(3_600_000),

  PLANS_FILE: optionalText,
  DEFAULT_PLAN: z
    .string()
    .trim()
    .regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a plan id such as free' })
    .default('free'),
  BILLING_GRACE_DAYS: integer(0, 365).default(7),
  BILLING_REDIRECT_ORIGINS: httpOrigins.default([]),

  // Empty is unset: docker-compose.yml passes ${JWT_SECRET:-} when .env has none.
  JWT_SECRET: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .refine((value) => Buffer.byteLength(value) >= MIN_JWT_SECRET_BYTES, {
        message: `expected at least ${MIN_JWT_SECRET_BYTES} bytes`,
      })
      .optional(),
  ),
  JWT_ACCESS_TTL_SECONDS: integer(60, 86_400).default(900),
  TOTP_ENCRYPTION_KEY: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .refine((value) => Buffer.byteLength(value) >= MIN_JWT_SECRET_BYTES, {
        message: `expected at least ${MIN_JWT_SECRET_BYTES} bytes`,
      })
      .optional(),
  ),
  API_KEY_HASH_KEY: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .refine((value) => Buffer.byteLength(value) >= MIN_JWT_SECRET_BYTES, {
        message: `expected at least ${MIN_JWT_SECRET_BYTES} bytes`,
      })
      .optional(),
  ),
  API_KEY_USAGE_FLUSH_MS: integer(100, 3_600_000).default(30_000),
  REFRESH_TOKEN_TTL_DAYS: integer(1, 365).default(30),
  BCRYPT_COST: integer(4, 15).default(12),
  /** Unset: one thread per core the process may use. */
  PASSWORD_HASH_THREADS: integer(0, 256).optional(),
  PASSWORD_HASH_MAX_QUEUE: integer(1, 100_000).default(64),
  PASSWORD_RESET_TTL_MINUTES: integer(5, 1440).default(60),
  INVITATION_TTL_HOURS: integer(1, 720).default(72),
  EMAIL_VERIFICATION_TTL_HOURS: integer(1, 720).default(48),
  REQUIRE_VERIFIED_EMAIL: booleanFromString.default(false),
  LOGIN_MAX_FAILURES: integer(1, 1000).default(5),
  LOGIN_MAX_FAILURES_PER_IP: integer(1, 100_000).default(50),
  LOGIN_FAILURE_WINDOW_SECONDS: integer(10, 86_400).default(900),
  MEMBERSHIP_CACHE_TTL_MS: integer(0, 3_600_000).default(10_000),
  MEMBERSHIP_CACHE_MAX_ENTRIES: integer(10, 10_000_000).default(10_000),
});

export type Environment = z.output<typeof environmentSchema>;
