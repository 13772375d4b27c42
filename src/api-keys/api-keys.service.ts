import { Injectable } from '@nestjs/common';
import { IsNull, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { PlanLimits } from '../billing/gating/plan-limits';
import { NotFoundException } from '../common/errors/app.exception';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database';
import { ApiKey } from './api-key.entity';
import { newApiKey } from './api-key-format';
import { ApiKeyHasher } from './api-key-hasher';
import { ApiKeyLookupCache } from './api-key-lookup-cache';
import { isRegisteredApiKeyScope } from './api-key-scopes';
import { InvalidExpiryException, UnknownScopeException } from './api-keys.errors';
import { API_KEY_AUDIT_ACTIONS, API_KEYS_LIMIT } from './api-keys.registrations';
import type { ApiKeyDto } from './dto/api-key.dto';
import type { CreateApiKeyDto } from './dto/create-api-key.dto';
import type { CreatedApiKeyDto } from './dto/created-api-key.dto';

const toApiKeyDto = ({ id, name, scopes, prefix, createdAt, lastUsedAt, expiresAt }: ApiKey): ApiKeyDto => ({
  id,
  name,
  scopes,
  prefix,
  createdAt,
  lastUsedAt,
  expiresAt,
});

/** The current tenant's API keys: created with a plan limit, listed without secrets, revoked at once. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly planLimits: PlanLimits,
    private readonly audit: AuditLog,
    private readonly hasher: ApiKeyHasher,
    private readonly cache: ApiKeyLookupCache,
  ) {}

  list(): Promise<ApiKeyDto[]> {
    return this.tenantDatabase.read(async (manager) => {
      const keys = await manager.find(ApiKey, {
        where: { revokedAt: IsNull() },
        order: { createdAt: 'DESC', id: 'DESC' },
      });
      return keys.map(toApiKeyDto);
    });
  }

  create(input: CreateApiKeyDto): Promise<CreatedApiKeyDto> {
    const unknown = input.scopes.filter((scope) => !isRegisteredApiKeyScope(scope));
    if (unknown.length > 0) throw new UnknownScopeException(unknown);
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
    if (expiresAt && !(expiresAt.getTime() > Date.now())) throw new InvalidExpiryException();
    const { schemaName } = this.tenantContext.tenant;

    return this.tenantDatabase.transaction(async (manager) => {
      await this.planLimits.assertRoomFor(manager, API_KEYS_LIMIT, () => this.countUsable(manager));
      const { key, prefix } = newApiKey();
      const saved = await manager.save(
        manager.create(ApiKey, {
          name: input.name,
          scopes: input.scopes,
          prefix,
          secretHash: this.hasher.hash(key),
          expiresAt,
        }),
      );
      // This process may hold "no such key" for the prefix; other processes hear the insert's trigger.
      this.cache.forgetOnCommit(manager, schemaName, prefix);
      await this.audit.record(manager, API_KEY_AUDIT_ACTIONS.created, `api_key:${saved.id}`);
      const { id, name, scopes, createdAt } = saved;
      return { id, name, scopes, prefix, key, createdAt, expiresAt: saved.expiresAt };
    });
  }

  revoke(id: string): Promise<void> {
    const { schemaName } = this.tenantContext.tenant;
    return this.tenantDatabase.transaction(async (manager) => {
      const result = await manager
        .createQueryBuilder()
        .update(ApiKey)
        .set({ revokedAt: () => 'now()' })
        .where('id = :id AND revoked_at IS NULL', { id })
        .returning(['prefix'])
        .execute();
      const revoked = (result.raw as { prefix: string }[])[0];
      if (!revoked) throw new NotFoundException('No API key with this id');
      this.cache.forgetOnCommit(manager, schemaName, revoked.prefix);
      await this.audit.record(manager, API_KEY_AUDIT_ACTIONS.revoked, `api_key:${id}`);
    });
  }

  /** Keys that still work or may: expired and revoked ones leave room for new ones. */
  private countUsable(manager: EntityManager): Promise<number> {
    return manager
      .createQueryBuilder(ApiKey, 'key')
      .where('key.revoked_at IS NULL')
      .andWhere('(key.expires_at IS NULL OR key.expires_at > now())')
      .getCount();
  }
}
