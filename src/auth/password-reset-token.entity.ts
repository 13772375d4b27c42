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
import { Identity } from '../identities/identity.entity';
import { Tenant } from '../tenancy/tenant.entity';

/**
 * A password reset link of an identity, stored as the SHA-256 of its token. It works only through the
 * tenant it was asked through (whose branding its mail carries) and changes the one password.
 */
@Entity({ schema: 'public', name: 'password_reset_tokens' })
@Unique('password_reset_tokens_token_hash_key', ['tokenHash'])
@Index('password_reset_tokens_identity_idx', ['identityId'])
@Index('password_reset_tokens_tenant_idx', ['tenantId'])
export class PasswordResetToken {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'identity_id' })
  identityId!: string;

  @ManyToOne(() => Identity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_id', foreignKeyConstraintName: 'password_reset_tokens_identity_id_fkey' })
  identity?: Identity;

  @Column({ type: 'uuid', name: 'tenant_id' })
  tenantId!: string;

  @ManyToOne(() => Tenant, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tenant_id', foreignKeyConstraintName: 'password_reset_tokens_tenant_id_fkey' })
  tenant?: Tenant;

  @Column({ type: 'text', name: 'token_hash' })
  tokenHash!: string;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
