import path from 'node:path';
import { BenchChild } from '../support/bench-child';

export interface JsonRequest {
  method: 'POST';
  path: string;
  headers: Record<string, string>;
  /** Sent as the JSON body. */
  body: unknown;
}

export interface JsonRound {
  baseUrl: string;
  requests: JsonRequest[];
  concurrency: number;
  /** Set: requests round-robin until it is over. Unset: every request exactly once, in order. */
  durationMs?: number;
}

export interface JsonSample {
  /** Index into the round's `requests`. */
  request: number;
  status: number;
  latencyMs: number;
}

export interface JsonRoundResult {
  /** In the order the responses arrived. */
  samples: JsonSample[];
  elapsedMs: number;
  /** Network errors by message (no response at all). */
  errors: Record<string, number>;
  /** Up to three bodies of responses outside 2xx, to say why. */
  failureBodies: string[];
}

/**
 * POSTs JSON from a child process, so the client never competes with the API (this process) for
 * its event loop. The GET-only generator in bench/support cannot send a body; signup and login need
 * one, and a distinct body per request (one slug per signup).
 */
export class JsonLoadGenerator {
  private constructor(private readonly child: BenchChild<{ result: JsonRoundResult }>) {}

  static start(): JsonLoadGenerator {
    return new JsonLoadGenerator(
      BenchChild.fork(path.join(__dirname, 'json-load.child.ts'), 'load generator'),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  run(round: JsonRound): Promise<JsonRoundResult> {
    return this.child.ask(round, (message) => message.result);
  }

  close(): void {
    this.child.close();
  }
}

/** Throws unless every response had `status`; returns the latencies in request order. */
export function latenciesInOrder(result: JsonRoundResult, requests: number, status: number): number[] {
  const unexpected = result.samples.filter((sample) => sample.status !== status);
  if (unexpected.length > 0 || Object.keys(result.errors).length > 0 || result.samples.length !== requests) {
    throw new Error(
      `expected ${requests} × ${status}: got statuses ${JSON.stringify(countStatuses(result))}, ` +
        `errors ${JSON.stringify(result.errors)}, bodies ${JSON.stringify(result.failureBodies)}`,
    );
  }
  const latencies = new Array<number>(requests);
  for (const sample of result.samples) latencies[sample.request] = sample.latencyMs;
  return latencies;
}

export function countStatuses(result: JsonRoundResult): Record<string, number> {
  const statuses: Record<string, number> = {};
  for (const { status } of result.samples) statuses[status] = (statuses[status] ?? 0) + 1;
  return statuses;
}
