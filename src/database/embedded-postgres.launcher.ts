import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import { Client } from 'pg';
import type { DatabaseConfig } from '../config';
import { EmbeddedPostgresError } from './embedded-postgres.error';
import { embeddedPostgresLayout } from './embedded-postgres.layout';
import { initialiseCluster, startPostmaster } from './embedded-postgres.processes';

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
 * CLI) already runs one on that directory, it is shared: that process owns it and stops it. Any
 * failure is an EmbeddedPostgresError saying where and why in one line.
 */
export async function startEmbeddedPostgres(config: DatabaseConfig): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(config.embeddedDataDir);
  try {
    return await launch(config, dataDir);
  } catch (error) {
    throw new EmbeddedPostgresError(dataDir, error);
  }
}

async function launch(config: DatabaseConfig, dataDir: string): Promise<EmbeddedPostgres> {
  const password = config.password || 'postgres';
  const endpointOn = (port: number): DatabaseEndpoint => ({
    host: '127.0.0.1',
    port,
    user: config.user,
    password,
    database: config.name,
  });
  const running = await runningPostmaster(dataDir);
  if (running !== undefined) {
    logger.log(`Using the embedded PostgreSQL already running on port ${running.port} (pid ${running.pid})`);
    const endpoint = endpointOn(running.port);
    await ensureDatabase(endpoint);
    return { endpoint, stop: () => Promise.resolve() };
  }

  const started = Date.now();
  await mkdir(path.dirname(dataDir), { recursive: true });
  const layout = await embeddedPostgresLayout(dataDir);
  const serverLog = (line: string) => logger.debug(line);
  if (!existsSync(path.join(layout.clusterDir, 'PG_VERSION'))) {
    logger.log(`Initialising a new embedded PostgreSQL in ${dataDir}`);
    await initialiseCluster(layout, config.user, password, serverLog);
  }
  const endpoint = endpointOn(await findFreePort());
  const postmaster = await startPostmaster(layout, endpoint.port, serverLog);
  try {
    await ensureDatabase(endpoint);
  } catch (error) {
    await postmaster.stop(STOP_TIMEOUT_MS);
    throw error;
  }
  logger.log(`Embedded PostgreSQL ready on 127.0.0.1:${endpoint.port} in ${Date.now() - started} ms`);

  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    stop() {
      // A Ctrl-C in a terminal reaches PostgreSQL too, so it may already be on its way down.
      stopping ??= postmaster.stop(STOP_TIMEOUT_MS).then(() => logger.log('Embedded PostgreSQL stopped'));
      return stopping;
    },
  };
}
