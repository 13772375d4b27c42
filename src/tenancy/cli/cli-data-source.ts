import { DataSource } from 'typeorm';
import type { AppConfig } from '../../config';
import { dataSourceOptions } from '../../database/data-source-options';
import { resolveDatabase } from '../../database/database-endpoint';
import { Tenant } from '../tenant.entity';

export interface CliDataSource {
  dataSource: DataSource;
  close(): Promise<void>;
}

/** A DataSource for a command-line run: the configured PostgreSQL, or the embedded one. */
export async function openCliDataSource(config: AppConfig, poolSize: number): Promise<CliDataSource> {
  const database = await resolveDatabase(config.database);
  const dataSource = new DataSource({
    ...dataSourceOptions(database.endpoint, config.database),
    entities: [Tenant],
    poolSize,
  });
  try {
    await dataSource.initialize();
  } catch (error) {
    await database.stop();
    throw error;
  }
  return {
    dataSource,
    async close() {
      await dataSource.destroy();
      await database.stop();
    },
  };
}
