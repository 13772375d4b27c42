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
 * A link that proves an identity controls an address, stored as the SHA-256 of its token. The address
 * is the identity's own (verification) or the one it asked to change to (the change happens when the
 * link is used); it works only through the tenant it was mailed from.
 */
@Entity({ schema: 'public', name: 'email_verification_tokens' })
@Unique('email_verification_tokens_token_hash_key', ['tokenHash'])
@Index('email_verification_tokens_identity_idx', ['identityId'])
@Index('email_verification_tokens_tenant_idx', ['tenantId'])
export class EmailVerificationToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'identity_id' })
  identityId!: string;

  @ManyToOne(() => Identity, { onDelete: 'CASCADE' })
  @JoinColumn({
    name: 'identity_id',
    foreignKeyConstraintName: 'email_verification_tokens_identity_id_fkey',
  })
  identity?: Identity;

  @Column({ type: 'uuid', name: 'tenant_id' })
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'email_verification_tokens_tenant_id_fkey' })
  tenant?: Tenant;

  /** The address the link was mailed to, normalised: what using it proves. */
  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text', name: 'token_hash' })
  tokenHash!: string;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
