import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { LatencySummary } from './stats';

export interface LoadRequest {
  path: string;
  headers: Record<string, string>;
}

export interface LoadRound {
  baseUrl: string;
  /** Sent in turn (round-robin over all connections). */
  requests: LoadRequest[];
  concurrency: number;
  durationMs: number;
}

export interface LoadRoundResult {
  requests: number;
  /** 2xx responses; throughput counts only these. */
  ok: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  elapsedMs: number;
  /** 2xx responses per second. */
  throughput: number;
  latencyMs: LatencySummary;
}

type ChildMessage = { result: LoadRoundResult } | { error: string };

/**
 * An HTTP load generator in a child process (node:http, keep-alive). A child process rather than a
 * worker thread, so the API process's RSS and CPU are its own; hand-written rather than autocannon,
 * because rotating a header over 5,000 tenants per request is a dozen lines here and needs no new
 * dependency tree.
 */
export class LoadGenerator {
  private constructor(private readonly child: ChildProcess) {}

  static start(): LoadGenerator {
    const child = fork(path.join(__dirname, 'load-generator.child.ts'), [], {
      execArgv: ['--require', 'ts-node/register/transpile-only'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    return new LoadGenerator(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  run(round: LoadRound): Promise<LoadRoundResult> {
    return new Promise((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`load generator exited with ${code}`));
      this.child.once('exit', onExit);
      this.child.once('message', (message: ChildMessage) => {
        this.child.off('exit', onExit);
        if ('error' in message) reject(new Error(`load generator: ${message.error}`));
        else resolve(message.result);
      });
      this.child.send(round);
    });
  }

  stop(): void {
    if (this.child.connected) this.child.disconnect();
  }
}
