import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { Role } from '../common/access/access.decorators';
import type { IdentityTenantDto } from './dto/identity-tenant.dto';
import { IdentityMembership } from './identity-membership.entity';

export interface DirectoryEntry {
  identityId: string;
  tenantId: string;
  membershipId: string;
  role: Role;
}

/**
 * The shared directory of memberships. Every write goes in the transaction that changes the
 * membership itself, so the directory and the tenant schemas agree at every commit.
 */
@Injectable()
export class MembershipDirectory {
  constructor(private readonly dataSource: DataSource) {}

  async record(manager: EntityManager, entry: DirectoryEntry): Promise<void> {
    await manager.insert(IdentityMembership, entry);
  }

  async recordRole(
    manager: EntityManager,
    tenantId: string,
    membershipId: string,
    role: Role,
  ): Promise<void> {
    await manager.update(IdentityMembership, { tenantId, membershipId }, { role });
  }

  async forget(manager: EntityManager, tenantId: string, membershipId: string): Promise<void> {
    await manager.delete(IdentityMembership, { tenantId, membershipId });
  }

  /**
   * The tenants a client of this identity can switch to: those it is a member of that are active
   * (a suspended tenant would only answer 403 TENANT_SUSPENDED).
   */
  activeTenantsOf(identityId: string): Promise<IdentityTenantDto[]> {
    return this.dataSource.query<IdentityTenantDto[]>(
      `SELECT t.id, t.slug, t.name, d.role
       FROM public.identity_memberships d JOIN public.tenants t ON t.id = d.tenant_id
       WHERE d.identity_id = $1 AND t.status = 'active'
       ORDER BY t.slug`,
      [identityId],
    );
  }

  /**
   * Every membership of the identity, with its tenant's catalogue row key-share locked until the
   * caller's transaction ends, so no tenant schema listed here is dropped before the caller is done.
   */
  async membershipsOf(
    manager: EntityManager,
    identityId: string,
  ): Promise<{ tenantId: string; membershipId: string }[]> {
    return manager.query<{ tenantId: string; membershipId: string }[]>(
      `SELECT d.tenant_id AS "tenantId", d.membership_id AS "membershipId"
       FROM public.identity_memberships d JOIN public.tenants t ON t.id = d.tenant_id
       WHERE d.identity_id = $1
       ORDER BY t.id
       FOR KEY SHARE OF t`,
      [identityId],
    );
  }
}
