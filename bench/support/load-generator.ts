import path from 'node:path';
import { BenchChild } from './bench-child';
import type { LatencySummary } from './stats';

export interface LoadRequest {
  path: string;
  headers: Record<string, string>;
}

/** One kind of load: its requests, handed out in turn over all connections. */
export interface LoadArm {
  baseUrl: string;
  requests: LoadRequest[];
  /** Where in `requests` the first slice starts (0 if unset), to continue an earlier run. */
  firstRequest?: number;
}

export interface InterleavedLoad {
  arms: LoadArm[];
  concurrency: number;
  /** Length of one slice of one arm. */
  sliceMs: number;
  /** Slices per arm. */
  slices: number;
}

export interface LoadArmResult {
  requests: number;
  /** 2xx responses; throughput counts only these. */
  ok: number;
  statuses: Record<string, number>;
  errors: Record<string, number>;
  /** The arm's slices added up, each until its last response. */
  elapsedMs: number;
  /** 2xx responses per second over the arm's slices. */
  throughput: number;
  latencyMs: LatencySummary;
  /** 2xx responses per second in each of the arm's slices, in order. */
  sliceThroughputs: number[];
  /** Where in `requests` the arm stopped: the `firstRequest` of a run that continues it. */
  nextRequest: number;
}

/** Child to parent: a slice of the arm at `sliceStart` begins (-1: the last slice is over), then the result. */
export type LoadGeneratorMessage = { sliceStart: number } | { result: LoadArmResult[] };

/**
 * An HTTP load generator in a child process (node:http, keep-alive). A child process rather than a
 * worker thread, so the API process's RSS and CPU are its own; hand-written rather than autocannon,
 * because rotating a header over 5,000 tenants per request and interleaving arms slice by slice are a
 * few dozen lines here and need no new dependency tree.
 */
export class LoadGenerator {
  private constructor(private readonly child: BenchChild<LoadGeneratorMessage>) {}

  static start(): LoadGenerator {
    return new LoadGenerator(
      BenchChild.fork(path.join(__dirname, 'load-generator.child.ts'), 'load generator'),
    );
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /**
   * Slices of load on each arm in turn, back to back (A B, B A, A B… for two arms), so a change of the
   * machine's speed reaches every arm alike. `onSliceStart` hears each slice begin, for measurements
   * the parent takes per arm.
   */
  interleave(
    load: InterleavedLoad,
    onSliceStart: (arm: number) => void = () => undefined,
  ): Promise<LoadArmResult[]> {
    return this.child.ask(load, (message) => {
      if ('result' in message) return message.result;
      onSliceStart(message.sliceStart);
      return undefined;
    });
  }

  close(): void {
    this.child.close();
  }
}
