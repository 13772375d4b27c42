import path from 'node:path';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';
import { BenchChild } from '../support/bench-child';
import type { WorkerCommand } from './mail-worker.child';

const STOP_TIMEOUT_MS = 30_000;

/**
 * One mail worker in a child process: its event loop, CPU and connections are its own, as with
 * `npm run start:worker`, and the bench's enqueueing and fake Resend do not slow it down.
 */
export class MailWorkerProcess {
  private constructor(private readonly child: BenchChild<{ result: true }>) {}

  static async start(env: Record<string, string>, database: DatabaseEndpoint): Promise<MailWorkerProcess> {
    const worker = new MailWorkerProcess(
      BenchChild.fork(path.join(__dirname, 'mail-worker.child.ts'), 'mail worker'),
    );
    try {
      await worker.command({ start: { env, database } });
    } catch (error) {
      worker.child.kill();
      throw error;
    }
    return worker;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Graceful: stop consuming, finish in-flight sends, close channels; killed if it takes too long. */
  async close(): Promise<void> {
    if (!this.child.connected) return;
    const timer = setTimeout(() => this.child.kill(), STOP_TIMEOUT_MS);
    try {
      await this.command('stop');
    } finally {
      clearTimeout(timer);
      this.child.close();
    }
  }

  private command(command: WorkerCommand): Promise<true> {
    return this.child.ask(command, (message) => message.result);
  }
}
