import { existsSync } from 'node:fs';
import path from 'node:path';
import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { Piscina } from 'piscina';
import { InjectConfig, type AppConfig } from '../../config';
import { PasswordHashingBusyException } from '../auth.errors';
import type { PasswordHashTask } from './password-hash.worker';

/** Lowest CPU priority: a request's own work wins the core over a hash in progress. */
const WORKER_NICE_INCREMENT = 19;
const IDLE_THREAD_TIMEOUT_MS = 30_000;

export interface PasswordHashWorkerScript {
  filename: string;
  execArgv: string[];
}

/**
 * The worker beside this file: compiled JavaScript in dist/, or under ts-node and ts-jest (which only
 * hook the main thread) the TypeScript source, with ts-node registered in the worker to load it.
 */
export function passwordHashWorkerScript(directory = __dirname): PasswordHashWorkerScript {
  const compiled = path.join(directory, 'password-hash.worker.js');
  if (existsSync(compiled)) return { filename: compiled, execArgv: [] };
  return {
    filename: path.join(directory, 'password-hash.worker.ts'),
    execArgv: ['--require', require.resolve('ts-node/register/transpile-only')],
  };
}

/**
 * bcrypt off the event loop: PASSWORD_HASH_THREADS worker threads, started on demand and stopped when
 * idle, with at most PASSWORD_HASH_MAX_QUEUE hashes waiting for one; past that a request is refused
 * with 503 rather than left to wait. With 0 threads bcryptjs runs on the event loop, in its own slices.
 */
@Injectable()
export class PasswordHashPool implements OnApplicationShutdown {
  private readonly threads?: Piscina<PasswordHashTask, string | boolean>;
  private readonly maxQueue: number;
  private onEventLoop = 0;
  private closed?: Promise<void>;

  constructor(@InjectConfig() config: AppConfig) {
    this.maxQueue = config.auth.passwordHashMaxQueue;
    const threadCount = config.auth.passwordHashThreads;
    if (threadCount > 0) {
      const script = passwordHashWorkerScript();
      this.threads = new Piscina({
        filename: script.filename,
        // Not the process's own: under the ts-node CLI they name its entry script.
        execArgv: script.execArgv,
        minThreads: 0,
        maxThreads: threadCount,
        idleTimeout: IDLE_THREAD_TIMEOUT_MS,
        niceIncrement: WORKER_NICE_INCREMENT,
      });
    }
  }

  /** Worker threads running now (0 when hashing on the event loop or when idle). */
  get runningThreads(): number {
    return this.threads?.threads.length ?? 0;
  }

  async hash(password: string, cost: number): Promise<string> {
    return (await this.run({ operation: 'hash', password, cost })) as string;
  }

  async compare(password: string, hash: string): Promise<boolean> {
    return (await this.run({ operation: 'compare', password, hash })) as boolean;
  }

  /** Ends the threads; hashes still queued fail. Safe to call more than once. */
  close(): Promise<void> {
    this.closed ??= this.threads ? this.threads.destroy() : Promise.resolve();
    return this.closed;
  }

  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  private run(task: PasswordHashTask): Promise<string | boolean> {
    if (!this.threads) return this.runOnEventLoop(task);
    if (this.threads.queueSize >= this.maxQueue) throw new PasswordHashingBusyException();
    return this.threads.run(task);
  }

  private async runOnEventLoop(task: PasswordHashTask): Promise<string | boolean> {
    if (this.onEventLoop >= this.maxQueue) throw new PasswordHashingBusyException();
    this.onEventLoop++;
    try {
      return task.operation === 'hash'
        ? await bcrypt.hash(task.password, task.cost)
        : await bcrypt.compare(task.password, task.hash);
    } finally {
      this.onEventLoop--;
    }
  }
}
