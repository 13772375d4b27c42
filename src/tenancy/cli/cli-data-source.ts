import { DataSource } from 'typeorm';
import { PasswordResetToken } from '../../auth/password-reset-token.entity';
import type { AppConfig } from '../../config';
import { dataSourceOptions } from '../../database/data-source-options';
import { resolveDatabase } from '../../database/database-endpoint';
import { IdentityMembership } from '../../identities/identity-membership.entity';
import { Identity } from '../../identities/identity.entity';
import { Membership } from '../../members/membership.entity';
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
    // What the commands write: tenants, and the owner `tenant create --owner-email` enrols.
    entities: [Tenant, Identity, IdentityMembership, Membership, PasswordResetToken],
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
