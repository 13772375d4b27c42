import { Body, Get, Post, Query } from '@nestjs/common';
import { PaginationQueryDto } from '../../../src/common/pagination/pagination';
import { TenantController } from '../../../src/tenancy/tenant-controller.decorator';
import { TenantDatabase } from '../../../src/tenancy/tenant-database';
import { CreateFixtureNoteDto } from './create-fixture-note.dto';

export interface FixtureNote {
  id: string;
  name: string;
}

/**
 * A tenant resource of the tests' own, behind the same pipeline as any other (tenant resolution,
 * access token, pinned reads and transactions), so tenancy tests need no feature module.
 */
@TenantController('fixture-notes')
export class FixtureNotesController {
  constructor(private readonly tenantDatabase: TenantDatabase) {}

  @Get()
  list(@Query() query: PaginationQueryDto): Promise<{ items: FixtureNote[]; total: number }> {
    return this.tenantDatabase.read(async (manager) => {
      const items = await manager.query<FixtureNote[]>(
        'SELECT id, name FROM fixture_notes ORDER BY name LIMIT $1 OFFSET $2',
        [query.limit, query.offset],
      );
      const [{ total }] = await manager.query<{ total: number }[]>(
        'SELECT count(*)::int AS total FROM fixture_notes',
      );
      return { items, total };
    });
  }

  @Post()
  create(@Body() body: CreateFixtureNoteDto): Promise<FixtureNote> {
    return this.tenantDatabase.transaction(async (manager) => {
      const [note] = await manager.query<FixtureNote[]>(
        'INSERT INTO fixture_notes (name) VALUES ($1) RETURNING id, name',
        [body.name],
      );
      return note;
    });
  }
}
