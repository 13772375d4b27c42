import 'reflect-metadata';
import { runCommand } from '../../common/cli/run-command';
import { loadAppConfig } from '../../config';
import { loadTenantMigrations } from '../migrations/tenant-migration';
import { TenantSchemaMigrator } from '../migrations/tenant-schema-migrator';
import { openCliDataSource } from './cli-data-source';
import { runTenantCommand } from './tenant.command';

async function main(): Promise<number> {
  const config = loadAppConfig();
  const cli = await openCliDataSource(config, config.tenancy.migrationConcurrency);
  try {
    const migrator = new TenantSchemaMigrator(loadTenantMigrations());
    return await runTenantCommand(process.argv.slice(2), {
      dataSource: cli.dataSource,
      migrator,
      config,
      output: process.stdout,
    });
  } finally {
    await cli.close();
  }
}

runCommand('tenant command', main);
