import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import bcrypt from 'bcryptjs';
import { loadAppConfig } from '../../config';
import { AppException } from '../../common/errors/app.exception';
import { PasswordHashPool, passwordHashWorkerScript } from './password-hash-pool';

const COST = 4;
// Slow enough that every hash of a burst is still waiting when the last one is asked for.
const SLOW_COST = 10;

function poolWith(threads: number, maxQueue = 64): PasswordHashPool {
  return new PasswordHashPool(
    loadAppConfig({ PASSWORD_HASH_THREADS: String(threads), PASSWORD_HASH_MAX_QUEUE: String(maxQueue) }),
  );
}

async function outcomes(attempts: Promise<unknown>[]): Promise<string[]> {
  const settled = await Promise.allSettled(attempts);
  return settled.map((result) =>
    result.status === 'fulfilled'
      ? 'hashed'
      : result.reason instanceof AppException
        ? `${result.reason.getStatus()} ${result.reason.code} Retry-After ${result.reason.headers['Retry-After']}`
        : String(result.reason),
  );
}

const BUSY = '503 PASSWORD_HASHING_BUSY Retry-After 1';

describe('PasswordHashPool', () => {
  const pools: PasswordHashPool[] = [];
  const track = (pool: PasswordHashPool) => (pools.push(pool), pool);
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.close()));
  });

  describe('with worker threads', () => {
    it('hashes and compares in a worker thread, loading the TypeScript worker through ts-node here', async () => {
      expect(passwordHashWorkerScript().filename).toMatch(/password-hash\.worker\.ts$/);
      const pool = track(poolWith(1));
      expect(pool.runningThreads).toBe(0);

      const hash = await pool.hash('correct horse battery', COST);

      expect(pool.runningThreads).toBe(1);
      expect(bcrypt.getRounds(hash)).toBe(COST);
      expect(bcrypt.compareSync('correct horse battery', hash)).toBe(true);
      await expect(pool.compare('correct horse battery', hash)).resolves.toBe(true);
      await expect(pool.compare('wrong horse battery', hash)).resolves.toBe(false);
    });

    it('refuses with 503 PASSWORD_HASHING_BUSY and Retry-After once PASSWORD_HASH_MAX_QUEUE hashes wait', async () => {
      const pool = track(poolWith(1, 1));

      // One hash for the thread, one waiting for it; the rest are refused at once.
      const results = await outcomes([1, 2, 3, 4].map((n) => pool.hash(`password ${n}`, SLOW_COST)));

      expect(results).toEqual(['hashed', 'hashed', BUSY, BUSY]);
      await expect(pool.hash('after the burst', COST)).resolves.toMatch(/^\$2b\$04\$/);
    });

    it('ends its threads on close, fails what still waits rather than leave it hanging, and closes once', async () => {
      const pool = track(poolWith(1));
      await pool.hash('start a thread', COST);
      const waiting = outcomes([pool.hash('running', SLOW_COST), pool.hash('queued', SLOW_COST)]);

      await Promise.all([pool.close(), pool.close()]);

      expect(pool.runningThreads).toBe(0);
      expect(await waiting).toEqual(['Error: Terminating worker thread', 'Error: Terminating worker thread']);
    });
  });

  describe('with PASSWORD_HASH_THREADS=0', () => {
    it('hashes and compares on the event loop, starting no thread', async () => {
      const pool = track(poolWith(0));

      const hash = await pool.hash('correct horse battery', COST);

      expect(pool.runningThreads).toBe(0);
      expect(bcrypt.compareSync('correct horse battery', hash)).toBe(true);
      await expect(pool.compare('correct horse battery', hash)).resolves.toBe(true);
      await expect(pool.compare('wrong horse battery', hash)).resolves.toBe(false);
    });

    it('refuses with 503 PASSWORD_HASHING_BUSY once PASSWORD_HASH_MAX_QUEUE hashes are in progress', async () => {
      const pool = track(poolWith(0, 2));

      const results = await outcomes([1, 2, 3].map((n) => pool.hash(`password ${n}`, COST)));

      expect(results).toEqual(['hashed', 'hashed', BUSY]);
      await expect(pool.hash('after the burst', COST)).resolves.toMatch(/^\$2b\$04\$/);
    });
  });
});

describe('passwordHashWorkerScript', () => {
  it('takes the compiled worker beside it when there is one, with no loader', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'password-hash-worker-'));
    try {
      writeFileSync(path.join(directory, 'password-hash.worker.js'), '');
      expect(passwordHashWorkerScript(directory)).toEqual({
        filename: path.join(directory, 'password-hash.worker.js'),
        execArgv: [],
      });
    } finally {
      rmSync(directory, { recursive: true });
    }
  });

  it('takes the TypeScript source with ts-node registered in the thread when nothing is compiled', () => {
    const directory = mkdtempSync(path.join(tmpdir(), 'password-hash-worker-'));
    try {
      expect(passwordHashWorkerScript(directory)).toEqual({
        filename: path.join(directory, 'password-hash.worker.ts'),
        execArgv: ['--require', require.resolve('ts-node/register/transpile-only')],
      });
    } finally {
      rmSync(directory, { recursive: true });
    }
  });
});
