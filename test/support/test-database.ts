import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** The machine's PostgreSQL that e2e tests run against (TEST_DB_* override the defaults). */
export const testDatabaseServer = {
  host: process.env.TEST_DB_HOST ?? '127.0.0.1',
  port: Number(process.env.TEST_DB_PORT ?? 5432),
  user: process.env.TEST_DB_USER ?? 'postgres',
  password: process.env.TEST_DB_PASSWORD ?? '',
};

/** The app's variables that point it at one database of the test server. */
export function testDatabaseEnvironment(databaseName: string): Record<string, string> {
  return {
    DB_HOST: testDatabaseServer.host,
    DB_PORT: String(testDatabaseServer.port),
    DB_USERNAME: testDatabaseServer.user,
    DB_PASSWORD: testDatabaseServer.password,
    DB_NAME: databaseName,
  };
}

export const TEST_DATABASE_PREFIX = 'saas_test_';

/**
 * Test databases carry the pid of the Jest run that made them, so a run only clears what an ended
 * run left behind and several runs can share one PostgreSQL.
 */
export function testDatabaseName(
  kind: 'tpl' | 'db',
  runPid = process.env.TEST_RUN_PID ?? String(process.pid),
): string {
  const suffix = kind === 'tpl' ? 'template' : randomBytes(5).toString('hex');
  return `${TEST_DATABASE_PREFIX}${runPid}_${kind}_${suffix}`;
}

/** Migrated once per run by global setup; every test file gets a fresh copy of it. */
export function templateDatabase(): string {
  return testDatabaseName('tpl');
}

export function runPidOf(databaseName: string): number | undefined {
  const match = new RegExp(`^${TEST_DATABASE_PREFIX}(\\d+)_`).exec(databaseName);
  return match ? Number(match[1]) : undefined;
}

export async function withAdminClient<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...testDatabaseServer, database: 'postgres' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A new database cloned from the migrated template, dropped again by the returned function. */
export async function createTestDatabase(): Promise<{ name: string; drop: () => Promise<void> }> {
  const name = testDatabaseName('db');
  await withAdminClient(async (client) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${name}" TEMPLATE "${templateDatabase()}"`);
        return;
      } catch (error) {
        // Two files cloning the template at the same instant can collide; a short retry settles it.
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
      }
    }
  });
  return {
    name,
    drop: () =>
      withAdminClient(
        async (client) => void (await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
      ),
  };
}
