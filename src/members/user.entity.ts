import { ApiProperty } from '@nestjs/swagger';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
} from 'typeorm';
import { ROLES, type Role } from '../common/access/access.decorators';

/** A member of one tenant; lives in the tenant schema, so the same email can exist in two tenants. */
@Entity({ name: 'users' })
@Unique('users_email_key', ['email'])
@Check('users_email_lower', 'email = lower(email)')
@Check('users_role_check', `role IN ('owner', 'admin', 'member')`)
export class User {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  email!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'text', name: 'password_hash' })
  passwordHash!: string;

  @Column({ type: 'text' })
  role!: Role;

  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}

/** What the API shows of a user. */
export class MemberDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'email' })
  email!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty({ enum: ROLES })
  role!: Role;
}

export function toMemberDto({ id, email, name, role }: User): MemberDto {
  return { id, email, name, role };
}
