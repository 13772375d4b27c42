import { request as httpRequest } from 'node:http';
import { signUp, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

/** Spellings of `/api/v1/projects` a router might match while the tenant middleware's path test does not. */
const SPELLINGS = [
  '/api/v1/projects',
  '/api/v1/%70rojects',
  '/api/v1/proj%65cts',
  '/api%2Fv1/projects',
  '/api/v1/projects/',
  '/api/v1//projects',
  '//api/v1/projects',
  '/api/v1/./projects',
  '/api/v1/x/../projects',
  '/api/v1/projects;x',
  '/API/V1/PROJECTS',
  '/api/v1/projects?page=1',
  '/api/v1/projects#frag',
];

/** One request with the path exactly as written: no client normalises it. */
function get(url: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(`${url}${path}`, { headers }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
    request.end();
  });
}

describe('a tenant route, however its path is spelled', () => {
  let testApp: TestApp;
  let account: SignedUpAccount;
  let canonical: string;

  beforeAll(async () => {
    testApp = await startTestApp();
    account = await signUp(testApp.url);
    const auth = { Authorization: `Bearer ${account.accessToken}` };
    canonical = (await get(testApp.url, '/api/v1/projects', { ...auth, 'X-Tenant': account.tenant.slug }))
      .body;
  });
  afterAll(() => testApp.close());

  it.each(SPELLINGS)('%s is the tenant route with its tenant resolved, or not found', async (path) => {
    const auth = { Authorization: `Bearer ${account.accessToken}` };
    const withTenant = await get(testApp.url, path, { ...auth, 'X-Tenant': account.tenant.slug });
    expect([200, 404]).toContain(withTenant.status);
    if (withTenant.status === 200) expect(withTenant.body).toBe(canonical);

    // Served only through tenant resolution: without a tenant it is never answered, and never a 500.
    const withoutTenant = await get(testApp.url, path, auth);
    expect([400, 404]).toContain(withoutTenant.status);
    if (withoutTenant.status === 400)
      expect(JSON.parse(withoutTenant.body)).toMatchObject({ code: 'TENANT_REQUIRED' });
  });
});
