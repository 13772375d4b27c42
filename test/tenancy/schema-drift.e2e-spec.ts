import { loadAppConfig } from '../../src/config';
import { generateMigrationSql } from '../../src/tenancy/cli/migration-files.command';
import { createTestDatabase, testDatabaseServer } from '../support/test-database';

/** Entities and migrations must describe the same schema, or `migration:generate` would be useless. */
describe('entities and migrations', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  const config = () =>
    loadAppConfig({
      DB_HOST: testDatabaseServer.host,
      DB_PORT: String(testDatabaseServer.port),
      DB_USERNAME: testDatabaseServer.user,
      DB_PASSWORD: testDatabaseServer.password,
      DB_NAME: database.name,
    });

  it('agree on the shared schema', async () => {
    expect((await generateMigrationSql(config(), false)).up).toEqual([]);
  });

  it('agree on the tenant schema', async () => {
    expect((await generateMigrationSql(config(), true)).up).toEqual([]);
  });
});
