import { DataSource } from 'typeorm';
import { loadTenantMigrations } from '../../src/tenancy/migrations/tenant-migration';
import { TenantSchemaMigrator } from '../../src/tenancy/migrations/tenant-schema-migrator';
import { type CliDataSource, openCliDataSource } from '../../src/tenancy/cli/cli-data-source';
import { runTenantCommand } from '../../src/tenancy/cli/tenant.command';
import { queuedMails, signUp, tenantClient, TEST_PASSWORD } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';
import { uniqueSlug } from '../support/tenants';

const OWNER_PASSWORD = 'a passphrase of my own';
const HOUR_MS = 3_600_000;

describe('npm run tenant -- create --owner-email', () => {
  let testApp: TestApp;
  let dataSource: DataSource;
  // The command runs on the data source `npm run tenant` opens, with only the entities it registers.
  let cli: CliDataSource;
  beforeAll(async () => {
    testApp = await startTestApp();
    dataSource = testApp.app.get(DataSource);
    cli = await openCliDataSource(testApp.config, 2);
  });
  afterAll(async () => {
    await cli?.close();
    await testApp?.close();
  });

  async function tenantCommand(...argv: string[]): Promise<{ code: number; output: string }> {
    let output = '';
    const code = await runTenantCommand(argv, {
      dataSource: cli.dataSource,
      migrator: new TenantSchemaMigrator(loadTenantMigrations()),
      config: testApp.config,
      output: { write: (text: string) => (output += text) },
    });
    return { code, output };
  }

  const tenantId = async (slug: string) =>
    (await dataSource.query<{ id: string }[]>(`SELECT id FROM public.tenants WHERE slug = $1`, [slug]))[0]
      ?.id;
  const identityCount = async (email: string) =>
    (
      await dataSource.query<{ n: number }[]>(
        `SELECT count(*)::int AS n FROM public.identities WHERE email = $1`,
        [email],
      )
    )[0].n;
  const logIn = (slug: string, email: string, password: string) =>
    tenantClient(testApp.url, slug).post('/auth/login', { email, password });

  it('makes a new email the owner, without a password until the mailed link sets one', async () => {
    const slug = uniqueSlug();
    const email = `ada@${slug}.example.com`;

    const { code, output } = await tenantCommand(
      'create',
      '--slug',
      slug,
      '--name',
      'Made on the command line',
      '--owner-email',
      `  Ada@${slug.toUpperCase()}.example.com `,
      '--owner-name',
      'Ada Lovelace',
    );

    expect(code).toBe(0);
    expect(output).toContain(`Created tenant ${slug}`);
    expect(output).toContain(`${email} (a new identity) owns it; a set-password mail is queued`);
    const id = await tenantId(slug);
    const mails = await queuedMails(testApp.app, email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      tenant_id: id,
      kind: 'set-password',
      content: { kind: 'set-password', data: { recipientName: 'Ada Lovelace', tenantSlug: slug } },
    });
    const { token, expiresAt } = mails[0].content.data;
    // As long as an invitation: the owner of a tenant made on the command line is, in effect, invited.
    const lifetimeMs = new Date(expiresAt).getTime() - Date.now();
    expect(lifetimeMs).toBeGreaterThan((testApp.config.auth.invitationTtlHours - 1) * HOUR_MS);
    expect(lifetimeMs).toBeLessThanOrEqual(testApp.config.auth.invitationTtlHours * HOUR_MS);

    for (const guess of [TEST_PASSWORD, OWNER_PASSWORD, '']) {
      expect((await logIn(slug, email, guess)).status).toBe(401);
    }

    const reset = await tenantClient(testApp.url, slug).post('/auth/password/reset', {
      token,
      password: OWNER_PASSWORD,
    });
    expect(reset.status).toBe(204);
    const login = await logIn(slug, email, OWNER_PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email, name: 'Ada Lovelace', role: 'owner' });
    const me = await tenantClient(testApp.url, slug, login.body.accessToken as string).get('/me');
    expect(me.body.tenant).toMatchObject({ id, slug, plan: testApp.config.billing.defaultPlan });
  });

  it('names a new owner after their email when --owner-name is not given', async () => {
    const slug = uniqueSlug();
    const email = `grace@${slug}.example.com`;

    expect(
      (await tenantCommand('create', '--slug', slug, '--name', 'Unnamed', '--owner-email', email)).code,
    ).toBe(0);

    const [mail] = await queuedMails(testApp.app, email);
    expect(mail.content.data.recipientName).toBe('grace');
  });

  it('makes an existing identity the owner with the password it has, and mails a welcome', async () => {
    const account = await signUp(testApp.url);
    const slug = uniqueSlug();

    const { code, output } = await tenantCommand(
      'create',
      '--slug',
      slug,
      '--name',
      'Second tenant',
      '--owner-email',
      account.email,
      '--owner-name',
      'Ignored Name',
    );

    expect(code).toBe(0);
    expect(output).toContain(`${account.email} (an existing identity) owns it; a welcome mail is queued`);
    const mails = (await queuedMails(testApp.app, account.email)).filter(
      (mail) => mail.tenant_id === account.tenant.id || mail.content.data.tenantSlug === slug,
    );
    expect(mails.map((mail) => [mail.kind, mail.content.data.tenantSlug])).toEqual([
      ['welcome', account.tenant.slug],
      ['welcome', slug],
    ]);
    const login = await logIn(slug, account.email, TEST_PASSWORD);
    expect(login.status).toBe(200);
    expect(login.body.user).toMatchObject({ email: account.email, name: account.user.name, role: 'owner' });
    expect((await logIn(account.tenant.slug, account.email, TEST_PASSWORD)).status).toBe(200);
    expect(await identityCount(account.email)).toBe(1);
  });

  it('refuses a malformed owner email before creating anything', async () => {
    const slug = uniqueSlug();

    const { code, output } = await tenantCommand(
      'create',
      '--slug',
      slug,
      '--name',
      'X',
      '--owner-email',
      'not-an-email',
    );

    expect(code).toBe(1);
    expect(output).toMatch(/^Failed: VALIDATION_FAILED: .*email/m);
    expect(await tenantId(slug)).toBeUndefined();
  });

  it('asks for --owner-email when only --owner-name is given', async () => {
    const slug = uniqueSlug();

    const { code, output } = await tenantCommand(
      'create',
      '--slug',
      slug,
      '--name',
      'X',
      '--owner-name',
      'Ada',
    );

    expect(code).toBe(2);
    expect(output).toContain('--owner-name needs --owner-email');
    expect(await tenantId(slug)).toBeUndefined();
  });

  it('leaves no tenant, identity or reset token behind when queueing the mail fails', async () => {
    const slug = uniqueSlug();
    const email = `doomed@${slug}.example.com`;
    await dataSource.query(`
      CREATE FUNCTION public.test_refuse_doomed_mail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.recipient LIKE 'doomed@%' THEN RAISE EXCEPTION 'the outbox is refusing mail'; END IF;
        RETURN NEW;
      END
      $$`);
    await dataSource.query(`
      CREATE TRIGGER outbox_test_refuse_doomed_mail BEFORE INSERT ON public.outbox
        FOR EACH ROW EXECUTE FUNCTION public.test_refuse_doomed_mail()`);
    try {
      const { code, output } = await tenantCommand(
        'create',
        '--slug',
        slug,
        '--name',
        'X',
        '--owner-email',
        email,
      );

      expect(code).toBe(1);
      expect(output).toContain('the outbox is refusing mail');
    } finally {
      await dataSource.query(`DROP TRIGGER outbox_test_refuse_doomed_mail ON public.outbox`);
      await dataSource.query(`DROP FUNCTION public.test_refuse_doomed_mail()`);
    }
    expect(await tenantId(slug)).toBeUndefined();
    expect(await identityCount(email)).toBe(0);
    const [{ n }] = await dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM public.password_reset_tokens t JOIN public.identities i ON i.id = t.identity_id
       WHERE i.email = $1`,
      [email],
    );
    expect(n).toBe(0);
  });
});
