import { ApiProperty } from '@nestjs/swagger';
import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { RegisteredAuditAction } from './audit-actions';

/** What the core records; feature modules add their own actions with `registerAuditActions`. */
export const CORE_AUDIT_ACTIONS = [
  'auth.sign_in',
  '2fa.enabled',
  '2fa.disabled',
  '2fa.recovery_code_used',
  'member.invited',
  'member.joined',
  'member.role_changed',
  'member.removed',
  'invitation.revoked',
  'plan.changed',
] as const;
export type AuditAction = (typeof CORE_AUDIT_ACTIONS)[number] | RegisteredAuditAction;

/** One audited change in the tenant schema; written in the transaction of the change itself. */
@Entity({ name: 'audit_log' })
@Index('audit_log_at_idx', ['at', 'id'])
export class AuditEntry {
  @ApiProperty({ format: 'uuid' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  // audit-actions.ts widens the enum as feature modules register actions.
  @ApiProperty({ enum: CORE_AUDIT_ACTIONS })
  @Column({ type: 'text' })
  action!: AuditAction;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The member who made the change; null for changes made by Stripe or an API key',
  })
  @Column({ type: 'uuid', name: 'actor_id', nullable: true })
  actorId!: string | null;

  @ApiProperty({
    format: 'uuid',
    nullable: true,
    type: String,
    description: 'The API key that made the change (see GET /api-keys); null for anyone else',
  })
  @Column({ type: 'uuid', name: 'actor_api_key_id', nullable: true })
  actorApiKeyId!: string | null;

  @ApiProperty({ example: 'user:3f1c…' })
  @Column({ type: 'text' })
  target!: string;

  @ApiProperty({ format: 'date-time' })
  @Column({ type: 'timestamptz', default: () => 'clock_timestamp()' })
  at!: Date;
}
