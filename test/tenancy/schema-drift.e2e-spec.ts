import { loadAppConfig } from '../../src/config';
import { generateMigrationSql } from '../../src/tenancy/cli/migration-files.command';
import { createTestDatabase, testDatabaseEnvironment } from '../support/test-database';

/** Entities and migrations must describe the same schema, or `migration:generate` would be useless. */
describe('entities and migrations', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  const config = () =>
    loadAppConfig({
      ...testDatabaseEnvironment(database.name),
    });

  it('agree on the shared schema', async () => {
    expect((await generateMigrationSql(config(), false)).up).toEqual([]);
  });

  it('agree on the tenant schema', async () => {
    expect((await generateMigrationSql(config(), true)).up).toEqual([]);
  });
});
