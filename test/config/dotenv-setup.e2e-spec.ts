import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { childEnvironment, freePort, type RunningChild, startChild } from '../support/child-processes';
import { uniqueSlug } from '../support/tenants';
import { testDatabaseName, testDatabaseServer, withAdminClient } from '../support/test-database';
import { waitFor } from '../support/wait-for';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

/** The files a fresh clone of this working tree holds: tracked ones and new ones git does not ignore. */
async function cloneWorkingTree(into: string): Promise<void> {
  const { stdout } = await run('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], {
    cwd: ROOT,
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const file of stdout.split('\0').filter(Boolean)) {
    if (!existsSync(path.join(ROOT, file))) continue;
    await mkdir(path.dirname(path.join(into, file)), { recursive: true });
    await copyFile(path.join(ROOT, file), path.join(into, file));
  }
  await symlink(path.join(ROOT, 'node_modules'), path.join(into, 'node_modules'), 'dir');
}

/** What the README asks a newcomer to do to .env: point it at their PostgreSQL. */
function editedDotEnv(example: string, settings: Record<string, string>): string {
  const lines = example.split('\n').map((line) => {
    const match = /^#?\s*([A-Z][A-Z0-9_]*)=/.exec(line);
    return match && match[1] in settings ? `${match[1]}=${settings[match[1]]}` : line;
  });
  return `${lines.join('\n')}\n`;
}

function npmRun(cwd: string, script: string, args: string[] = []): Promise<{ stdout: string }> {
  return run('npm', ['run', '--silent', script, ...(args.length ? ['--', ...args] : [])], {
    cwd,
    env: childEnvironment(),
    timeout: 120_000,
  });
}

describe('the documented set-up: cp .env.example .env, edit, migrate, start', () => {
  let clone: string;
  let databaseName: string;
  let api: RunningChild | undefined;

  beforeAll(async () => {
    clone = await mkdtemp(path.join(tmpdir(), 'saas-dotenv-'));
    await cloneWorkingTree(clone);
    databaseName = testDatabaseName('db');
    await withAdminClient((client) => client.query(`CREATE DATABASE "${databaseName}"`));
  });

  afterAll(async () => {
    if (api?.child.pid && api.child.exitCode === null) {
      process.kill(-api.child.pid, 'SIGKILL');
      await api.exited;
    }
    await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`));
    await rm(clone, { recursive: true, force: true });
  });

  it('runs the migrations, the CLIs and the API against the database named in .env', async () => {
    const port = await freePort();
    const example = await readFile(path.join(clone, '.env.example'), 'utf8');
    await writeFile(
      path.join(clone, '.env'),
      editedDotEnv(example, {
        DB_HOST: testDatabaseServer.host,
        DB_PORT: String(testDatabaseServer.port),
        DB_USERNAME: testDatabaseServer.user,
        DB_PASSWORD: testDatabaseServer.password,
        DB_NAME: databaseName,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
      }),
    );

    await npmRun(clone, 'migration:run');
    const slug = uniqueSlug();
    await npmRun(clone, 'tenant', ['create', '--slug', slug, '--name', 'Made on the command line']);
    expect(await tenantSlugsIn(databaseName)).toContain(slug);

    api = startChild('npm', ['run', 'start:dev'], { cwd: clone, env: childEnvironment(), detached: true });
    const baseUrl = `http://127.0.0.1:${port}`;
    await waitFor(
      async () => {
        if (api?.child.exitCode !== null) throw new Error(`start:dev exited:\n${api?.output()}`);
        const response = await fetch(`${baseUrl}/health/ready`).catch(() => undefined);
        return response?.status === 200;
      },
      { timeoutMs: 150_000, intervalMs: 500, what: 'npm run start:dev to serve' },
    );
    const signupSlug = uniqueSlug();
    const signup = await fetch(`${baseUrl}/api/v1/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        organizationName: 'Dotenv Inc',
        slug: signupSlug,
        name: 'Dot Env',
        email: `owner@${signupSlug}.example.com`,
        password: 'correct horse battery staple',
      }),
    });
    expect(signup.status).toBe(201);
    expect(await tenantSlugsIn(databaseName)).toEqual(expect.arrayContaining([slug, signupSlug]));
    expect(existsSync(path.join(clone, '.data', 'postgres'))).toBe(false);
  }, 300_000);
});

async function tenantSlugsIn(database: string): Promise<string[]> {
  const client = new Client({ ...testDatabaseServer, database });
  await client.connect();
  try {
    const { rows } = await client.query<{ slug: string }>('SELECT slug FROM public.tenants');
    return rows.map((row) => row.slug);
  } finally {
    await client.end();
  }
}
