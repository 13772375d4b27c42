import { availableParallelism } from 'node:os';
import { Environment, environmentSchema } from './app-config.schema';
import { loadDotEnvFile } from './dotenv-file';
import { describeReceived } from './received-value';

export type NodeEnvironment = Environment['NODE_ENV'];

export interface DatabaseConfig {
  /** Unset: the app starts an embedded PostgreSQL. */
  host?: string;
  port: number;
  user: string;
  password: string;
  name: string;
  ssl: boolean;
  poolSize: number;
  poolMaxLifetimeSeconds: number;
  embeddedDataDir: string;
  migrationsRun: boolean;
}

export interface MailConfig {
  /** Prefix of every RabbitMQ exchange and queue of the mail pipeline. */
  queuePrefix: string;
  /** Unacknowledged jobs one worker holds: enough for the batch being sent and the next one. */
  prefetch: number;
  /** Tries of one job before it is parked in the dead-letter queue. */
  maxAttempts: number;
  /** One delay queue per backoff tier, ascending. */
  retryDelaysMs: number[];
  /** Fallback wake-up of the outbox relay besides LISTEN/NOTIFY. */
  relayPollIntervalMs: number;
  /** Port of the worker's /health routes; 0 picks a free one. */
  workerPort: number;
  /** Where mail goes without RESEND_API_KEY. */
  outboxDir: string;
  /** Without RESEND_API_KEY, mail is written to `outboxDir`; false, a missing key stops start-up. */
  fileSink: boolean;
  retention: MailRetentionConfig;
}

/** How long `public.outbox` keeps a row once it is settled; a job still under way is never deleted. */
export interface MailRetentionConfig {
  /** Delivered mail (its content is already gone), counted from its delivery. */
  deliveredDays: number;
  /** Dead letters keep their content for a replay until then, counted from their death. */
  deadLetterDays: number;
  /** How often each worker process sweeps. */
  intervalMs: number;
}

export interface AuthConfig {
  /** Unset: a secret generated once on this machine and kept beside the embedded database's data. */
  jwtSecret?: string;
  accessTokenTtlSeconds: number;
  /** Encrypts TOTP secrets at rest; unset: derived from the JWT secret (see TotpSecretCipher). */
  totpEncryptionKey?: string;
  /** Keys the hash API keys are stored as; unset: derived from the JWT secret (see ApiKeyHasher). */
  apiKeyHashKey?: string;
  /** How often each process writes the `lastUsedAt` of the API keys it served, one statement per tenant. */
  apiKeyUsageFlushMs: number;
  refreshTokenTtlDays: number;
  bcryptCost: number;
  /** Worker threads that hash and check passwords; 0 does it on the event loop. */
  passwordHashThreads: number;
  /** Hashes waiting for a thread (with no threads: in progress) before 503 PASSWORD_HASHING_BUSY. */
  passwordHashMaxQueue: number;
  passwordResetTtlMinutes: number;
  invitationTtlHours: number;
  /** Lifetime of an email verification (or email change) link. */
  emailVerificationTtlHours: number;
  /** On: an unverified user may not invite people or start a checkout (403 EMAIL_NOT_VERIFIED). */
  requireVerifiedEmail: boolean;
  /** Failed logins for one email in one tenant before 429, within the window. */
  maxLoginFailures: number;
  /** Failed logins from one client IP before 429, within the window. */
  maxLoginFailuresPerIp: number;
  loginFailureWindowSeconds: number;
  /**
   * Lifetime of a cached access check (a membership's role, its sessions' liveness) while the
   * change feed is live; 0: no cache. Changes evict entries at once; this bounds only missed ones.
   */
  membershipCacheTtlMs: number;
  /** Memberships whose access check the process keeps cached at most, least recently used out first. */
  membershipCacheMaxEntries: number;
}

export interface RateLimitConfig {
  /** Off: no route is rate-limited (a kill switch; the bench compares both). */
  enabled: boolean;
  /**
   * When the rate-limit store (Redis) cannot be reached: serve unlimited (`open`) or answer 503
   * (`closed`). Login brute-force protection follows it too.
   */
  failMode: 'open' | 'closed';
  /** Anonymous requests (public routes, missing or bad access token) from one client IP, per route and minute. */
  publicPerIpPerMinute: number;
  /** How long a request waits for the store (rate limits, login throttling) before the fail mode applies. */
  storeTimeoutMs: number;
}

