import request from 'supertest';
import { DataSource } from 'typeorm';
import { PasswordHasher } from '../../src/auth/passwords/password-hasher';
import { IdentitiesService } from '../../src/identities/identities.service';
import { TenantLifecycleService } from '../../src/tenancy/tenant-lifecycle.service';
import { queuedMails, signUp, tenantClient, TEST_PASSWORD, type SignedUpAccount } from '../support/accounts';
import { invite } from '../support/members';
import { startTestApp, type TestApp } from '../support/test-app';
import { uniqueSlug } from '../support/tenants';

const OTHER_PASSWORD = 'another long passphrase';
const NEW_PASSWORD = 'a brand new passphrase';

interface Tokens {
  accessToken: string;
  refreshToken: string;
}

interface ListedTenant {
  id: string;
  slug: string;
  name: string;
  role: string;
}

describe('one identity, a membership per tenant', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  beforeAll(async () => {
    testApp = await startTestApp();
    dataSource = testApp.app.get(DataSource);
  });
  afterAll(() => testApp.close());

  const count = async (sql: string, params: unknown[] = []) =>
    (await dataSource.query<{ n: number }[]>(sql, params))[0].n;
  const login = (slug: string, email: string, password = TEST_PASSWORD) =>
    tenantClient(testApp.url, slug).post('/auth/login', { email, password });
  const tenantsOf = async (slug: string, tokens: Tokens): Promise<ListedTenant[]> => {
    const response = await tenantClient(testApp.url, slug, tokens.accessToken).get('/me/tenants');
    expect(response.status).toBe(200);
    return response.body as ListedTenant[];
  };
  const summary = (account: SignedUpAccount, role: string): ListedTenant => ({
    id: account.tenant.id,
    slug: account.tenant.slug,
    name: account.tenant.name,
    role,
  });
  const bySlug = (tenants: ListedTenant[]) => [...tenants].sort((a, b) => a.slug.localeCompare(b.slug));
  const signupBody = (email: string, password = TEST_PASSWORD, slug = uniqueSlug()) => ({
    organizationName: `Org ${slug}`,
    slug,
    name: 'Someone Else',
    email,
    password,
  });
  const postSignup = (body: object) => request(testApp.url).post('/api/v1/signup').send(body);

  /** The owner of `home` invited to `other` as a member, accepted with `password`. */
  async function inviteInto(home: SignedUpAccount, other: SignedUpAccount, password = TEST_PASSWORD) {
    const sent = await invite(
      testApp.app,
      testApp.url,
      other.tenant.slug,
      other.accessToken,
      'member',
      home.email,
    );
    return tenantClient(testApp.url, other.tenant.slug).post('/invitations/accept', {
      token: sent.token,
      name: 'A name that is ignored',
      password,
    });
  }

  it('signs a person invited to a second tenant in to both with one password, and lists both', async () => {
    const home = await signUp(testApp.url);
    const other = await signUp(testApp.url);
    const accepted = await inviteInto(home, other);
    expect(accepted.status).toBe(201);
    // The identity keeps its name; the invitation's `name` is ignored.
    expect(accepted.body.user).toEqual({
      id: expect.any(String),
      email: home.email,
      name: 'Owner Person',
      role: 'member',
    });
    expect(accepted.body.user.id).not.toBe(home.user.id);

    const atHome = await login(home.tenant.slug, home.email);
    const atOther = await login(other.tenant.slug, home.email);
    expect(atHome.status).toBe(200);
    expect(atOther.status).toBe(200);
    expect(atOther.body.user).toEqual(accepted.body.user);

    const expected = bySlug([summary(home, 'owner'), summary(other, 'member')]);
    expect(bySlug(await tenantsOf(home.tenant.slug, atHome.body as Tokens))).toEqual(expected);
    expect(bySlug(await tenantsOf(other.tenant.slug, atOther.body as Tokens))).toEqual(expected);

    const crossed = await tenantClient(testApp.url, other.tenant.slug, atHome.body.accessToken).get('/me');
    expect(crossed.status).toBe(401);
    expect(crossed.body.code).toBe('UNAUTHORIZED');
    const members = await tenantClient(testApp.url, other.tenant.slug, other.accessToken).get('/members');
    expect(members.body.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [other.email, 'owner'],
      [home.email, 'member'],
    ]);
  });

  it('answers a sign-in where the identity is no member exactly like a wrong password, after a bcrypt compare', async () => {
    const home = await signUp(testApp.url);
    const stranger = await signUp(testApp.url);
    const verify = jest.spyOn(testApp.app.get(PasswordHasher), 'verify');
    try {
      const notMember = await login(stranger.tenant.slug, home.email);
      const wrongPassword = await login(home.tenant.slug, home.email, 'not the password at all');
      const unknown = await login(home.tenant.slug, `nobody-${uniqueSlug()}@example.com`);
      for (const response of [notMember, wrongPassword, unknown]) {
        expect(response.status).toBe(401);
        expect(response.body).toEqual({ ...notMember.body, requestId: response.body.requestId });
        expect(response.body.code).toBe('INVALID_CREDENTIALS');
      }
      expect(verify).toHaveBeenCalledTimes(3);
    } finally {
      verify.mockRestore();
    }
  });

  it('refuses an invitation accepted for an existing identity with a wrong password, creating nothing', async () => {
    const home = await signUp(testApp.url);
    const other = await signUp(testApp.url);
    const sent = await invite(
      testApp.app,
      testApp.url,
      other.tenant.slug,
      other.accessToken,
      'admin',
      home.email,
    );
    const accept = (password: string) =>
      tenantClient(testApp.url, other.tenant.slug).post('/invitations/accept', {
        token: sent.token,
        name: 'Intruder',
        password,
      });
    const refused = await accept(OTHER_PASSWORD);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('INVALID_CREDENTIALS');
    const members = await tenantClient(testApp.url, other.tenant.slug, other.accessToken).get('/members');
    expect(members.body).toHaveLength(1);
    const pending = await tenantClient(testApp.url, other.tenant.slug, other.accessToken).get('/invitations');
    expect(pending.body.map((invitation: { id: string }) => invitation.id)).toEqual([sent.id]);
    expect((await login(other.tenant.slug, home.email)).status).toBe(401);
    expect((await login(home.tenant.slug, home.email)).status).toBe(200);

    const accepted = await accept(TEST_PASSWORD);
    expect(accepted.status).toBe(201);
    expect(accepted.body.user).toMatchObject({ email: home.email, name: 'Owner Person', role: 'admin' });
  });

  it('signs up a new tenant for an existing identity only with its password', async () => {
    const home = await signUp(testApp.url);
    const schemasBefore = await count(
      `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'`,
    );
    const outboxBefore = await count('SELECT count(*)::int AS n FROM public.outbox');
    const wrong = signupBody(home.email, OTHER_PASSWORD);
    const refused = await postSignup(wrong);
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('INVALID_CREDENTIALS');
    expect(await count('SELECT count(*)::int AS n FROM public.tenants WHERE slug = $1', [wrong.slug])).toBe(
      0,
    );
    expect(await count(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'`)).toBe(
      schemasBefore,
    );
    expect(await count('SELECT count(*)::int AS n FROM public.outbox')).toBe(outboxBefore);
    expect((await login(home.tenant.slug, home.email)).status).toBe(200);

    const second = await signUp(testApp.url, { email: home.email.toUpperCase(), name: 'Ignored Name' });
    expect(second.user).toEqual({
      id: expect.any(String),
      email: home.email,
      name: 'Owner Person',
      role: 'owner',
    });
    expect(bySlug(await tenantsOf(second.tenant.slug, second))).toEqual(
      bySlug([summary(home, 'owner'), summary(second, 'owner')]),
    );
  });

  it('ends every session of the identity in every tenant on a password reset through one of them', async () => {
    const home = await signUp(testApp.url);
    const other = await signUp(testApp.url);
    const stranger = await signUp(testApp.url);
    expect((await inviteInto(home, other)).status).toBe(201);
    const atOther = (await login(other.tenant.slug, home.email)).body as Tokens;
    const atHome = (await login(home.tenant.slug, home.email)).body as Tokens;

    // Asked through a tenant the identity does not belong to: no mail, branded by that tenant or any.
    const strangerAsked = await tenantClient(testApp.url, stranger.tenant.slug).post(
      '/auth/password/forgot',
      {
        email: home.email,
      },
    );
    expect(strangerAsked.status).toBe(202);
    expect((await queuedMails(testApp.app, home.email)).filter((m) => m.kind === 'password-reset')).toEqual(
      [],
    );

    await tenantClient(testApp.url, home.tenant.slug).post('/auth/password/forgot', { email: home.email });
    const [mail] = (await queuedMails(testApp.app, home.email)).filter((m) => m.kind === 'password-reset');
    expect(mail).toMatchObject({ tenant_id: home.tenant.id, recipient: home.email });
    expect(mail.content.data).toMatchObject({ recipientName: 'Owner Person', tenantSlug: home.tenant.slug });
    const reset = await tenantClient(testApp.url, home.tenant.slug).post('/auth/password/reset', {
      token: mail.content.data.token,
      password: NEW_PASSWORD,
    });
    expect(reset.status).toBe(204);

    for (const [slug, tokens] of [
      [other.tenant.slug, atOther],
      [home.tenant.slug, atHome],
      [home.tenant.slug, home],
    ] as const) {
      expect((await tenantClient(testApp.url, slug, tokens.accessToken).get('/me')).status).toBe(401);
      const refresh = await tenantClient(testApp.url, slug).post('/auth/refresh', {
        refreshToken: tokens.refreshToken,
      });
      expect(refresh.status).toBe(401);
    }
    for (const slug of [home.tenant.slug, other.tenant.slug]) {
      expect((await login(slug, home.email)).status).toBe(401);
      expect((await login(slug, home.email, NEW_PASSWORD)).status).toBe(200);
    }
    // The other tenant's owner, a different identity, keeps their session.
    expect((await tenantClient(testApp.url, other.tenant.slug, other.accessToken).get('/me')).status).toBe(
      200,
    );
  });

  it('gives no session to a sign-in whose password check a reset overtook', async () => {
    const home = await signUp(testApp.url);
    await tenantClient(testApp.url, home.tenant.slug).post('/auth/password/forgot', { email: home.email });
    const [mail] = (await queuedMails(testApp.app, home.email)).filter((m) => m.kind === 'password-reset');
    const hasher = testApp.app.get(PasswordHasher);
    const checkPassword = hasher.verify.bind(hasher);
    const verify = jest.spyOn(hasher, 'verify').mockImplementationOnce(async (password, hash) => {
      const matches = await checkPassword(password, hash);
      const reset = await tenantClient(testApp.url, home.tenant.slug).post('/auth/password/reset', {
        token: mail.content.data.token,
        password: NEW_PASSWORD,
      });
      expect(reset.status).toBe(204);
      return matches;
    });
    try {
      const overtaken = await login(home.tenant.slug, home.email);
      expect(overtaken.status).toBe(401);
      expect(overtaken.body.code).toBe('INVALID_CREDENTIALS');
    } finally {
      verify.mockRestore();
    }
    expect((await login(home.tenant.slug, home.email, NEW_PASSWORD)).status).toBe(200);
  });

  it('refuses a reset token at a tenant other than the one it was asked through', async () => {
    const home = await signUp(testApp.url);
    const other = await signUp(testApp.url);
    expect((await inviteInto(home, other)).status).toBe(201);
    await tenantClient(testApp.url, home.tenant.slug).post('/auth/password/forgot', { email: home.email });
    const [mail] = (await queuedMails(testApp.app, home.email)).filter((m) => m.kind === 'password-reset');
    const elsewhere = await tenantClient(testApp.url, other.tenant.slug).post('/auth/password/reset', {
      token: mail.content.data.token,
      password: NEW_PASSWORD,
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.code).toBe('INVALID_TOKEN');
    expect((await login(other.tenant.slug, home.email)).status).toBe(200);
  });

  it('removes a membership, not the identity: the other tenant stays, and a new tenant can be signed up', async () => {
    const home = await signUp(testApp.url);
    const other = await signUp(testApp.url);
    const accepted = await inviteInto(home, other);
    expect(accepted.status).toBe(201);
    const membershipAtOther = accepted.body.user.id as string;
    const atHome = (await login(home.tenant.slug, home.email)).body as Tokens;

    const removed = await tenantClient(testApp.url, other.tenant.slug, other.accessToken).delete(
      `/members/${membershipAtOther}`,
    );
    expect(removed.status).toBe(204);
    expect(
      (await tenantClient(testApp.url, other.tenant.slug, accepted.body.accessToken).get('/me')).status,
    ).toBe(401);
    expect((await login(other.tenant.slug, home.email)).status).toBe(401);
    expect((await tenantClient(testApp.url, home.tenant.slug, atHome.accessToken).get('/me')).status).toBe(
      200,
    );
    expect((await login(home.tenant.slug, home.email)).status).toBe(200);
    expect(await tenantsOf(home.tenant.slug, atHome)).toEqual([summary(home, 'owner')]);

    // Invited again later, the person rejoins with the same one password.
    expect((await inviteInto(home, other)).status).toBe(201);
  });

  it('keeps an identity whose last membership is gone: it signs up a new tenant with its password', async () => {
    const home = await signUp(testApp.url);
    const other = await signUp(testApp.url);
    const accepted = await inviteInto(other, home);
    expect(accepted.status).toBe(201);
    await tenantClient(testApp.url, home.tenant.slug, home.accessToken).delete(
      `/members/${accepted.body.user.id}`,
    );
    await testApp.app.get(TenantLifecycleService).delete(other.tenant.slug, other.tenant.slug);
    expect(
      await count(
        'SELECT count(*)::int AS n FROM public.identity_memberships d JOIN public.identities i ON i.id = d.identity_id WHERE i.email = $1',
        [other.email],
      ),
    ).toBe(0);

    expect((await postSignup(signupBody(other.email, OTHER_PASSWORD))).status).toBe(401);
    const again = await postSignup(signupBody(other.email));
    expect(again.status).toBe(201);
    expect(again.body.user).toMatchObject({ email: other.email, name: 'Owner Person', role: 'owner' });
  });

  it('deletes a tenant with its memberships only: the identity signs in elsewhere and no longer lists it', async () => {
    const home = await signUp(testApp.url);
    const other = await signUp(testApp.url);
    expect((await inviteInto(home, other)).status).toBe(201);
    await testApp.app.get(TenantLifecycleService).delete(other.tenant.slug, other.tenant.slug);
    const atHome = await login(home.tenant.slug, home.email);
    expect(atHome.status).toBe(200);
    expect(await tenantsOf(home.tenant.slug, atHome.body as Tokens)).toEqual([summary(home, 'owner')]);
  });

  it('lists only the tenants a client can switch to: a suspended one is left out', async () => {
    const home = await signUp(testApp.url);
    const other = await signUp(testApp.url);
    expect((await inviteInto(home, other)).status).toBe(201);
    const lifecycle = testApp.app.get(TenantLifecycleService);
    await lifecycle.suspend(other.tenant.slug);
    expect(await tenantsOf(home.tenant.slug, home)).toEqual([summary(home, 'owner')]);
    await lifecycle.resume(other.tenant.slug);
    expect(bySlug(await tenantsOf(home.tenant.slug, home))).toEqual(
      bySlug([summary(home, 'owner'), summary(other, 'member')]),
    );
  });

  it('shows a role change in the list of tenants', async () => {
    const home = await signUp(testApp.url);
    const other = await signUp(testApp.url);
    const accepted = await inviteInto(home, other);
    const changed = await tenantClient(testApp.url, other.tenant.slug, other.accessToken).patch(
      `/members/${accepted.body.user.id}`,
      { role: 'admin' },
    );
    expect(changed.status).toBe(200);
    expect(bySlug(await tenantsOf(home.tenant.slug, home))).toEqual(
      bySlug([summary(home, 'owner'), summary(other, 'admin')]),
    );
  });

  it('creates 20 tenants owned by one identity from 20 concurrent signups, nothing half-made', async () => {
    const home = await signUp(testApp.url);
    const bodies = Array.from({ length: 20 }, () => signupBody(home.email));
    const responses = await Promise.all(bodies.map((body) => postSignup(body)));
    expect(responses.map((response) => response.status)).toEqual(Array(20).fill(201));
    for (const response of responses) {
      expect(response.body.user).toMatchObject({ email: home.email, name: 'Owner Person', role: 'owner' });
    }
    const listed = await tenantsOf(home.tenant.slug, home);
    expect(listed.map((tenant) => tenant.slug).sort()).toEqual(
      [home.tenant.slug, ...bodies.map((body) => body.slug)].sort(),
    );
    expect(listed.every((tenant) => tenant.role === 'owner')).toBe(true);
    for (const body of bodies) {
      const owners = await tenantClient(
        testApp.url,
        body.slug,
        responses.find((response) => response.body.tenant.slug === body.slug)?.body.accessToken,
      ).get('/members');
      expect(owners.body.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
        [home.email, 'owner'],
      ]);
    }
    expect(
      await count('SELECT count(*)::int AS n FROM public.identities WHERE email = $1', [home.email]),
    ).toBe(1);
  });

  /** Both signups look the email up before either writes it: both set out to create the identity. */
  async function racingSignups(bodies: ReturnType<typeof signupBody>[]) {
    const identities = testApp.app.get(IdentitiesService);
    const findByEmail = identities.findByEmail.bind(identities);
    let arrived = 0;
    let release: () => void = () => undefined;
    const allArrived = new Promise<void>((resolve) => (release = resolve));
    const lookup = jest.spyOn(identities, 'findByEmail').mockImplementation(async (email) => {
      const found = await findByEmail(email);
      if (++arrived === bodies.length) release();
      await allArrived;
      return found;
    });
    try {
      return await Promise.all(bodies.map((body) => postSignup(body)));
    } finally {
      lookup.mockRestore();
    }
  }

  it('settles two concurrent signups with one new email: the same password joins one identity, another is refused', async () => {
    const email = `race-${uniqueSlug()}@example.com`;
    const same = await racingSignups([signupBody(email), signupBody(email)]);
    expect(same.map((response) => response.status)).toEqual([201, 201]);
    expect(await count('SELECT count(*)::int AS n FROM public.identities WHERE email = $1', [email])).toBe(1);

    const rival = `rival-${uniqueSlug()}@example.com`;
    const bodies = [signupBody(rival), signupBody(rival, OTHER_PASSWORD)];
    const split = await racingSignups(bodies);
    expect(split.map((response) => response.status).sort()).toEqual([201, 401]);
    expect(split.find((response) => response.status === 401)?.body.code).toBe('INVALID_CREDENTIALS');
    const lost = bodies[split.findIndex((response) => response.status === 401)];
    expect(await count('SELECT count(*)::int AS n FROM public.tenants WHERE slug = $1', [lost.slug])).toBe(0);
    const won = bodies[split.findIndex((response) => response.status === 201)];
    expect((await login(won.slug, rival, won.password)).status).toBe(200);
  });
});
