import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type TenantStatus = 'active' | 'suspended';

/** The shared-schema catalogue row of one tenant. */
@Entity({ schema: 'public', name: 'tenants' })
export class Tenant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  slug!: string;

  @Column({ type: 'text' })
  name!: string;

  /** `tenant_<id without dashes>`: derived from the id, never from user text. */
  @Column({ type: 'text', name: 'schema_name' })
  schemaName!: string;

  @Column({ type: 'text' })
  status!: TenantStatus;

  @Column({ type: 'text' })
  plan!: string;

  /** Timestamp of the newest tenant migration applied to the schema, mirrored from the schema itself. */
  @Column({
    type: 'bigint',
    name: 'schema_version',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  schemaVersion!: number;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

/** The schema name for a tenant id: only hex digits, so it is always a safe identifier. */
export function schemaNameFor(tenantId: string): string {
  const hex = tenantId.replace(/-/g, '').toLowerCase();
  if (!/^[0-9a-f]{32}$/.test(hex)) throw new Error(`Not a tenant id: ${tenantId}`);
  return `tenant_${hex}`;
}
