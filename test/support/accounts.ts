import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { uniqueSlug } from './tenants';

export const TEST_PASSWORD = 'correct horse battery staple';

export interface SignedUpAccount {
  tenant: { id: string; slug: string; name: string; plan: string; status: string };
  user: { id: string; email: string; name: string; role: string };
  accessToken: string;
  refreshToken: string;
  email: string;
  password: string;
}

/** A tenant with its owner, through the real signup route; `headers` are added to the request. */
export async function signUp(
  baseUrl: string,
  overrides: Partial<Record<string, string>> = {},
  headers: Record<string, string> = {},
): Promise<SignedUpAccount> {
  const slug = overrides.slug ?? uniqueSlug();
  const body = {
    organizationName: `Org ${slug}`,
    slug,
    name: 'Owner Person',
    email: `owner@${slug}.example.com`,
    password: TEST_PASSWORD,
    ...overrides,
  };
  const response = await fetch(`${baseUrl}/api/v1/signup`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
  return {
    ...((await response.json()) as Omit<SignedUpAccount, 'email' | 'password'>),
    email: body.email,
    password: body.password,
  };
}

/** Requests to one tenant's routes under /api/v1, optionally with a bearer token. */
export function tenantClient(baseUrl: string, slug: string, accessToken?: string) {
  const prepare = (test: request.Test) => {
    test.set('X-Tenant', slug);
    if (accessToken) test.set('Authorization', `Bearer ${accessToken}`);
    return test;
  };
  const agent = request(baseUrl);
  return {
    get: (path: string) => prepare(agent.get(`/api/v1${path}`)),
    post: (path: string, body?: object) => prepare(agent.post(`/api/v1${path}`)).send(body),
    patch: (path: string, body: object) => prepare(agent.patch(`/api/v1${path}`)).send(body),
    put: (path: string, body: object) => prepare(agent.put(`/api/v1${path}`)).send(body),
    delete: (path: string) => prepare(agent.delete(`/api/v1${path}`)),
  };
}

export interface QueuedMail {
  tenant_id: string;
  recipient: string;
  kind: string;
  content: { kind: string; data: Record<string, string> };
}

/**
 * Mails written to the outbox for a recipient, oldest first, as they were queued: read from the test
 * databases' copy (see queued-mail-copy.ts), since the outbox forgets a mail's content once it is sent.
 */
export async function queuedMails(app: INestApplication, recipient: string): Promise<QueuedMail[]> {
  return app.get(DataSource).query<QueuedMail[]>(
    `SELECT tenant_id, recipient, kind, content FROM public.test_queued_mail WHERE recipient = $1
       ORDER BY created_at`,
    [recipient],
  );
}
