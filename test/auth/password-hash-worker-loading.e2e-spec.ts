import path from 'node:path';
import bcrypt from 'bcryptjs';
import { Client } from 'pg';
import { childEnvironment, startChild } from '../support/child-processes';
import { createTestDatabase, testDatabaseEnvironment, testDatabaseServer } from '../support/test-database';
import { uniqueSlug } from '../support/tenants';

const ROOT = path.resolve(__dirname, '..', '..');
const BUILT_POOL = path.join(ROOT, 'dist/src/auth/passwords/password-hash-pool.js');

/** Hashes and checks a password through the built pool in plain node, then closes it and lets the process end. */
const BUILT_POOL_SCRIPT = `
require('reflect-metadata');
const { PasswordHashPool, passwordHashWorkerScript } = require(${JSON.stringify(BUILT_POOL)});
const { loadAppConfig } = require(${JSON.stringify(path.join(ROOT, 'dist/src/config'))});
const pool = new PasswordHashPool(loadAppConfig({ PASSWORD_HASH_THREADS: '1' }));
(async () => {
  const hash = await pool.hash('correct horse battery', 4);
  const result = {
    script: passwordHashWorkerScript(),
    matches: await pool.compare('correct horse battery', hash),
    threads: pool.runningThreads,
  };
  await pool.close();
  process.stdout.write(JSON.stringify(result));
})();
`;

describe('the password hash worker loads', () => {
  it('from the build (dist/), as compiled JavaScript with no TypeScript loader', async () => {
    const child = startChild(process.execPath, ['-e', BUILT_POOL_SCRIPT], {
      cwd: ROOT,
      env: childEnvironment(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });

    expect(await child.exited).toBe(0);
    expect(JSON.parse(child.output())).toEqual({
      script: { filename: path.join(ROOT, 'dist/src/auth/passwords/password-hash.worker.js'), execArgv: [] },
      matches: true,
      threads: 1,
    });
  });

  it('under the ts-node CLI, as `npm run tenant -- create --owner-email` runs it', async () => {
    const database = await createTestDatabase();
    try {
      const slug = uniqueSlug();
      const email = `owner@${slug}.example.com`;
      const cli = startChild(
        process.execPath,
        [
          require.resolve('ts-node/dist/bin.js'),
          '--transpile-only',
          'src/tenancy/cli/tenant.main.ts',
          'create',
          '--slug',
          slug,
          '--name',
          'Hashed in a thread',
          '--owner-email',
          email,
        ],
        {
          cwd: ROOT,
          env: childEnvironment({
            NODE_ENV: 'test',
            LOG_LEVEL: 'error',
            ...testDatabaseEnvironment(database.name),
            BCRYPT_COST: '5',
            PASSWORD_HASH_THREADS: '1',
          }),
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );

      expect({ code: await cli.exited, output: cli.output() }).toEqual({
        code: 0,
        output: expect.stringContaining(`${email} (a new identity) owns it`) as unknown,
      });
      const client = new Client({ ...testDatabaseServer, database: database.name });
      await client.connect();
      try {
        const { rows } = await client.query<{ password_hash: string }>(
          'SELECT password_hash FROM public.identities WHERE email = $1',
          [email],
        );
        expect(bcrypt.getRounds(rows[0].password_hash)).toBe(5);
      } finally {
        await client.end();
      }
    } finally {
      await database.drop();
    }
  });
});
