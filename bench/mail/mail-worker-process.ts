import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';
import type { WorkerCommand, WorkerReport } from './mail-worker.child';

const STOP_TIMEOUT_MS = 30_000;

/**
 * One mail worker in a child process: its event loop, CPU and connections are its own, as with
 * `npm run start:worker`, and the bench's enqueueing and fake Resend do not slow it down.
 */
export class MailWorkerProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(env: Record<string, string>, database: DatabaseEndpoint): Promise<MailWorkerProcess> {
    const child = fork(path.join(__dirname, 'mail-worker.child.ts'), [], {
      execArgv: ['--require', 'ts-node/register/transpile-only'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const worker = new MailWorkerProcess(child);
    try {
      await worker.command({ start: { env, database } }, 'ready');
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return worker;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Graceful: stop consuming, finish in-flight sends, close channels; killed if it takes too long. */
  async stop(): Promise<void> {
    if (!this.child.connected) return;
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    try {
      await this.command('stop', 'stopped');
    } finally {
      clearTimeout(timer);
      this.child.disconnect();
    }
  }

  private command(command: WorkerCommand, expected: 'ready' | 'stopped'): Promise<void> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`mail worker exited with ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (message: WorkerReport) => {
        this.child.off('exit', onExit);
        if ('error' in message) reject(new Error(`mail worker: ${message.error}`));
        else if (expected in message) resolve();
        else reject(new Error(`mail worker answered ${JSON.stringify(message)}`));
      });
      this.child.send(command);
    });
  }
}
