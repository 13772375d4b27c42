import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryColumn,
  Unique,
} from 'typeorm';
import type { Role } from '../common/access/access.decorators';
import { Tenant } from '../tenancy/tenant.entity';
import { Identity } from './identity.entity';

/**
 * The shared directory of memberships: that an identity is a member of a tenant, under which
 * membership id of that tenant's schema, with which role. The membership itself is the tenant's;
 * this row is written in the same transaction as every change to it.
 */
@Entity({ schema: 'public', name: 'identity_memberships' })
@Unique('identity_memberships_tenant_membership_key', ['tenantId', 'membershipId'])
@Check('identity_memberships_role_check', `role IN ('owner', 'admin', 'member')`)
export class IdentityMembership {
  @PrimaryColumn({
    type: 'uuid',
    name: 'identity_id',
    primaryKeyConstraintName: 'identity_memberships_pkey',
  })
  identityId!: string;

  @PrimaryColumn({ type: 'uuid', name: 'tenant_id', primaryKeyConstraintName: 'identity_memberships_pkey' })
  tenantId!: string;

  @Column({ type: 'uuid', name: 'membership_id' })
  membershipId!: string;

  @Column({ type: 'text' })
  role!: Role;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @ManyToOne(() => Identity)
  @JoinColumn({ name: 'identity_id', foreignKeyConstraintName: 'identity_memberships_identity_id_fkey' })
  identity?: Identity;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'identity_memberships_tenant_id_fkey' })
  tenant?: Tenant;
}
