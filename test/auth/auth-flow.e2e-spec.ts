import { DataSource } from 'typeorm';
import { PlanCatalogue } from '../../src/billing/plans/plan-catalogue';
import { signUp, tenantClient, TEST_PASSWORD, queuedMails, type SignedUpAccount } from '../support/accounts';
import { fixtureNotes } from '../support/fixture-notes/fixture-notes';
import { startTestApp, type TestApp } from '../support/test-app';

describe('signup and authentication, two tenants side by side', () => {
  let testApp: TestApp;
  let acme: SignedUpAccount;
  let globex: SignedUpAccount;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { APP_DOMAIN: 'example.test' }, ...fixtureNotes });
    [acme, globex] = await Promise.all([signUp(testApp.url), signUp(testApp.url)]);
  });
  afterAll(() => testApp.close());

  it('signs up with the contract body and a welcome mail for the owner', async () => {
    expect(acme.tenant).toEqual({
      id: expect.any(String),
      slug: acme.tenant.slug,
      name: `Org ${acme.tenant.slug}`,
      plan: 'free',
      status: 'active',
    });
    expect(acme.user).toEqual({
      id: expect.any(String),
      email: acme.email,
      name: 'Owner Person',
      role: 'owner',
    });
    expect(acme.accessToken.split('.')).toHaveLength(3);
    expect(acme.refreshToken.length).toBeGreaterThan(20);
    const mails = await queuedMails(testApp.app, acme.email);
    expect(mails).toEqual([
      expect.objectContaining({ tenant_id: acme.tenant.id, recipient: acme.email, kind: 'welcome' }),
    ]);
  });

  it('runs login → /me → create a tenant row → refresh → logout for each tenant', async () => {
    for (const account of [acme, globex]) {
      const anonymous = tenantClient(testApp.url, account.tenant.slug);
      const login = await anonymous.post('/auth/login', {
        email: account.email.toUpperCase(),
        password: TEST_PASSWORD,
      });
      expect(login.status).toBe(200);
      expect(login.body.user).toEqual(account.user);
      const client = tenantClient(testApp.url, account.tenant.slug, login.body.accessToken as string);

      const me = await client.get('/me');
      expect(me.status).toBe(200);
      expect(me.body).toEqual({
        kind: 'user',
        user: { ...account.user, emailVerified: false, twoFactorEnabled: false },
        tenant: {
          ...account.tenant,
          features: [],
          limits: testApp.app.get(PlanCatalogue).get('free').limits,
        },
      });

      const note = await client.post('/fixture-notes', { name: `${account.tenant.slug} launch` });
      expect(note.status).toBe(201);
      const list = await client.get('/fixture-notes');
      expect(list.body.items.map((n: { name: string }) => n.name)).toEqual([`${account.tenant.slug} launch`]);

      const refreshed = await anonymous.post('/auth/refresh', {
        refreshToken: login.body.refreshToken as string,
      });
      expect(refreshed.status).toBe(200);
      expect(Object.keys(refreshed.body as object).sort()).toEqual(['accessToken', 'refreshToken']);
      const fresh = tenantClient(testApp.url, account.tenant.slug, refreshed.body.accessToken as string);
      expect((await fresh.get('/me')).status).toBe(200);

      expect(
        (await fresh.post('/auth/logout', { refreshToken: refreshed.body.refreshToken as string })).status,
      ).toBe(204);
      const afterLogout = await anonymous.post('/auth/refresh', {
        refreshToken: refreshed.body.refreshToken as string,
      });
      expect(afterLogout.status).toBe(401);
    }
  });

  it("refuses A's token against B, by header or by subdomain", async () => {
    const byHeader = await tenantClient(testApp.url, globex.tenant.slug, acme.accessToken).get(
      '/fixture-notes',
    );
    expect(byHeader.status).toBe(401);
    expect(byHeader.body.code).toBe('UNAUTHORIZED');
    const bySubdomain = await tenantClient(testApp.url, 'ignored-by-host', acme.accessToken)
      .get('/fixture-notes')
      .set('Host', `${globex.tenant.slug}.example.test`);
    expect(bySubdomain.status).toBe(401);
    const own = await tenantClient(testApp.url, 'ignored-by-host', acme.accessToken)
      .get('/fixture-notes')
      .set('Host', `${acme.tenant.slug}.example.test`);
    expect(own.status).toBe(200);
  });

  it("does not let A's user sign in through B", async () => {
    const response = await tenantClient(testApp.url, globex.tenant.slug).post('/auth/login', {
      email: acme.email,
      password: TEST_PASSWORD,
    });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('answers a wrong password and an unknown email alike', async () => {
    const client = tenantClient(testApp.url, acme.tenant.slug);
    const wrongPassword = await client.post('/auth/login', {
      email: acme.email,
      password: 'not the password',
    });
    const unknownEmail = await client.post('/auth/login', {
      email: 'nobody@example.com',
      password: TEST_PASSWORD,
    });
    for (const response of [wrongPassword, unknownEmail]) {
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({
        code: 'INVALID_CREDENTIALS',
        message: 'The email or password is wrong',
      });
    }
  });

  it('requires an access token on tenant routes', async () => {
    for (const path of ['/fixture-notes', '/members', '/me']) {
      const response = await tenantClient(testApp.url, acme.tenant.slug).get(path);
      expect(response.status).toBe(401);
      expect(response.body.code).toBe('UNAUTHORIZED');
    }
  });

  it('accepts the same email in two tenants', async () => {
    const email = `shared-${Date.now()}@example.com`;
    const [first, second] = await Promise.all([
      signUp(testApp.url, { email }),
      signUp(testApp.url, { email }),
    ]);
    expect(first.user.email).toBe(email);
    expect(second.user.email).toBe(email);
    expect(first.tenant.id).not.toBe(second.tenant.id);
  });

  it('validates the signup body', async () => {
    const post = (body: object) => tenantClient(testApp.url, 'unused').post('/signup', body);
    const base = {
      organizationName: 'Org',
      slug: 'valid-slug-x',
      name: 'N',
      email: 'n@example.com',
      password: TEST_PASSWORD,
    };
    const cases: [object, string][] = [
      [{ ...base, slug: 'admin' }, 'slug'],
      [{ ...base, slug: 'Bad_Slug' }, 'slug'],
      [{ ...base, email: 'not-an-email' }, 'email'],
      [{ ...base, password: 'short' }, 'password'],
      [{ ...base, password: 'password1234' }, 'password'],
      [{ ...base, organizationName: '' }, 'organizationName'],
    ];
    for (const [body, field] of cases) {
      const response = await post(body);
      expect(response.status).toBe(400);
      expect(response.body.code).toBe('VALIDATION_FAILED');
      expect(response.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const [{ n }] = await testApp.app
      .get(DataSource)
      .query<{ n: number }[]>(`SELECT count(*)::int AS n FROM public.tenants WHERE slug = 'valid-slug-x'`);
    expect(n).toBe(0);
  });
});
