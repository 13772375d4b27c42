import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..');

interface RunningApi {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startApi(env: Record<string, string>): RunningApi {
  const environment: Record<string, string | undefined> = { ...process.env, ...env };
  for (const name of ['DB_HOST', 'REDIS_HOST', 'RABBITMQ_URL', 'STRIPE_SECRET_KEY', 'RESEND_API_KEY']) {
    delete environment[name];
  }
  const child = spawn(process.execPath, ['dist/src/main.js'], { cwd: ROOT, env: environment });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function waitForReady(baseUrl: string, api: RunningApi, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/health/ready`).catch(() => undefined);
    if (response?.status === 200) return;
    if (api.child.exitCode !== null) throw new Error(`API exited early:\n${api.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`API not ready within ${timeoutMs} ms:\n${api.output()}`);
}

/** A port the OS has just handed out as free (a random pick can land on a connection's ephemeral port). */
function freePort(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(String(typeof address === 'object' && address ? address.port : 0)));
    });
  });
}

async function postgresProcessesUsing(dataDir: string): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'pid,args']).catch(() => ({ stdout: '' }));
  return stdout.split('\n').filter((line) => line.includes(dataDir) && line.includes('postgres'));
}

async function embeddedClient(dataDir: string): Promise<Client> {
  const port = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[3]);
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
 * The README's run command on a machine with no services: the built API in production mode starts
 * its own PostgreSQL, serves, stops it on Ctrl-C, and finds its data again on the next start.
 */
describe('start-up with no services configured', () => {
  let dataDir: string;

  beforeAll(async () => {
    await run('npm', ['run', '-s', 'build'], { cwd: ROOT });
    dataDir = await mkdtemp(path.join(tmpdir(), 'saas-embedded-'));
  }, 120_000);
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('serves on an embedded PostgreSQL, stops it on SIGINT, and reuses its data on the next start', async () => {
    const env = { NODE_ENV: 'production', DB_EMBEDDED_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
    let port = await freePort();
    let baseUrl = `http://127.0.0.1:${port}`;

    const first = startApi({ ...env, PORT: port });
    await waitForReady(baseUrl, first, 60_000);
    expect((await fetch(`${baseUrl}/docs`)).status).toBe(200);
    expect(first.output()).toContain('Initialising a new embedded PostgreSQL');
    expect(first.output()).toMatch(/"message":"Embedded PostgreSQL ready/);
    const client = await embeddedClient(dataDir);
    await client.query('CREATE TABLE public.survives_restart (id int)');
    await client.end();

    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(await postgresProcessesUsing(dataDir)).toEqual([]);
    expect(existsSync(path.join(dataDir, 'postmaster.pid'))).toBe(false);

    port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    const second = startApi({ ...env, PORT: port });
    try {
      await waitForReady(baseUrl, second, 60_000);
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
    expect(await postgresProcessesUsing(dataDir)).toEqual([]);
  }, 150_000);
});
