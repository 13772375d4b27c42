import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EmbeddedPostgresLayout } from './embedded-postgres.layout';

export interface Postmaster {
  /** Fast shutdown (SIGINT); resolves once it exited, or after `timeoutMs`. */
  stop(timeoutMs: number): Promise<void>;
}

type LogLine = (line: string) => void;

const READY_LINE = 'database system is ready to accept connections';

function spawnOptions(layout: EmbeddedPostgresLayout): SpawnOptions {
  // The binaries' directory is one the postgres user can enter; the app's working directory may not be.
  return { cwd: layout.binDir, stdio: ['ignore', 'ignore', 'pipe'], ...layout.runAs };
}

/** Passes each stderr line to `onLine`; returns the line that best says why the process failed. */
function followStderr(child: ChildProcess, onLine: LogLine): () => string {
  let pending = '';
  let last = '';
  let lastError = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const lines = (pending + chunk).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.map((text) => text.trim()).filter(Boolean)) {
      last = line;
      if (/\b(error|FATAL|PANIC):/i.test(line)) lastError = line;
      onLine(line);
    }
  });
  return () => lastError || last || pending.trim() || 'no output';
}

function runToCompletion(
  layout: EmbeddedPostgresLayout,
  program: string,
  args: string[],
  onLine: LogLine,
): Promise<void> {
  const file = path.join(layout.binDir, program);
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, spawnOptions(layout));
    const reason = followStderr(child, onLine);
    child.on('error', (error) => reject(new Error(`cannot run ${file}: ${error.message}`)));
    child.on('close', (code, signal) =>
      code === 0 ? resolve() : reject(new Error(`${program} failed (${code ?? signal}): ${reason()}`)),
    );
  });
}

/** initdb: UTF-8 and the C locale whatever the machine's, password authentication for `user`. */
export async function initialiseCluster(
  layout: EmbeddedPostgresLayout,
  user: string,
  password: string,
  onLine: LogLine,
): Promise<void> {
  const passwordFile = path.join(tmpdir(), `embedded-postgres-password-${randomBytes(8).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600, flag: 'wx' });
  try {
    if (layout.runAs) await chown(passwordFile, layout.runAs.uid, layout.runAs.gid);
    await runToCompletion(
      layout,
      'initdb',
      [
        `--pgdata=${layout.clusterDir}`,
        `--username=${user}`,
        `--pwfile=${passwordFile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale-provider=builtin',
        '--builtin-locale=C.UTF-8',
        // Also lc_messages: readiness is read from the server's English log line.
        '--locale=C',
      ],
      onLine,
    );
  } finally {
    await unlink(passwordFile).catch(() => undefined);
  }
}

/** Starts postgres on `port` and resolves once it accepts connections. */
export function startPostmaster(
  layout: EmbeddedPostgresLayout,
  port: number,
  onLine: LogLine,
): Promise<Postmaster> {
  const file = path.join(layout.binDir, 'postgres');
  const child = spawn(file, ['-D', layout.clusterDir, '-p', String(port)], spawnOptions(layout));
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const postmaster: Postmaster = {
    async stop(timeoutMs) {
      child.kill('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
      clearTimeout(timer);
    },
  };
  return new Promise((resolve, reject) => {
    const reason = followStderr(child, (line) => {
      onLine(line);
      if (line.includes(READY_LINE)) resolve(postmaster);
    });
    child.on('error', (error) => reject(new Error(`cannot run ${file}: ${error.message}`)));
    child.once('close', (code, signal) =>
      reject(new Error(`postgres exited (${code ?? signal}) before accepting connections: ${reason()}`)),
    );
  });
}
