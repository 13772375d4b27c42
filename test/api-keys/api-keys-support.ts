import { tenantClient, type SignedUpAccount } from '../support/accounts';

export interface CreatedKey {
  id: string;
  name: string;
  scopes: string[];
  prefix: string;
  key: string;
  createdAt: string;
  expiresAt: string | null;
}

/** Creates an API key through the real route as the account's owner (or `accessToken`). */
export async function createApiKey(
  baseUrl: string,
  account: SignedUpAccount,
  body: { name?: string; scopes: string[]; expiresAt?: string | null },
  accessToken = account.accessToken,
): Promise<CreatedKey> {
  const response = await tenantClient(baseUrl, account.tenant.slug, accessToken).post('/api-keys', {
    name: 'Test key',
    ...body,
  });
  if (response.status !== 201) throw new Error(`create key failed: ${response.status} ${response.text}`);
  return response.body as CreatedKey;
}

/** The secret part of a key: what must never be found at rest or in logs. */
export const secretOf = (key: string): string => key.slice(key.indexOf('_', 4) + 1);
