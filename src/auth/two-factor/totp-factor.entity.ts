import { Column, CreateDateColumn, Entity, JoinColumn, OneToOne, PrimaryColumn } from 'typeorm';
import { Identity } from '../../identities/identity.entity';

/**
 * The TOTP second factor of an identity: its secret, encrypted (see TotpSecretCipher), pending until
 * a first code confirms it, and the last time step a code was accepted for, so no code works twice.
 */
@Entity({ schema: 'public', name: 'totp_factors' })
export class TotpFactor {
  @PrimaryColumn({ type: 'uuid', name: 'identity_id', primaryKeyConstraintName: 'totp_factors_pkey' })
  identityId!: string;

  @OneToOne(() => Identity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'identity_id', foreignKeyConstraintName: 'totp_factors_identity_id_fkey' })
  identity?: Identity;

  @Column({ type: 'text', name: 'secret_ciphertext' })
  secretCiphertext!: string;

  /** Null while the enrolment is pending: the factor is not asked for at sign-in yet. */
  @Column({ type: 'timestamptz', name: 'confirmed_at', nullable: true })
  confirmedAt!: Date | null;

  @Column({
    type: 'bigint',
    name: 'last_used_step',
    nullable: true,
    transformer: {
      to: (step: number | null) => step,
      from: (step: string | null) => (step === null ? null : Number(step)),
    },
  })
  lastUsedStep!: number | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}
