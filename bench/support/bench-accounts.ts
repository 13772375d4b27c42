import { randomBytes } from 'node:crypto';

/** The owner of a tenant made by the real signup: a password of its own (long, not a common one). */
export interface BenchAccount {
  slug: string;
  email: string;
  password: string;
}

/** Environment for a bench that signs up only to get a token: the lowest bcrypt cost keeps signups fast, tokens outlive a full run. */
export const QUICK_SIGNUP_ENV = { BCRYPT_COST: '4', JWT_ACCESS_TTL_SECONDS: '86400' };

export function benchAccount(slug: string): BenchAccount {
  return { slug, email: `owner@${slug}.example.com`, password: `Bench-${randomBytes(9).toString('hex')}` };
}

/** The body of POST /api/v1/signup for `account`. */
export function signupBody(account: BenchAccount) {
  return {
    organizationName: `Bench ${account.slug}`,
    slug: account.slug,
    name: 'Bench Owner',
    email: account.email,
    password: account.password,
  };
}

/** Signs `account` up through the API at `url`; returns the owner's access token. */
export async function signUp(url: string, account: BenchAccount): Promise<string> {
  const response = await fetch(`${url}/api/v1/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(signupBody(account)),
  });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${await response.text()}`);
  const { accessToken } = (await response.json()) as { accessToken: string };
  return accessToken;
}

/** A tenant's owner as the bench uses it: the tenant's slug and the access token signup issued. */
export interface SignedUpOwner {
  slug: string;
  accessToken: string;
}

/** The headers of a tenant request by `owner`. */
export function ownerHeaders(owner: SignedUpOwner): Record<string, string> {
  return { 'x-tenant': owner.slug, authorization: `Bearer ${owner.accessToken}` };
}

/** Creates `count` projects through POST /api/v1/projects, one after another (newest last). */
export async function createProjects(url: string, owner: SignedUpOwner, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const created = await fetch(`${url}/api/v1/projects`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...ownerHeaders(owner) },
      body: JSON.stringify({ name: `Project ${i}` }),
    });
    if (created.status !== 201) throw new Error(`project creation failed: ${created.status}`);
  }
}
