import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/**
 * A tenant's API key. Only its visible `prefix` and a keyed hash of its secret are stored; a revoked
 * key keeps its row (and so its name for the audit log) but never works again.
 */
@Entity({ name: 'api_keys' })
@Check('api_keys_name_check', 'char_length(name) BETWEEN 1 AND 100')
@Index('api_keys_prefix_key', ['prefix'], { unique: true })
export class ApiKey {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', array: true })
  scopes!: string[];

  @Column({ type: 'text' })
  prefix!: string;

  /** HMAC-SHA256 of the secret part under the server's API key hash key (ApiKeyHasher). */
  @Column({ type: 'bytea', name: 'secret_hash' })
  secretHash!: Buffer;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true })
  expiresAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'last_used_at', nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;
}
