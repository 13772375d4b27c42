import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '../../common/pagination/pagination';
import { Project } from '../project.entity';

export class ProjectPageDto implements Page<Project> {
  @ApiProperty({ type: [Project] })
  items!: Project[];

  @ApiProperty({ type: 'integer', minimum: 0 })
  total!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  page!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  limit!: number;
}
