import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A tenant-schema table: no schema here, the tenant transaction's search_path places it. */
@Entity({ name: 'projects' })
@Check('projects_name_check', 'char_length(name) BETWEEN 1 AND 200')
@Index('projects_created_at_idx', ['createdAt', 'id'])
export class Project {
  @ApiProperty({ format: 'uuid' })
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ApiProperty({ maxLength: 200 })
  @Column({ type: 'text' })
  name!: string;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 2000 })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @ApiProperty()
  @CreateDateColumn({ type: 'timestamptz', name: 'created_at' })
  createdAt!: Date;

  @ApiProperty()
  @UpdateDateColumn({ type: 'timestamptz', name: 'updated_at' })
  updatedAt!: Date;
}
