import type { PoolClient } from 'pg';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { pinClientToSchema, type SchemaPinMode } from './schema-pinned-client';

const SCHEMA_NAME = /^tenant_[0-9a-f]{32}$/;

export function assertTenantSchemaName(schemaName: string): void {
  if (!SCHEMA_NAME.test(schemaName)) throw new Error(`Not a tenant schema name: ${schemaName}`);
}

interface PostgresQueryRunnerInternals {
  releasePostgresConnection(error: Error): Promise<void>;
}

/**
 * Gives the connection back to the pool only outside any transaction (pg reports the server's
 * transaction status with every ReadyForQuery); otherwise rolls back first, and a connection that
 * cannot roll back is destroyed, not pooled.
 */
async function releaseIdle(queryRunner: QueryRunner, client: PoolClient): Promise<void> {
  try {
    if (client.getTransactionStatus() !== 'I') await queryRunner.query('ROLLBACK');
    await queryRunner.release();
  } catch (error) {
    await (queryRunner as unknown as PostgresQueryRunnerInternals).releasePostgresConnection(error as Error);
  }
}

/** Runs `use` on a connection of the app's one pool whose statements are pinned to the schema. */
async function withPinnedConnection<T>(
  dataSource: DataSource,
  schemaName: string,
  mode: SchemaPinMode,
  use: (queryRunner: QueryRunner) => Promise<T>,
): Promise<T> {
  assertTenantSchemaName(schemaName);
  const queryRunner = dataSource.createQueryRunner();
  const client = (await queryRunner.connect()) as PoolClient;
  const unpin = pinClientToSchema(client, schemaName, mode);
  try {
    return await use(queryRunner);
  } finally {
    // The pin comes off before anything else can reach the connection.
    unpin();
    await releaseIdle(queryRunner, client);
  }
}

/**
 * Runs `work` in one transaction whose search_path is the given tenant schema and nothing else, on
 * a connection of the app's one pool. Unqualified names resolve to the tenant's tables only; shared
 * tables are reached schema-qualified (`public.…`). The transaction begins with its first statement,
 * in the same round trip, so it costs one round trip more than its statements: the COMMIT.
 */
export function runInTenantSchema<T>(
  dataSource: DataSource,
  schemaName: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return withPinnedConnection(dataSource, schemaName, 'transaction', async (queryRunner) => {
    await queryRunner.startTransaction();
    try {
      const result = await work(queryRunner.manager);
      await queryRunner.commitTransaction();
      return result;
    } catch (error) {
      if (queryRunner.isTransactionActive) await queryRunner.rollbackTransaction().catch(() => undefined);
      throw error;
    }
  });
}

/**
 * Runs read-only `work` with every statement pinned to the tenant schema on its own: each statement
 * and its pin share one round trip and one implicit transaction, so a read costs exactly the round
 * trips of its statements and holds no transaction open between them. PostgreSQL refuses writes
 * (`transaction_read_only`). Statements see what is committed when each runs (READ COMMITTED, as
 * in a transaction); work that needs one snapshot or atomic writes uses `runInTenantSchema`.
 */
export function readInTenantSchema<T>(
  dataSource: DataSource,
  schemaName: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  return withPinnedConnection(dataSource, schemaName, 'read', (queryRunner) => work(queryRunner.manager));
}
