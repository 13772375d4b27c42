import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { startTestApp, type TestApp } from '../support/test-app';
import { tenantClient } from '../support/accounts';
import { createTenant } from '../support/tenants';
import { waitFor } from '../support/wait-for';
import { enqueueMail, type SignedUpTenant, signUpTenant } from './mail-support';

const acmeBranding = {
  displayName: 'Acme Rockets',
  logoUrl: 'https://cdn.acme.example/logo.png',
  primaryColor: '#FF6600',
  fromName: 'Acme',
  replyTo: 'help@acme.example',
  supportUrl: 'https://acme.example/help',
};

describe('tenant branding, mail preview and the in-process pipeline', () => {
  let testApp: TestApp;
  let outboxDir: string;
  let sinkDir: string;
  let tenant: CurrentTenant;
  let owner: SignedUpTenant;

  beforeAll(async () => {
    outboxDir = await mkdtemp(path.join(tmpdir(), 'mail-outbox-'));
    // The sink creates its directory itself.
    sinkDir = path.join(outboxDir, 'sink');
    // Neither RABBITMQ_URL nor RESEND_API_KEY: the in-process queue and mail written to files.
    testApp = await startTestApp({ env: { MAIL_OUTBOX_DIR: sinkDir } });
    owner = await signUpTenant(testApp.url);
    tenant = owner.tenant;
  });
  afterAll(async () => {
    await testApp?.close();
    await rm(outboxDir, { recursive: true, force: true });
  });

  const branding = (account = owner) => {
    const client = tenantClient(testApp.url, account.tenant.slug, account.accessToken);
    return {
      get: () => client.get('/tenant/branding'),
      put: (body: object) => client.put('/tenant/branding', body),
    };
  };

  it('answers the defaults made from the tenant name until the tenant sets its own', async () => {
    const response = await branding().get();

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      displayName: tenant.name,
      logoUrl: null,
      primaryColor: '#2563eb',
      fromName: tenant.name,
      replyTo: null,
      supportUrl: null,
    });
  });

  it('replaces the branding, and a field left out is cleared', async () => {
    const other = await signUpTenant(testApp.url);
    const saved = await branding(other).put(acmeBranding);
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({ ...acmeBranding, primaryColor: '#ff6600' });
    expect((await branding(other).get()).body).toEqual(saved.body);

    const { logoUrl: _logoUrl, replyTo: _replyTo, ...withoutOptional } = acmeBranding;
    const replaced = await branding(other).put({ ...withoutOptional, supportUrl: null });
    expect(replaced.body).toMatchObject({ logoUrl: null, replyTo: null, supportUrl: null });
    expect((await branding().get()).body.displayName).toBe(tenant.name);
  });

  it.each([
    ['primaryColor', { primaryColor: 'red' }],
    ['primaryColor', { primaryColor: '#ff660' }],
    ['logoUrl', { logoUrl: 'http://cdn.acme.example/logo.png' }],
    ['supportUrl', { supportUrl: 'javascript:alert(1)' }],
    ['replyTo', { replyTo: 'not-an-address' }],
    ['displayName', { displayName: '   ' }],
    ['fromName', { fromName: undefined }],
  ])('refuses a bad %s with 400', async (field, change) => {
    const response = await branding().put({ ...acmeBranding, ...change });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });

  it('refuses unknown fields, and needs a tenant and a user', async () => {
    expect((await branding().put({ ...acmeBranding, fontFamily: 'Comic Sans' })).status).toBe(400);
    const withoutTenant = await request(testApp.url).get('/api/v1/tenant/branding');
    expect(withoutTenant.status).toBe(400);
    expect(withoutTenant.body.code).toBe('TENANT_REQUIRED');
    const anonymous = tenantClient(testApp.url, tenant.slug);
    expect((await anonymous.get('/tenant/branding')).status).toBe(401);
    expect((await anonymous.put('/tenant/branding', acmeBranding)).status).toBe(401);
  });

  it("previews a template as HTML with the current tenant's branding at /dev/mail/:kind", async () => {
    const other = await signUpTenant(testApp.url);
    await branding(other).put(acmeBranding);

    const preview = await request(testApp.url).get('/dev/mail/invitation').set('X-Tenant', other.tenant.slug);

    expect(preview.status).toBe(200);
    expect(preview.headers['content-type']).toMatch(/^text\/html/);
    expect(preview.text).toContain('Acme Rockets');
    expect(preview.text).toContain('background-color:#ff6600');
    expect(preview.text).toContain('Accept invitation');
    expect(
      (await request(testApp.url).get('/dev/mail/newsletter').set('X-Tenant', other.tenant.slug)).status,
    ).toBe(404);
    expect((await request(testApp.url).get('/dev/mail/welcome')).status).toBe(400);
  });

  it('without RabbitMQ and Resend, sends in-process and writes the mail to the outbox directory', async () => {
    const jobId = await enqueueMail(testApp.app, tenant, 'ada@example.com');

    const text = await waitFor(() => readFile(path.join(sinkDir, `${jobId}.txt`), 'utf8').catch(() => ''), {
      what: 'the mail file',
    });
    const html = await readFile(path.join(sinkDir, `${jobId}.html`), 'utf8');

    expect(text).toContain(`X-Mail-Job-Id: ${jobId}`);
    expect(text).toContain('To: ada@example.com');
    expect(text).toContain(`Subject: Welcome to ${tenant.name}`);
    expect(html).toContain('<!DOCTYPE html>');
    const modeOf = async (file: string) => (await stat(file)).mode & 0o777;
    expect(await modeOf(path.join(sinkDir, `${jobId}.txt`))).toBe(0o600);
    expect(await modeOf(path.join(sinkDir, `${jobId}.html`))).toBe(0o600);
    expect(await modeOf(sinkDir)).toBe(0o700);
    const forgotten = async () =>
      (
        await testApp.app
          .get(DataSource)
          .query<unknown[]>(
            `SELECT 1 FROM public.outbox WHERE id = $1 AND sent_at IS NOT NULL AND content IS NULL AND rendered IS NULL`,
            [jobId],
          )
      ).length === 1;
    await waitFor(forgotten, { what: 'the delivered mail to lose its content' });
  });
});

describe('mail preview in production', () => {
  it('does not exist', async () => {
    const testApp = await startTestApp({
      env: { NODE_ENV: 'production', JWT_SECRET: 'p'.repeat(48), MAIL_FILE_SINK: 'true' },
    });
    try {
      const tenant = await createTenant(testApp.app);
      const preview = await request(testApp.url).get('/dev/mail/welcome').set('X-Tenant', tenant.slug);
      expect(preview.status).toBe(404);
    } finally {
      await testApp.close();
    }
  });
});
