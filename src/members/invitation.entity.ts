import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  type FindOptionsWhere,
  Index,
  IsNull,
  JoinColumn,
  ManyToOne,
  MoreThan,
  PrimaryGeneratedColumn,
  Unique,
} from 'typeorm';
import { Membership } from './membership.entity';

export type InvitableRole = 'admin' | 'member';

@Entity({ name: 'invitations' })
@Unique('invitations_token_hash_key', ['tokenHash'])
@Check('invitations_role_check', `role IN ('admin', 'member')`)
@Index('invitations_invited_by_idx', ['invitedBy'])
export class Invitation {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  role!: InvitableRole;

  /** SHA-256 of the token mailed to the invitee; the token itself is never stored. */
  @Column({ type: 'text', name: 'token_hash' })
  tokenHash!: string;

  @Column({ type: 'uuid', name: 'invited_by', nullable: true })
  invitedBy!: string | null;

  @ManyToOne(() => Membership, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'invited_by', foreignKeyConstraintName: 'invitations_invited_by_fkey' })
  inviter?: Membership;

  @Column({ type: 'timestamptz', name: 'expires_at' })
  expiresAt!: Date;

  @Column({ type: 'timestamptz', name: 'accepted_at', nullable: true })
  acceptedAt!: Date | null;

  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true })
  revokedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;
}

/** Neither accepted, revoked nor expired: the token would still open the door. */
export function isPending(invitation: Invitation, now = new Date()): boolean {
  return (
    invitation.acceptedAt === null &&
    invitation.revokedAt === null &&
    invitation.expiresAt.getTime() > now.getTime()
  );
}

export function pendingInvitationsWhere(now = new Date()): FindOptionsWhere<Invitation> {
  return { acceptedAt: IsNull(), revokedAt: IsNull(), expiresAt: MoreThan(now) };
}
