import type { DataSource, EntityManager, QueryRunner } from 'typeorm';

const SCHEMA_NAME = /^tenant_[0-9a-f]{32}$/;

export function assertTenantSchemaName(schemaName: string): void {
  if (!SCHEMA_NAME.test(schemaName)) throw new Error(`Not a tenant schema name: ${schemaName}`);
}

/**
 * TypeORM begins a transaction with `START TRANSACTION` alone. The schema pin rides along in the same
 * simple-protocol round trip, so pinning costs no extra round trip, and `set_config(..., true)` keeps
 * it local to the transaction: it ends with COMMIT or ROLLBACK, and never outlives it on a pooled
 * (or PgBouncer transaction-mode) connection.
 */
async function startPinnedTransaction(queryRunner: QueryRunner, schemaName: string): Promise<void> {
  const send = queryRunner.query.bind(queryRunner);
  const pinnedBegin = `START TRANSACTION; SELECT set_config('search_path', '"${schemaName}"', true)`;
  queryRunner.query = ((sql: string, ...rest: unknown[]) =>
    sql === 'START TRANSACTION' ? send(pinnedBegin) : send(sql, ...(rest as []))) as QueryRunner['query'];
  try {
    await queryRunner.startTransaction();
  } finally {
    queryRunner.query = send;
  }
}

interface PostgresQueryRunnerInternals {
  releasePostgresConnection(error: Error): Promise<void>;
}

/** Ends the transaction however far it got; a connection that cannot roll back is destroyed, not pooled. */
async function abandon(queryRunner: QueryRunner): Promise<void> {
  try {
    await queryRunner.query('ROLLBACK');
    await queryRunner.release();
  } catch (error) {
    await (queryRunner as unknown as PostgresQueryRunnerInternals).releasePostgresConnection(error as Error);
  }
}

/**
 * Runs `work` in one transaction whose search_path is the given tenant schema and nothing else, on
 * a connection of the app's one pool. Unqualified names resolve to the tenant's tables only; shared
 * tables are reached schema-qualified (`public.…`).
 */
export async function runInTenantSchema<T>(
  dataSource: DataSource,
  schemaName: string,
  work: (manager: EntityManager) => Promise<T>,
): Promise<T> {
  assertTenantSchemaName(schemaName);
  const queryRunner = dataSource.createQueryRunner();
  await queryRunner.connect();
  let result: T;
  try {
    await startPinnedTransaction(queryRunner, schemaName);
    result = await work(queryRunner.manager);
    await queryRunner.commitTransaction();
  } catch (error) {
    await abandon(queryRunner);
    throw error;
  }
  await queryRunner.release();
  return result;
}
