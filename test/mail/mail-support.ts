import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { MailContent } from '../../src/mail/mail.types';
import { MailOutbox } from '../../src/mail/outbox/mail-outbox';
import type { CurrentTenant } from '../../src/tenancy/tenant-context';
import { runInTenantSchema } from '../../src/tenancy/tenant-transaction';
import { schemaNameFor } from '../../src/tenancy/tenant.entity';
import { signUp } from '../support/accounts';
import type { FakeResendServer } from '../support/fake-resend.server';
import { TEST_RABBITMQ_URL } from '../support/rabbitmq';

/** Short retry tiers, so the tests go through every tier in about a second. */
export const TEST_RETRY_DELAYS_MS = [200, 400, 800];

/** The environment of an API and a worker on RabbitMQ under `prefix`, sending to the fake. */
export function mailEnvironment(
  prefix: string,
  fake: FakeResendServer,
  resendUrl: string,
): Record<string, string> {
  return {
    RABBITMQ_URL: TEST_RABBITMQ_URL,
    MAIL_QUEUE_PREFIX: prefix,
    RESEND_API_KEY: fake.apiKey,
    RESEND_BASE_URL: resendUrl,
    RESEND_REQUESTS_PER_SECOND: '50',
    MAIL_RETRY_DELAYS_MS: TEST_RETRY_DELAYS_MS.join(','),
    MAIL_MAX_ATTEMPTS: '4',
    MAIL_RELAY_POLL_INTERVAL_MS: '500',
  };
}

export interface SignedUpTenant {
  tenant: CurrentTenant;
  /** The owner's access token. */
  accessToken: string;
  /** The owner's email address. */
  email: string;
}

/** A tenant with its owner through the signup route (which queues a welcome mail). */
export async function signUpTenant(baseUrl: string): Promise<SignedUpTenant> {
  const account = await signUp(baseUrl);
  const { id, slug, name, plan } = account.tenant;
  return {
    tenant: { id, slug, name, plan, status: 'active', schemaName: schemaNameFor(id) },
    accessToken: account.accessToken,
    email: account.email,
  };
}

/** Resolves once no job in the outbox is waiting to be sent or parked. */
export async function outboxSettled(app: INestApplication): Promise<boolean> {
  const rows: unknown[] = await app
    .get(DataSource)
    .query(`SELECT id FROM public.outbox WHERE sent_at IS NULL AND dead_at IS NULL LIMIT 1`);
  return rows.length === 0;
}

export const welcome = (tenant: CurrentTenant, recipientName = 'Ada'): MailContent => ({
  kind: 'welcome',
  data: { recipientName, tenantSlug: tenant.slug },
});

/** Queues a mail in a committed tenant transaction, as a feature does; returns the job id. */
export function enqueueMail(
  app: INestApplication,
  tenant: CurrentTenant,
  to: string,
  content: MailContent = welcome(tenant),
): Promise<string> {
  return runInTenantSchema(app.get(DataSource), tenant.schemaName, (manager) =>
    app.get(MailOutbox).enqueue(manager, { tenantId: tenant.id, to, content }),
  );
}

/** Queues `count` mails in one transaction; returns their job ids. */
export function enqueueMails(app: INestApplication, tenant: CurrentTenant, count: number): Promise<string[]> {
  return runInTenantSchema(app.get(DataSource), tenant.schemaName, async (manager) => {
    const jobIds: string[] = [];
    for (let i = 0; i < count; i += 1) {
      jobIds.push(
        await app
          .get(MailOutbox)
          .enqueue(manager, { tenantId: tenant.id, to: `user${i}@example.com`, content: welcome(tenant) }),
      );
    }
    return jobIds;
  });
}

export interface OutboxState {
  sent_at: Date | null;
  dead_at: Date | null;
  last_error: string | null;
  request_key: string | null;
}

export async function outboxStateOf(app: INestApplication, jobId: string): Promise<OutboxState | undefined> {
  const rows: OutboxState[] = await app
    .get(DataSource)
    .query(`SELECT sent_at, dead_at, last_error, request_key FROM public.outbox WHERE id = $1`, [jobId]);
  return rows[0];
}

/** How many times each job reached the fake, for jobs delivered more than once. */
export function deliveredMoreThanOnce(fake: FakeResendServer): Record<string, number> {
  const counts = new Map<string, number>();
  for (const mail of fake.deliveries) counts.set(mail.jobId ?? '', (counts.get(mail.jobId ?? '') ?? 0) + 1);
  return Object.fromEntries([...counts].filter(([, count]) => count > 1));
}
