import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { UnauthorizedException } from '../auth/auth.errors';
import type { AuthenticatedApiKey } from '../common/access/access.decorators';
import { TenantContext } from '../tenancy/tenant-context';
import { parseApiKey } from './api-key-format';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKeyLookupCache, type StoredApiKey } from './api-key-lookup-cache';
import { ApiKeyUsageRecorder } from './api-key-usage-recorder';

const rejected = () =>
  new UnauthorizedException('The API key is unknown, revoked, expired or of another tenant');

interface ApiKeyRow {
  id: string;
  name: string;
  scopes: string[];
  secret_hash: Buffer;
  expires_at: Date | null;
}

/**
 * Checks an API key against the request's tenant: a key of this tenant, unrevoked, unexpired, whose
 * secret matches its stored hash. Every failure is the same 401, whatever the reason. The lookup is
 * cached (ApiKeyLookupCache), so a warm check costs no query; the use is noted for `lastUsedAt`.
 */
@Injectable()
export class ApiKeyAuthenticator {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantContext: TenantContext,
    private readonly cache: ApiKeyLookupCache,
    private readonly hasher: ApiKeyHasher,
    private readonly usage: ApiKeyUsageRecorder,
  ) {}

  async authenticate(token: string): Promise<AuthenticatedApiKey> {
    const parts = parseApiKey(token);
    if (!parts || !this.tenantContext.hasTenant) throw rejected();
    const { id: tenantId, schemaName } = this.tenantContext.tenant;
    const stored = await this.cache.lookUp(schemaName, parts.prefix, () =>
      this.read(schemaName, parts.prefix),
    );
    if (!stored || !this.hasher.matches(token, stored.secretHash)) throw rejected();
    if (stored.expiresAt !== null && stored.expiresAt <= Date.now()) throw rejected();
    this.usage.noteUse(schemaName, stored.id);
    return { id: stored.id, name: stored.name, prefix: parts.prefix, tenantId, scopes: stored.scopes };
  }

  /** One schema-qualified statement, no transaction, as the access check of access tokens. */
  private async read(schemaName: string, prefix: string): Promise<StoredApiKey | undefined> {
    const rows = await this.dataSource.query<ApiKeyRow[]>(
      `SELECT id, name, scopes, secret_hash, expires_at FROM "${schemaName}".api_keys
       WHERE prefix = $1 AND revoked_at IS NULL`,
      [prefix],
    );
    const row = rows[0];
    return (
      row && {
        id: row.id,
        name: row.name,
        scopes: row.scopes,
        secretHash: row.secret_hash,
        expiresAt: row.expires_at ? row.expires_at.getTime() : null,
      }
    );
  }
}
