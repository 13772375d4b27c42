import {
  Column,
  CreateDateColumn,
  Entity,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Identity } from '../../identities/identity.entity';

/** A single-use recovery code of an identity's second factor, stored as its SHA-256. */
@Entity({ schema: 'public', name: 'totp_recovery_codes' })
@Unique('totp_recovery_codes_identity_code_key', ['identityId', 'codeHash'])
export class TotpRecoveryCode {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid', name: 'identity_id' })
  identityId!: string;

  @ManyToOne(() => Identity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_id', foreignKeyConstraintName: 'totp_recovery_codes_identity_id_fkey' })
  identity?: Identity;

  @Column({ type: 'text', name: 'code_hash' })
  codeHash!: string;

  @Column({ type: 'timestamptz', name: 'used_at', nullable: true })
  usedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
