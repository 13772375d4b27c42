import type { INestApplication } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queuedMails, tenantClient, TEST_PASSWORD, type SignedUpAccount } from './accounts';

export interface SentInvitation {
  id: string;
  email: string;
  token: string;
}

export interface JoinedMember {
  accessToken: string;
  user: { id: string; email: string; role: string };
}

/** The schema of a tenant, for the few checks that must look under the API. */
export function tenantSchemaOf(account: SignedUpAccount): string {
  return `tenant_${account.tenant.id.replace(/-/g, '')}`;
}

/** Invites through the real route as `accessToken`, and reads the token from the queued mail. */
export async function invite(
  app: INestApplication,
  baseUrl: string,
  slug: string,
  accessToken: string,
  role: 'admin' | 'member',
  email = `${role}-${Math.random().toString(36).slice(2)}@example.com`,
): Promise<SentInvitation> {
  const response = await tenantClient(baseUrl, slug, accessToken).post('/invitations', { email, role });
  if (response.status !== 201) throw new Error(`invite failed: ${response.status} ${response.text}`);
  const mails = (await queuedMails(app, email)).filter((mail) => mail.kind === 'invitation');
  return {
    id: (response.body as { id: string }).id,
    email,
    token: mails[mails.length - 1].content.data.token,
  };
}

export function acceptInvitation(baseUrl: string, slug: string, token: string) {
  return tenantClient(baseUrl, slug).post('/invitations/accept', {
    token,
    name: 'Invited Person',
    password: TEST_PASSWORD,
  });
}

/** Invites as the account's owner and accepts: a new member of the tenant with its session. */
export async function addMember(
  app: INestApplication,
  baseUrl: string,
  account: SignedUpAccount,
  role: 'admin' | 'member',
): Promise<JoinedMember> {
  const sent = await invite(app, baseUrl, account.tenant.slug, account.accessToken, role);
  const accepted = await acceptInvitation(baseUrl, account.tenant.slug, sent.token);
  if (accepted.status !== 201) throw new Error(`accept failed: ${accepted.status} ${accepted.text}`);
  return accepted.body as JoinedMember;
}

/** The audit entries of a tenant, oldest first. */
export function auditEntries(
  app: INestApplication,
  account: SignedUpAccount,
): Promise<{ action: string; actor_id: string | null; target: string }[]> {
  return app
    .get(DataSource)
    .query(`SELECT action, actor_id, target FROM "${tenantSchemaOf(account)}".audit_log ORDER BY at, id`);
}
