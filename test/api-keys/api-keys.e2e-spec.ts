import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { ApiKeyChangeFeed } from '../../src/api-keys/api-key-change-feed';
import { ApiKeyUsageRecorder } from '../../src/api-keys/api-key-usage-recorder';
import { signUp, tenantClient, type SignedUpAccount } from '../support/accounts';
import { addMember, tenantSchemaOf } from '../support/members';
import { startTestApp, type TestApp } from '../support/test-app';
import { testDatabaseServer } from '../support/test-database';
import { waitFor } from '../support/wait-for';
import { createApiKey, secretOf } from './api-keys-support';

/** Far longer than any test: only an eviction, or the expiry check itself, can explain a change seen. */
const LONG_CACHE = { MEMBERSHIP_CACHE_TTL_MS: '600000', API_KEY_USAGE_FLUSH_MS: '3600000' };
const WITHIN_A_SECOND = { timeoutMs: 1000, intervalMs: 10 };
const READ_WRITE = ['projects:read', 'projects:write'];

describe('API keys', () => {
  let testApp: TestApp;
  let account: SignedUpAccount;
  let operator: Client;

  beforeAll(async () => {
    testApp = await startTestApp({ env: LONG_CACHE });
    operator = new Client({ ...testDatabaseServer, database: testApp.databaseName });
    await operator.connect();
  });

  afterAll(async () => {
    await operator?.end();
    await testApp?.close();
  });

  beforeEach(async () => {
    account = await signUp(testApp.url);
  });

  const asKey = (key: string, slug = account.tenant.slug) => tenantClient(testApp.url, slug, key);
  const asOwner = () => tenantClient(testApp.url, account.tenant.slug, account.accessToken);
  const schema = () => tenantSchemaOf(account);

  it('creates a key shown once, which works until it is revoked, and not one request longer', async () => {
    const created = await createApiKey(testApp.url, account, { name: 'CI', scopes: READ_WRITE });
    expect(created).toEqual({
      id: expect.any(String),
      name: 'CI',
      scopes: READ_WRITE,
      prefix: expect.stringMatching(/^stk_[0-9a-f]{12}$/),
      key: expect.stringMatching(/^stk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/),
      createdAt: expect.any(String),
      expiresAt: null,
    });
    expect(created.key.startsWith(`${created.prefix}_`)).toBe(true);

    for (let i = 0; i < 3; i++) expect((await asKey(created.key).get('/projects')).status).toBe(200);
    expect((await asKey(created.key).post('/projects', { name: 'By key' })).status).toBe(201);

    expect((await asOwner().delete(`/api-keys/${created.id}`)).status).toBe(204);
    const refused = await asKey(created.key).get('/projects');
    expect(refused.status).toBe(401);
    expect(refused.body.code).toBe('UNAUTHORIZED');
    expect((await asOwner().delete(`/api-keys/${created.id}`)).status).toBe(404);
  });

  it('refuses a revoked key on the next request without its notification: the revoking process evicts it', async () => {
    const feed = testApp.app.get(ApiKeyChangeFeed);
    await waitFor(() => feed.live, { what: 'the feed to listen' });
    // The feed stays live but its notifications are dropped: only this process's own eviction is left.
    const muted = jest
      .spyOn(feed as unknown as { announce(change: unknown): void }, 'announce')
      .mockImplementation(() => undefined);
    try {
      const created = await createApiKey(testApp.url, account, { name: 'Muted', scopes: READ_WRITE });
      expect((await asKey(created.key).get('/projects')).status).toBe(200);
      expect((await asOwner().delete(`/api-keys/${created.id}`)).status).toBe(204);
      expect((await asKey(created.key).get('/projects')).status).toBe(401);
    } finally {
      muted.mockRestore();
    }
  });

  it('refuses a key at another tenant, a key with a wrong secret and a malformed key with 401', async () => {
    const created = await createApiKey(testApp.url, account, { scopes: READ_WRITE });
    const other = await signUp(testApp.url);
    expect((await asKey(created.key, other.tenant.slug).get('/projects')).status).toBe(401);
    expect((await asKey(created.key).get('/projects')).status).toBe(200);
    const last = created.key.at(-1) === 'A' ? 'E' : 'A';
    expect((await asKey(`${created.key.slice(0, -1)}${last}`).get('/projects')).status).toBe(401);
    expect((await asKey(`${created.prefix}_short`).get('/projects')).status).toBe(401);
    expect((await asKey('stk_').get('/me')).status).toBe(401);
  });

  it('holds a key to its scopes: reads need :read, writes :write', async () => {
    const reader = await createApiKey(testApp.url, account, { scopes: ['projects:read'] });
    const writer = await createApiKey(testApp.url, account, { scopes: ['projects:write'] });
    expect((await asKey(reader.key).get('/projects')).status).toBe(200);
    const write = await asKey(reader.key).post('/projects', { name: 'No' });
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({ code: 'INSUFFICIENT_SCOPE', details: { required: 'projects:write' } });
    expect((await asKey(writer.key).post('/projects', { name: 'Yes' })).status).toBe(201);
    const read = await asKey(writer.key).get('/projects');
    expect(read.status).toBe(403);
    expect(read.body.code).toBe('INSUFFICIENT_SCOPE');
  });

  it('refuses keys on every route that is not a resource of theirs (deny by default)', async () => {
    const created = await createApiKey(testApp.url, account, { scopes: READ_WRITE });
    const client = asKey(created.key);
    const routes: [string, () => PromiseLike<{ status: number; body: { code?: string } }>][] = [
      ['GET /members', () => client.get('/members')],
      ['GET /invitations', () => client.get('/invitations')],
      ['POST /invitations', () => client.post('/invitations', { email: 'x@example.com', role: 'member' })],
      ['GET /billing/subscription', () => client.get('/billing/subscription')],
      ['GET /api-keys', () => client.get('/api-keys')],
      ['POST /api-keys', () => client.post('/api-keys', { name: 'Child', scopes: READ_WRITE })],
      ['DELETE /api-keys/:id', () => client.delete(`/api-keys/${created.id}`)],
      ['GET /me/sessions', () => client.get('/me/sessions')],
      ['GET /audit-log', () => client.get('/audit-log')],
      ['POST /me/2fa/totp', () => client.post('/me/2fa/totp')],
      ['POST /auth/logout', () => client.post('/auth/logout')],
    ];
    for (const [route, send] of routes) {
      const response = await send();
      expect({ route, status: response.status, code: response.body.code }).toEqual({
        route,
        status: 403,
        code: 'INSUFFICIENT_SCOPE',
      });
    }
    // Still alive: none of those revoked it.
    expect((await client.get('/projects')).status).toBe(200);
  });

  it('refuses a key at once once its expiry is moved into the past by SQL, and on its own at expiry', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
    const moved = await createApiKey(testApp.url, account, { scopes: READ_WRITE, expiresAt: inAnHour });
    expect(new Date(moved.expiresAt ?? 0).toISOString()).toBe(inAnHour);
    for (let i = 0; i < 2; i++) expect((await asKey(moved.key).get('/projects')).status).toBe(200);
    await operator.query(
      `UPDATE "${schema()}".api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`,
      [moved.id],
    );
    await waitFor(async () => (await asKey(moved.key).get('/projects')).status === 401, WITHIN_A_SECOND);

    const soon = await createApiKey(testApp.url, account, {
      scopes: READ_WRITE,
      expiresAt: new Date(Date.now() + 1500).toISOString(),
    });
    expect((await asKey(soon.key).get('/projects')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 1600));
    // No change was announced: the cached entry itself must not outlive the expiry.
    expect((await asKey(soon.key).get('/projects')).status).toBe(401);
  });

  it('refuses a key revoked or deleted by SQL from another connection within a second', async () => {
    const revoked = await createApiKey(testApp.url, account, { scopes: READ_WRITE });
    const deleted = await createApiKey(testApp.url, account, { scopes: READ_WRITE });
    for (const { key } of [revoked, deleted]) {
      for (let i = 0; i < 2; i++) expect((await asKey(key).get('/projects')).status).toBe(200);
    }
    await operator.query(`UPDATE "${schema()}".api_keys SET revoked_at = now() WHERE id = $1`, [revoked.id]);
    await operator.query(`DELETE FROM "${schema()}".api_keys WHERE id = $1`, [deleted.id]);
    await waitFor(async () => (await asKey(revoked.key).get('/projects')).status === 401, WITHIN_A_SECOND);
    await waitFor(async () => (await asKey(deleted.key).get('/projects')).status === 401, WITHIN_A_SECOND);
  });

  it('lists keys without their key or hash, and keeps no plain secret in the database', async () => {
    const created = await createApiKey(testApp.url, account, { name: 'Listed', scopes: ['projects:read'] });
    const listed = await asOwner().get('/api-keys');
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual([
      {
        id: created.id,
        name: 'Listed',
        scopes: ['projects:read'],
        prefix: created.prefix,
        createdAt: created.createdAt,
        lastUsedAt: null,
        expiresAt: null,
      },
    ]);
    expect(listed.text).not.toContain(secretOf(created.key));

    expect((await asKey(created.key).get('/projects')).status).toBe(200);
    const secret = secretOf(created.key);
    const [{ found, rows }] = (
      await operator.query(
        `SELECT count(*) FILTER (WHERE k::text LIKE '%' || $1 || '%' OR encode(k.secret_hash, 'escape') LIKE '%' || $1 || '%')::int AS found,
                count(*)::int AS rows
         FROM "${schema()}".api_keys k`,
        [secret],
      )
    ).rows as { found: number; rows: number }[];
    expect({ found, rows }).toEqual({ found: 0, rows: 1 });
    const [{ audited }] = (
      await operator.query(
        `SELECT count(*)::int AS audited FROM "${schema()}".audit_log a WHERE a::text LIKE '%' || $1 || '%'`,
        [secret],
      )
    ).rows as { audited: number }[];
    expect(audited).toBe(0);
    // The negative control: the table does hold the prefix, so the search reads what it should.
    const [{ prefixes }] = (
      await operator.query(
        `SELECT count(*)::int AS prefixes FROM "${schema()}".api_keys k WHERE k::text LIKE '%' || $1 || '%'`,
        [created.prefix],
      )
    ).rows as { prefixes: number }[];
    expect(prefixes).toBe(1);
  });

  it('writes lastUsedAt in batches, not per request', async () => {
    const created = await createApiKey(testApp.url, account, { scopes: ['projects:read'] });
    const recorder = testApp.app.get(ApiKeyUsageRecorder);
    await recorder.flush();
    for (let i = 0; i < 3; i++) expect((await asKey(created.key).get('/projects')).status).toBe(200);
    const lastUsed = async () =>
      (
        (await operator.query(`SELECT last_used_at FROM "${schema()}".api_keys WHERE id = $1`, [created.id]))
          .rows as { last_used_at: Date | null }[]
      )[0].last_used_at;
    expect(await lastUsed()).toBeNull();
    await recorder.flush();
    const written = await lastUsed();
    expect(written).toBeInstanceOf(Date);
    expect(Date.now() - (written?.getTime() ?? 0)).toBeLessThan(10_000);
    const listed = await asOwner().get('/api-keys');
    expect((listed.body as { lastUsedAt: string }[])[0].lastUsedAt).toBe(written?.toISOString());
  });

  it('names the key as the actor of what it changes, and audits creating and revoking keys', async () => {
    const created = await createApiKey(testApp.url, account, { scopes: READ_WRITE });
    const project = await asKey(created.key).post('/projects', { name: 'Audited' });
    expect(project.status).toBe(201);
    expect((await asOwner().delete(`/api-keys/${created.id}`)).status).toBe(204);
    const entries = (
      await testApp.app
        .get(DataSource)
        .query<
          { action: string; actor_id: string | null; actor_api_key_id: string | null; target: string }[]
        >(
          `SELECT action, actor_id, actor_api_key_id, target FROM "${schema()}".audit_log
           WHERE action <> 'auth.sign_in' ORDER BY at, id`,
        )
    ).filter((entry) => entry.action !== 'member.joined');
    expect(entries).toEqual([
      {
        action: 'api_key.created',
        actor_id: account.user.id,
        actor_api_key_id: null,
        target: `api_key:${created.id}`,
      },
      {
        action: 'project.created',
        actor_id: null,
        actor_api_key_id: created.id,
        target: `project:${(project.body as { id: string }).id}`,
      },
      {
        action: 'api_key.revoked',
        actor_id: account.user.id,
        actor_api_key_id: null,
        target: `api_key:${created.id}`,
      },
    ]);
  });

  it('answers 402 PLAN_LIMIT_REACHED past the plan limit; revoking makes room again', async () => {
    const keys = [];
    for (let i = 0; i < 2; i++) keys.push(await createApiKey(testApp.url, account, { scopes: READ_WRITE }));
    const refused = await asOwner().post('/api-keys', { name: 'Third', scopes: READ_WRITE });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({
      code: 'PLAN_LIMIT_REACHED',
      details: { limit: 'apiKeys', used: 2, allowed: 2 },
    });
    expect((await asOwner().delete(`/api-keys/${keys[0].id}`)).status).toBe(204);
    expect((await asOwner().post('/api-keys', { name: 'Third', scopes: READ_WRITE })).status).toBe(201);
  });

  it('lets only two of many concurrent creates through at the limit of two', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        asOwner().post('/api-keys', { name: `Race ${i}`, scopes: READ_WRITE }),
      ),
    );
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses).toEqual([201, 201, 402, 402, 402, 402, 402, 402]);
    const [{ count }] = (await operator.query(`SELECT count(*)::int AS count FROM "${schema()}".api_keys`))
      .rows as { count: number }[];
    expect(count).toBe(2);
  });

  it('lets owners and admins manage keys, not members', async () => {
    const admin = await addMember(testApp.app, testApp.url, account, 'admin');
    const member = await addMember(testApp.app, testApp.url, account, 'member');
    const asMember = tenantClient(testApp.url, account.tenant.slug, member.accessToken);
    for (const response of [
      await asMember.get('/api-keys'),
      await asMember.post('/api-keys', { name: 'No', scopes: READ_WRITE }),
    ]) {
      expect(response.status).toBe(403);
      expect(response.body.code).toBe('FORBIDDEN');
    }
    const created = await createApiKey(testApp.url, account, { scopes: READ_WRITE }, admin.accessToken);
    expect((await asMember.delete(`/api-keys/${created.id}`)).status).toBe(403);
    const asAdmin = tenantClient(testApp.url, account.tenant.slug, admin.accessToken);
    expect((await asAdmin.get('/api-keys')).body).toHaveLength(1);
    expect((await asAdmin.delete(`/api-keys/${created.id}`)).status).toBe(204);
  });

  it('refuses bad input with 4xx and a stable code, never 500', async () => {
    const cases: [object, number, string][] = [
      [{ name: 'x', scopes: ['projects:admin'] }, 400, 'UNKNOWN_SCOPE'],
      [{ name: 'x', scopes: ['members:read'] }, 400, 'UNKNOWN_SCOPE'],
      [
        { name: 'x', scopes: READ_WRITE, expiresAt: new Date(Date.now() - 1000).toISOString() },
        400,
        'INVALID_EXPIRY',
      ],
      [{ name: 'x', scopes: READ_WRITE, expiresAt: 'tomorrow' }, 400, 'VALIDATION_FAILED'],
      [{ name: 'x', scopes: READ_WRITE, expiresAt: 12 }, 400, 'VALIDATION_FAILED'],
      [{ name: 'x', scopes: [] }, 400, 'VALIDATION_FAILED'],
      [{ name: 'x', scopes: 'projects:read' }, 400, 'VALIDATION_FAILED'],
      [{ name: 'x', scopes: [7] }, 400, 'VALIDATION_FAILED'],
      [{ name: 'x', scopes: ['projects:read', 'projects:read'] }, 400, 'VALIDATION_FAILED'],
      [{ name: '', scopes: READ_WRITE }, 400, 'VALIDATION_FAILED'],
      [{ name: 'x'.repeat(101), scopes: READ_WRITE }, 400, 'VALIDATION_FAILED'],
      [{ scopes: READ_WRITE }, 400, 'VALIDATION_FAILED'],
      [{ name: 'x', scopes: READ_WRITE, key: 'stk_mine' }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, status, code] of cases) {
      const response = await asOwner().post('/api-keys', body);
      expect({ body, status: response.status, code: response.body.code }).toEqual({ body, status, code });
    }
    expect((await asOwner().delete('/api-keys/not-a-uuid')).status).toBe(404);
    expect((await asOwner().delete('/api-keys/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await asOwner().get('/api-keys')).body).toEqual([]);
  });

  it('tells users and keys apart on GET /me', async () => {
    const created = await createApiKey(testApp.url, account, { name: 'Me', scopes: ['projects:read'] });
    const asUser = await asOwner().get('/me');
    expect(asUser.status).toBe(200);
    expect(asUser.body).toMatchObject({
      kind: 'user',
      user: { id: account.user.id, role: 'owner' },
      tenant: { id: account.tenant.id },
    });
    const byKey = await asKey(created.key).get('/me');
    expect(byKey.status).toBe(200);
    expect(byKey.body).toEqual({
      kind: 'apiKey',
      apiKey: { id: created.id, name: 'Me', prefix: created.prefix, scopes: ['projects:read'] },
      tenant: expect.objectContaining({ id: account.tenant.id, slug: account.tenant.slug }),
    });
    expect(byKey.body.user).toBeUndefined();
  });
});

describe('API keys in the logs', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ env: { LOG_LEVEL: 'debug' } });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('never writes a key to the log, whatever its requests answer', async () => {
    const account = await signUp(testApp.url);
    const created = await createApiKey(testApp.url, account, { scopes: ['projects:read'] });
    const written: string[] = [];
    const capture = (stream: Pick<NodeJS.WriteStream, 'write'>) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString());
        return true;
      });
    // winston's Console transport writes to console._stdout when the console has one (jest's do).
    const consoleStreams = console as unknown as Partial<Record<'_stdout' | '_stderr', NodeJS.WriteStream>>;
    const streams = new Set([process.stdout, process.stderr, consoleStreams._stdout, consoleStreams._stderr]);
    const spies = [...streams].filter((stream) => stream !== undefined).map(capture);
    const consoleSpies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((method) =>
      jest.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        written.push(args.map(String).join(' '));
      }),
    );
    try {
      const client = tenantClient(testApp.url, account.tenant.slug, created.key);
      await client.get('/projects?marker=logged');
      await client.post('/projects', { name: 'refused' });
      await client.get('/members');
      await tenantClient(testApp.url, account.tenant.slug, `${created.key.slice(0, -1)}x`).get('/projects');
      await new Promise((resolve) => setTimeout(resolve, 200));
    } finally {
      [...spies, ...consoleSpies].forEach((spy) => spy.mockRestore());
    }
    const log = written.join('\n');
    // The capture does see the requests (the access log names their paths) ...
    expect(log).toContain('/api/v1/projects');
    // ... and never the key or its secret.
    expect(log).not.toContain(secretOf(created.key));
    expect(log).not.toContain(secretOf(created.key).slice(0, 20));
  });
});
