import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '../../common/pagination/pagination';
import { Project } from '../project.entity';

export class ProjectPageDto implements Page<Project> {
  @ApiProperty({ type: [Project] })
  items!: Project[];

  @ApiProperty()
  total!: number;

  @ApiProperty()
  page!: number;

  @ApiProperty()
  limit!: number;
}
