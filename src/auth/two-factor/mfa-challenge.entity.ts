import {
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Identity } from '../../identities/identity.entity';
import { Tenant } from '../../tenancy/tenant.entity';

/**
 * The first step of a sign-in with a second factor: the password was right for this membership of
 * this tenant. Its token (stored as SHA-256) is short-lived and consumed by the sign-in it completes.
 */
@Entity({ schema: 'public', name: 'mfa_challenges' })
@Unique('mfa_challenges_token_hash_key', ['tokenHash'])
@Index('mfa_challenges_identity_idx', ['identityId'])
@Index('mfa_challenges_tenant_idx', ['tenantId'])
export class MfaChallenge {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', name: 'token_hash' })
  tokenHash!: string;

  @Column({ type: 'uuid', name: 'identity_id' })
  identityId!: string;

  @ManyToOne(() => Identity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_id', foreignKeyConstraintName: 'mfa_challenges_identity_id_fkey' })
  identity?: Identity;

  @Column({ type: 'uuid', name: 'tenant_id' })
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'mfa_challenges_tenant_id_fkey' })
  tenant?: Tenant;

  @Column({ type: 'uuid', name: 'membership_id' })
  membershipId!: string;

  /** SHA-256 of the password hash checked: a password reset since then voids the challenge. */
  @Column({ type: 'text', name: 'password_fingerprint' })
  passwordFingerprint!: string;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', name: 'consumed_at', nullable: true })
  consumedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
