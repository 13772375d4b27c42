import { Client } from 'pg';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';

/** The machine's PostgreSQL (BENCH_DB_* override the defaults); each bench gets a database of its own. */
export const benchDatabaseServer = {
  host: process.env.BENCH_DB_HOST ?? '127.0.0.1',
  port: Number(process.env.BENCH_DB_PORT ?? 5432),
  user: process.env.BENCH_DB_USER ?? 'postgres',
  password: process.env.BENCH_DB_PASSWORD ?? '',
};

export interface BenchActivity {
  /** Client connections to the bench database, by application_name. */
  connections: Record<string, number>;
  /** Every backend working on the bench database (clients, autovacuum): its share of the CPU. */
  pids: number[];
}

export interface BenchDatabase {
  endpoint: DatabaseEndpoint;
  activity(): Promise<BenchActivity>;
  /** This process, `others` (children, the broker) and every backend on the bench database: ours, not load from others. */
  ourPids(...others: (number | undefined)[]): Promise<number[]>;
  drop(): Promise<void>;
  /** Leaves the database in place (for a look afterwards). */
  close(): Promise<void>;
}

/** A fresh, empty database (an old one of the same name is dropped first), watched from `postgres`. */
export async function createBenchDatabase(name: string): Promise<BenchDatabase> {
  const admin = new Client({ ...benchDatabaseServer, database: 'postgres', application_name: 'bench-admin' });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin.query(`CREATE DATABASE "${name}"`);
  const activity = async (): Promise<BenchActivity> => {
    const { rows } = await admin.query<{ pid: number; application: string; client: boolean }>(
      `SELECT pid, coalesce(nullif(application_name, ''), '(none)') AS application,
              backend_type = 'client backend' AS client
         FROM pg_stat_activity WHERE datname = $1`,
      [name],
    );
    const connections: Record<string, number> = {};
    for (const row of rows.filter((row) => row.client)) {
      connections[row.application] = (connections[row.application] ?? 0) + 1;
    }
    return { connections, pids: rows.map((row) => row.pid) };
  };
  return {
    endpoint: { ...benchDatabaseServer, database: name },
    activity,
    ourPids: async (...others) => [
      process.pid,
      ...others.map((pid) => pid ?? -1),
      ...(await activity()).pids,
    ],
    async drop() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await admin.end();
      }
    },
    close: () => admin.end(),
  };
}