export interface AppConfig {
  env: NodeEnvironment;
  http: {
    host: string;
    port: number;
    corsOrigins: string[];
    /** Express's `trust proxy`: false, a hop count, or the proxies' addresses, CIDRs and named ranges. */
    trustProxy: false | number | string[];
    shutdownTimeoutMs: number;
    /** How long an idle keep-alive connection stays open; longer than the load balancer's idle timeout. */
    keepAliveTimeoutMs: number;
    publicUrl: string;
    domain?: string;
  };
  log: { level: Environment['LOG_LEVEL']; format: 'json' | 'pretty' };
  database: DatabaseConfig;
  tenancy: {
    /**
     * Safety TTL of a resolved tenant in the in-process cache, for while changes may go unannounced
     * (its LISTEN connection is starting or lost), and of unknown slugs; 0 turns the cache off.
     */
    cacheTtlMs: number;
    /** Entries of the in-process cache; a tenth of them at most are unknown slugs. */
    cacheMaxEntries: number;
    migrationConcurrency: number;
  };
  redis?: { host: string; port: number; password?: string };
  rateLimit: RateLimitConfig;
  /**
   * Default lifetime of a TenantCache entry, and the entries the in-memory store (no Redis) holds
   * before the least recently used go.
   */
  cache: { ttlMs: number; memoryMaxEntries: number };
  rabbitmq?: { url: string };
  stripe?: {
    secretKey: string;
    webhookSecret?: string;
    apiHost?: string;
    apiPort?: number;
    apiProtocol?: 'http' | 'https';
  };
  resend: { apiKey?: string; baseUrl?: string; fromEmail: string; requestsPerSecond: number };
  mail: MailConfig;
  billing: {
    plansFile?: string;
    defaultPlan: string;
    graceDays: number;
    /** Origins besides APP_URL's that Checkout and the portal may send customers back to. */
    redirectOrigins: string[];
  };
  auth: AuthConfig;
}

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigValidationError';
  }
}

/** JWT_SECRET values copied from documentation rather than generated. */
const PLACEHOLDER_SECRET = /replace[-_ ]?me|change[-_ ]?me/i;

/** The process's configuration: its environment over the working directory's `.env`. */
export function processEnvironment(): Record<string, string | undefined> {
  try {
    loadDotEnvFile();
  } catch (error) {
    throw new ConfigValidationError([`.env: could not be read (${(error as Error).message})`]);
  }
  return process.env;
}

