import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const AUDIT_ACTIONS = [
  'auth.sign_in',
  'member.invited',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'invitation.revoked',
  'project.created',
  'project.updated',
  'project.deleted',
  'plan.changed',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One audited change in the tenant schema; written in the transaction of the change itself. */
@Entity({ name: 'audit_log' })
@Index('audit_log_at_idx', ['at', 'id'])
export class AuditEntry {
  @ApiProperty({ format: 'uuid' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ApiProperty({ enum: AUDIT_ACTIONS })
  @Column({ type: 'text' })
  action!: AuditAction;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'null for changes made by Stripe',
  })
  @Column({ type: 'uuid', name: 'actor_id', nullable: true })
  actorId!: string | null;

  @ApiProperty({ example: 'project:3f1c…' })
  @Column({ type: 'text' })
  target!: string;

  @ApiProperty({ format: 'date-time' })
  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  at!: Date;
}
