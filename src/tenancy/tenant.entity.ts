import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';

export type TenantStatus = 'active' | 'suspended';

/** The shared-schema catalogue row of one tenant. */
@Entity({ schema: 'public', name: 'tenants' })
@Unique('tenants_slug_key', ['slug'])
@Unique('tenants_schema_name_key', ['schemaName'])
@Check('tenants_slug_format', `slug ~ '^[a-z][a-z0-9-]{2,29}$' AND slug !~ '-$'`)
@Check('tenants_schema_name_format', `schema_name ~ '^tenant_[0-9a-f]{32}$'`)
@Check('tenants_status_check', `status IN ('active', 'suspended')`)
@Index('tenants_schema_version_idx', ['schemaVersion'])
@Unique('tenants_stripe_customer_id_key', ['stripeCustomerId'])
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

  @Column({ type: 'text', default: 'active' })
  status!: TenantStatus;

  @Column({ type: 'text', default: 'free' })
  plan!: string;

  /** Owners require a second factor of every member (while the plan has `require_2fa`). */
  @Column({ type: 'boolean', name: 'require_2fa', default: false })
  require2fa!: boolean;

  /** Timestamp of the newest tenant migration applied to the schema, mirrored from the schema itself. */
  @Column({
    type: 'bigint',
    name: 'schema_version',
    default: 0,
    transformer: { to: (version: number) => version, from: (version: string) => Number(version) },
  })
  schemaVersion!: number;

  /** Billing state, kept by the billing module from Stripe; tenancy only carries it with the tenant. */
  @Column({ type: 'text', name: 'stripe_customer_id', nullable: true })
  stripeCustomerId!: string | null;

  @Column({ type: 'text', name: 'stripe_subscription_id', nullable: true })
  stripeSubscriptionId!: string | null;

  @Column({ type: 'text', name: 'stripe_price_id', nullable: true })
  stripePriceId!: string | null;

  @Column({ type: 'text', name: 'subscription_status', nullable: true })
  subscriptionStatus!: string | null;

  @Column({ type: 'timestamptz', name: 'current_period_end', nullable: true })
  currentPeriodEnd!: Date | null;

  @Column({ type: 'boolean', name: 'cancel_at_period_end', default: false })
  cancelAtPeriodEnd!: boolean;

  @Column({ type: 'timestamptz', name: 'trial_end', nullable: true })
  trialEnd!: Date | null;

  @Column({ type: 'timestamptz', name: 'past_due_since', nullable: true })
  pastDueSince!: Date | null;

  /** `created` (Unix seconds) of the newest Stripe event applied, so older ones never win. */
  @Column({
    type: 'bigint',
    name: 'billing_event_created',
    nullable: true,
    transformer: {
      to: (created: number | null) => created,
      from: (created: string | null) => (created === null ? null : Number(created)),
    },
  })
  billingEventCreated!: number | null;

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