/** Validates the environment once; a bad variable stops start-up with its name and what it expects. */
export function loadAppConfig(env: Record<string, string | undefined> = processEnvironment()): AppConfig {
  const parsed = environmentSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const variable = String(issue.path[0] ?? 'environment');
      return `${variable}: ${issue.message}, ${describeReceived(env, variable)}`;
    });
    throw new ConfigValidationError(problems);
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.STRIPE_SECRET_KEY && !e.STRIPE_WEBHOOK_SECRET) {
    problems.push('STRIPE_WEBHOOK_SECRET: required when STRIPE_SECRET_KEY is set, it is not set');
  }
  if (e.NODE_ENV === 'production' && e.DB_HOST && !e.JWT_SECRET) {
    problems.push(
      'JWT_SECRET: required in production with an external database (at least 32 random characters: openssl rand -base64 48), it is not set',
    );
  }
  if (e.NODE_ENV === 'production' && e.JWT_SECRET && PLACEHOLDER_SECRET.test(e.JWT_SECRET)) {
    problems.push(
      'JWT_SECRET: is the placeholder from .env.example; set a random secret (openssl rand -base64 48)',
    );
  }
  if (e.DB_USERNAME && e.DB_USER && e.DB_USERNAME !== e.DB_USER) {
    problems.push('DB_USER: is an older name of DB_USERNAME and disagrees with it; set only DB_USERNAME');
  }
  const embedded = e.DB_HOST === undefined;
  const fileSink = e.MAIL_FILE_SINK ?? (embedded || e.NODE_ENV !== 'production');
  if (!e.RESEND_API_KEY && !fileSink) {
    problems.push(
      e.MAIL_FILE_SINK === false
        ? 'RESEND_API_KEY: required when MAIL_FILE_SINK=false, it is not set'
        : 'RESEND_API_KEY: required in production with an external database, or set MAIL_FILE_SINK=true to write mail to MAIL_OUTBOX_DIR instead of sending it, it is not set',
    );
  }
  if (problems.length > 0) throw new ConfigValidationError(problems);

  return {
    env: e.NODE_ENV,
    http: {
      host: e.HOST,
      port: e.PORT,
      corsOrigins: e.CORS_ORIGINS,
      trustProxy: e.TRUST_PROXY,
      shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      publicUrl: e.APP_URL.replace(/\/+$/, ''),
      domain: e.APP_DOMAIN?.toLowerCase(),
    },
    log: {
      level: e.LOG_LEVEL,
      format: e.LOG_FORMAT ?? (e.NODE_ENV === 'production' ? 'json' : 'pretty'),
    },
    database: {
      host: e.DB_HOST,
      port: e.DB_PORT,
      user: e.DB_USERNAME ?? e.DB_USER ?? 'postgres',
      password: e.DB_PASSWORD,
      name: e.DB_NAME,
      ssl: e.DB_SSL,
      poolSize: e.DB_POOL_SIZE,
      poolMaxLifetimeSeconds: e.DB_POOL_MAX_LIFETIME_SECONDS,
      embeddedDataDir: e.DB_EMBEDDED_DATA_DIR,
      migrationsRun: e.MIGRATIONS_RUN ?? (embedded || e.NODE_ENV !== 'production'),
    },
    tenancy: {
      cacheTtlMs: e.TENANT_CACHE_TTL_MS,
      cacheMaxEntries: e.TENANT_CACHE_MAX_ENTRIES,
      migrationConcurrency: e.TENANT_MIGRATION_CONCURRENCY,
    },
    redis: e.REDIS_HOST ? { host: e.REDIS_HOST, port: e.REDIS_PORT, password: e.REDIS_PASSWORD } : undefined,
    rateLimit: {
      enabled: e.RATE_LIMIT_ENABLED,
      failMode: e.RATE_LIMIT_FAIL_MODE,
      publicPerIpPerMinute: e.RATE_LIMIT_PUBLIC_PER_IP_PER_MINUTE,
      storeTimeoutMs: e.RATE_LIMIT_STORE_TIMEOUT_MS,
    },
    cache: { ttlMs: e.CACHE_TTL_MS, memoryMaxEntries: e.CACHE_MEMORY_MAX_ENTRIES },
    rabbitmq: e.RABBITMQ_URL ? { url: e.RABBITMQ_URL } : undefined,
    stripe: e.STRIPE_SECRET_KEY
      ? {
          secretKey: e.STRIPE_SECRET_KEY,
          webhookSecret: e.STRIPE_WEBHOOK_SECRET,
          apiHost: e.STRIPE_API_HOST,
          apiPort: e.STRIPE_API_PORT,
          apiProtocol: e.STRIPE_API_PROTOCOL,
        }
      : undefined,
    resend: {
      apiKey: e.RESEND_API_KEY,
      baseUrl: e.RESEND_BASE_URL,
      fromEmail: e.RESEND_FROM_EMAIL,
      requestsPerSecond: e.RESEND_REQUESTS_PER_SECOND,
    },
    mail: {
      queuePrefix: e.MAIL_QUEUE_PREFIX,
      prefetch: e.MAIL_WORKER_PREFETCH,
      maxAttempts: e.MAIL_MAX_ATTEMPTS,
      retryDelaysMs: e.MAIL_RETRY_DELAYS_MS,
      relayPollIntervalMs: e.MAIL_RELAY_POLL_INTERVAL_MS,
      workerPort: e.MAIL_WORKER_PORT,
      outboxDir: e.MAIL_OUTBOX_DIR,
      fileSink,
      retention: {
        deliveredDays: e.MAIL_RETENTION_DAYS,
        deadLetterDays: e.MAIL_DEAD_LETTER_RETENTION_DAYS,
        intervalMs: e.MAIL_RETENTION_INTERVAL_MS,
      },
    },
    auth: {
      jwtSecret: e.JWT_SECRET,
      accessTokenTtlSeconds: e.JWT_ACCESS_TTL_SECONDS,
      totpEncryptionKey: e.TOTP_ENCRYPTION_KEY,
      apiKeyHashKey: e.API_KEY_HASH_KEY,
      apiKeyUsageFlushMs: e.API_KEY_USAGE_FLUSH_MS,
      refreshTokenTtlDays: e.REFRESH_TOKEN_TTL_DAYS,
      bcryptCost: e.BCRYPT_COST,
      passwordHashThreads: e.PASSWORD_HASH_THREADS ?? availableParallelism(),
      passwordHashMaxQueue: e.PASSWORD_HASH_MAX_QUEUE,
      passwordResetTtlMinutes: e.PASSWORD_RESET_TTL_MINUTES,
      invitationTtlHours: e.INVITATION_TTL_HOURS,
      emailVerificationTtlHours: e.EMAIL_VERIFICATION_TTL_HOURS,
      requireVerifiedEmail: e.REQUIRE_VERIFIED_EMAIL,
      maxLoginFailures: e.LOGIN_MAX_FAILURES,
      maxLoginFailuresPerIp: e.LOGIN_MAX_FAILURES_PER_IP,
      loginFailureWindowSeconds: e.LOGIN_FAILURE_WINDOW_SECONDS,
      membershipCacheTtlMs: e.MEMBERSHIP_CACHE_TTL_MS,
      membershipCacheMaxEntries: e.MEMBERSHIP_CACHE_MAX_ENTRIES,
    },
    billing: {
      plansFile: e.PLANS_FILE,
      defaultPlan: e.DEFAULT_PLAN,
      graceDays: e.BILLING_GRACE_DAYS,
      redirectOrigins: e.BILLING_REDIRECT_ORIGINS,
    },
  };
}
