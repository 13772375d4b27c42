import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import type { Role } from '../common/access/access.decorators';

/**
 * An identity's membership of this tenant, in the tenant's schema: its role here. The identity (email,
 * name, password) is shared and named by id only, since no foreign key leaves the tenant schema; the
 * code writes both, and the shared directory of memberships, in one transaction.
 */
@Entity({ name: 'memberships' })
@Unique('memberships_identity_id_key', ['identityId'])
@Check('memberships_role_check', `role IN ('owner', 'admin', 'member')`)
@Index('memberships_invited_by_idx', ['invitedBy'])
export class Membership {
  @PrimaryGeneratedColumn('uuid', { primaryKeyConstraintName: 'memberships_pkey' })
  id!: string;

  @Column({ type: 'uuid', name: 'identity_id' })
  identityId!: string;

  @Column({ type: 'text' })
  role!: Role;

  /** The member whose invitation this membership accepted; null for the founder, or once they left. */
  @Column({ type: 'uuid', name: 'invited_by', nullable: true })
  invitedBy!: string | null;

  @ManyToOne(() => Membership, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invited_by', foreignKeyConstraintName: 'memberships_invited_by_fkey' })
  inviter?: Membership;

  /** When the identity joined the tenant. */
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
