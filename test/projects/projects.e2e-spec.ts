import request from 'supertest';
import { signUp, tenantClient, type SignedUpAccount } from '../support/accounts';
import { startTestApp, type TestApp } from '../support/test-app';

describe('projects (the example tenant resource)', () => {
  let testApp: TestApp;
  let acme: SignedUpAccount;
  let globex: SignedUpAccount;

  beforeAll(async () => {
    testApp = await startTestApp();
    [acme, globex] = await Promise.all([signUp(testApp.url), signUp(testApp.url)]);
  });
  afterAll(() => testApp.close());

  const as = (account: SignedUpAccount) =>
    tenantClient(testApp.url, account.tenant.slug, account.accessToken);

  it('creates, reads, changes and deletes a project', async () => {
    const created = await as(acme).post('/projects', { name: '  Relaunch  ', description: 'New site' });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      name: 'Relaunch',
      description: 'New site',
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    const id = created.body.id as string;

    expect((await as(acme).get(`/projects/${id}`)).body).toMatchObject({ id, name: 'Relaunch' });

    const changed = await as(acme).patch(`/projects/${id}`, { description: null });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ id, name: 'Relaunch', description: null });

    expect((await as(acme).delete(`/projects/${id}`)).status).toBe(204);
    const gone = await as(acme).get(`/projects/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toMatchObject({ code: 'NOT_FOUND' });
    expect((await as(acme).delete(`/projects/${id}`)).status).toBe(404);
  });

  it('paginates newest first', async () => {
    for (const name of ['one', 'two', 'three']) {
      expect((await as(globex).post('/projects', { name })).status).toBe(201);
    }
    const first = await as(globex).get('/projects?page=1&limit=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ total: 3, page: 1, limit: 2 });
    expect((first.body.items as { name: string }[]).map((p) => p.name)).toEqual(['three', 'two']);
    const second = await as(globex).get('/projects?page=2&limit=2');
    expect((second.body.items as { name: string }[]).map((p) => p.name)).toEqual(['one']);
    expect(second.body).toMatchObject({ total: 3, page: 2 });
    // No row comes back to carry the total: it is still the total.
    const pastTheEnd = await as(globex).get('/projects?page=5&limit=2');
    expect(pastTheEnd.body).toMatchObject({ items: [], total: 3, page: 5, limit: 2 });
    const defaults = await as(globex).get('/projects');
    expect(defaults.body).toMatchObject({ page: 1, limit: 20, total: 3 });
  });

  it('rejects bad pagination and bad bodies', async () => {
    const tooMany = await as(acme).get('/projects?limit=101');
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.details).toEqual([{ field: 'limit', message: expect.any(String) }]);
    expect((await as(acme).get('/projects?page=0')).status).toBe(400);
    expect((await as(acme).get('/projects?page=abc')).status).toBe(400);
    const empty = await as(acme).post('/projects', { name: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('VALIDATION_FAILED');
    expect((await as(acme).post('/projects', { name: 'x'.repeat(201) })).status).toBe(400);
    expect((await as(acme).post('/projects', { name: 'ok', owner: 'me' })).status).toBe(400);
    expect((await as(acme).patch('/projects/00000000-0000-4000-8000-000000000000', { id: 'x' })).status).toBe(
      400,
    );
  });

  it("answers 404 for another tenant's project id and for ids that are not UUIDs", async () => {
    const theirs = await as(acme).post('/projects', { name: 'secret plan' });
    const id = theirs.body.id as string;
    for (const response of [
      await as(globex).get(`/projects/${id}`),
      await as(globex).patch(`/projects/${id}`, { name: 'taken over' }),
      await as(globex).delete(`/projects/${id}`),
      await as(globex).get('/projects/not-a-uuid'),
    ]) {
      expect(response.status).toBe(404);
      expect(response.body.code).toBe('NOT_FOUND');
    }
    expect((await as(acme).get(`/projects/${id}`)).body.name).toBe('secret plan');
  });

  it('contributes its plan limit and its audit actions', async () => {
    const plans = (await request(testApp.url).get('/api/v1/plans')).body as {
      limits: { projects: number };
    }[];
    expect(plans.map((plan) => plan.limits.projects)).toEqual([3, 100]);
    const { components } = (await request(testApp.url).get('/docs-json')).body;
    expect(components.schemas.PlanLimitsDto.properties.projects).toMatchObject({
      type: 'integer',
      minimum: 0,
    });
    expect(components.schemas.AuditEntry.properties.action.enum).toEqual(
      expect.arrayContaining(['project.created', 'project.updated', 'project.deleted']),
    );
  });

  it('documents the routes in the OpenAPI document', async () => {
    const document = await request(testApp.url).get('/docs-json');
    expect(Object.keys(document.body.paths as object)).toEqual(
      expect.arrayContaining(['/api/v1/projects', '/api/v1/projects/{id}']),
    );
  });
});
