import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const PRO_PRICE = 'price_pro_monthly';

/** A plan catalogue like the built-in one with the given requestsPerMinute, for PLANS_FILE. */
export function plansFile(limits: { free: number; pro: number }): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'saas-plans-')), 'plans.json');
  const plan = (id: string, requestsPerMinute: number, stripePriceId: string | null, features: string[]) => ({
    id,
    name: id,
    stripePriceId,
    features,
    limits: { projects: 100, members: 10, requestsPerMinute },
  });
  writeFileSync(
    file,
    JSON.stringify({
      plans: [plan('free', limits.free, null, []), plan('pro', limits.pro, PRO_PRICE, ['audit_log'])],
    }),
  );
  return file;
}

/** Environment shared by every API process of one test: limits on, one JWT secret, machine Redis. */
export function rateLimitedEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    RATE_LIMIT_ENABLED: 'true',
    REDIS_HOST: process.env.TEST_REDIS_HOST ?? '127.0.0.1',
    REDIS_PORT: process.env.TEST_REDIS_PORT ?? '6379',
    JWT_SECRET: randomBytes(32).toString('hex'),
    ...overrides,
  };
}

/** Redis can answer past the default 500 ms on a loaded machine; failing open would then count nothing. */
export const PATIENT_STORE = { RATE_LIMIT_STORE_TIMEOUT_MS: '5000' };

/**
 * A client address of its own per call, for X-Forwarded-For behind TRUST_PROXY: reruns and test files
 * running alongside on the same Redis never share a per-IP count.
 */
export function randomIpv4(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${1 + (c % 254)}`;
}

export interface Answer {
  status: number;
  code?: string;
  headers: Headers;
}

/** One GET of a tenant route, answered as status, error code and headers. */
export async function getAs(
  baseUrl: string,
  slug: string,
  accessToken: string | undefined,
  route = '/projects',
): Promise<Answer> {
  const headers: Record<string, string> = { 'X-Tenant': slug };
  if (accessToken) headers.Authorization = `Bearer ${accessToken}`;
  const response = await fetch(`${baseUrl}/api/v1${route}`, { headers });
  const body = (await response.json().catch(() => ({}))) as { code?: string };
  return { status: response.status, code: body.code, headers: response.headers };
}

export function countStatuses(answers: Answer[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { status } of answers) counts[status] = (counts[status] ?? 0) + 1;
  return counts;
}
