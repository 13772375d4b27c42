import 'reflect-metadata';
import { ConfigValidationError, loadAppConfig } from '../../config';
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

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${error instanceof ConfigValidationError ? error.message : `tenant command failed: ${(error as Error).message}`}\n`,
    );
    process.exit(1);
  },
);
