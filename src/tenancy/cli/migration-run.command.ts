import { parseArgs } from 'node:util';
import type { DataSource } from 'typeorm';
import { migrateTenantSchemas } from '../migrations/tenant-migration-run';
import type { TenantSchemaMigrator } from '../migrations/tenant-schema-migrator';
import { MigrationProgressReporter, type ProgressOutput } from './progress-reporter';

export interface MigrationRunOptions {
  concurrency: number;
  tenant?: string;
}

export function parseMigrationRunArgs(argv: string[], defaultConcurrency: number): MigrationRunOptions {
  const { values } = parseArgs({
    args: argv,
    options: { concurrency: { type: 'string' }, tenant: { type: 'string' } },
    strict: true,
  });
  const concurrency = values.concurrency === undefined ? defaultConcurrency : Number(values.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new Error('--concurrency expects an integer from 1 to 64');
  }
  return { concurrency, tenant: values.tenant };
}

/**
 * `npm run migration:run`: shared-schema migrations first, then every tenant schema that is behind.
 * Returns the exit code: non-zero when any tenant failed.
 */
export async function runMigrationCommand(
  dataSource: DataSource,
  migrator: TenantSchemaMigrator,
  options: MigrationRunOptions,
  output: ProgressOutput,
): Promise<number> {
  const shared = await dataSource.runMigrations({ transaction: 'each' });
  output.write(
    shared.length > 0
      ? `Shared schema: applied ${shared.map((migration) => migration.name).join(', ')}\n`
      : 'Shared schema: up to date\n',
  );
  const reporter = new MigrationProgressReporter(output);
  const summary = await migrateTenantSchemas(dataSource, migrator, {
    concurrency: options.concurrency,
    slug: options.tenant,
    onProgress: (progress) => reporter.update(progress),
    onWaitingForLock: () => output.write('Another migration run holds the lock; waiting for it\n'),
  });
  reporter.summary(summary);
  return summary.failures.length > 0 ? 1 : 0;
}
