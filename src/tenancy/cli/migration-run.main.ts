import 'reflect-metadata';
import { runCommand } from '../../common/cli/run-command';
import { loadAppConfig } from '../../config';
import { loadTenantMigrations } from '../migrations/tenant-migration';
import { TenantSchemaMigrator } from '../migrations/tenant-schema-migrator';
import { openCliDataSource } from './cli-data-source';
import { parseMigrationRunArgs, runMigrationCommand } from './migration-run.command';

async function main(): Promise<number> {
  const config = loadAppConfig();
  const options = parseMigrationRunArgs(process.argv.slice(2), config.tenancy.migrationConcurrency);
  const cli = await openCliDataSource(config, options.concurrency);
  try {
    const migrator = new TenantSchemaMigrator(loadTenantMigrations());
    return await runMigrationCommand(cli.dataSource, migrator, options, process.stdout);
  } finally {
    await cli.close();
  }
}

runCommand('migration:run', main);
