import request from 'supertest';
import { DataSource } from 'typeorm';
import { MailOutbox } from '../../src/mail/outbox/mail-outbox';
import { TEST_PASSWORD } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';
import { uniqueSlug } from '../support/tenants';

describe('signup is all or nothing', () => {
  let testApp: TestApp;
  let dataSource: DataSource;

  beforeAll(async () => {
    testApp = await startTestApp();
    dataSource = testApp.app.get(DataSource);
  });
  afterAll(() => testApp.close());

  const signupBody = (slug: string, email = `owner@${slug}.example.com`) => ({
    organizationName: 'Org',
    slug,
    name: 'Owner',
    email,
    password: TEST_PASSWORD,
  });
  const count = async (sql: string, params: unknown[] = []) =>
    (await dataSource.query<{ n: number }[]>(sql, params))[0].n;

  it('leaves no tenant, schema, user or mail when a step after the schema fails', async () => {
    const slug = uniqueSlug();
    const schemasBefore = await count(
      `SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'`,
    );
    const outboxBefore = await count('SELECT count(*)::int AS n FROM public.outbox');
    // The welcome mail is the last write of signup: the schema, owner and session exist by then.
    const enqueue = jest
      .spyOn(testApp.app.get(MailOutbox), 'enqueue')
      .mockRejectedValueOnce(new Error('outbox unavailable'));
    try {
      const response = await request(testApp.url).post('/api/v1/signup').send(signupBody(slug));
      expect(response.status).toBe(500);
      expect(response.body.code).toBe('INTERNAL');
    } finally {
      enqueue.mockRestore();
    }
    expect(await count('SELECT count(*)::int AS n FROM public.tenants WHERE slug = $1', [slug])).toBe(0);
    expect(await count(`SELECT count(*)::int AS n FROM pg_namespace WHERE nspname LIKE 'tenant\\_%'`)).toBe(
      schemasBefore,
    );
    expect(await count('SELECT count(*)::int AS n FROM public.outbox')).toBe(outboxBefore);

    const retry = await request(testApp.url).post('/api/v1/signup').send(signupBody(slug));
    expect(retry.status).toBe(201);
  });

  it('gives one 201 and one 409 SLUG_TAKEN to two concurrent signups with the same slug', async () => {
    const slug = uniqueSlug();
    const responses = await Promise.all([
      request(testApp.url).post('/api/v1/signup').send(signupBody(slug, 'first@example.com')),
      request(testApp.url).post('/api/v1/signup').send(signupBody(slug, 'second@example.com')),
    ]);
    expect(responses.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(responses.find((r) => r.status === 409)?.body.code).toBe('SLUG_TAKEN');
    expect(await count('SELECT count(*)::int AS n FROM public.tenants WHERE slug = $1', [slug])).toBe(1);
    const mails = await count(
      `SELECT count(*)::int AS n FROM public.outbox WHERE recipient IN ('first@example.com', 'second@example.com')`,
    );
    expect(mails).toBe(1);
  });
});
