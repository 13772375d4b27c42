import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { createServer } from 'node:net';

/** Variables of the machine that would point a child process at services the test did not choose. */
const SERVICE_VARIABLES = [
  'NODE_ENV',
  'PORT',
  'DB_HOST',
  'DB_PORT',
  'DB_USER',
  'DB_USERNAME',
  'DB_PASSWORD',
  'DB_NAME',
  'REDIS_HOST',
  'RABBITMQ_URL',
  'STRIPE_SECRET_KEY',
  'RESEND_API_KEY',
  'JWT_SECRET',
];

/** The test runner's environment without the service variables, plus `env`. */
export function childEnvironment(env: Record<string, string> = {}): Record<string, string | undefined> {
  const environment: Record<string, string | undefined> = { ...process.env };
  for (const name of SERVICE_VARIABLES) delete environment[name];
  return { ...environment, ...env };
}

export interface RunningChild {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved. */
  output(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Spawns a process and records what it prints. `detached` gives it a process group of its own. */
export function startChild(command: string, args: string[], options: SpawnOptions): RunningChild {
  const child = spawn(command, args, options);
  let output = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, stderr: () => stderr, exited };
}

/** A port the OS has just handed out as free (a random pick can land on a connection's ephemeral port). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
