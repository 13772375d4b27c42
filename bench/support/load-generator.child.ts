import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { serveParent } from './bench-child';
import type { InterleavedLoad, LoadArmResult, LoadGeneratorMessage, LoadRequest } from './load-generator';
import { summarizeLatencies } from './stats';

interface Tally {
  latencies: number[];
  statuses: Record<string, number>;
  errors: Record<string, number>;
}

function okCount(statuses: Record<string, number>): number {
  return Object.entries(statuses)
    .filter(([status]) => status.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
}

function send(agent: http.Agent, target: URL, request: LoadRequest, tally: Tally): Promise<void> {
  return new Promise<void>((resolve) => {
    const sentAt = performance.now();
    const outgoing = http.request(
      {
        agent,
        host: target.hostname,
        port: target.port,
        method: 'GET',
        path: request.path,
        headers: request.headers,
      },
      (response) => {
        response.resume();
        response.on('end', () => {
          tally.latencies.push(performance.now() - sentAt);
          const status = String(response.statusCode);
          tally.statuses[status] = (tally.statuses[status] ?? 0) + 1;
          resolve();
        });
      },
    );
    outgoing.on('error', (error) => {
      tally.errors[error.message] = (tally.errors[error.message] ?? 0) + 1;
      resolve();
    });
    outgoing.end();
  });
}

interface ArmState {
  target: URL;
  requests: LoadRequest[];
  agent: http.Agent;
  tally: Tally;
  next: number;
  elapsedMs: number;
  sliceThroughputs: number[];
}

/**
 * One slice: `concurrency` closed-loop clients, each sending its next request as soon as the
 * previous response has been read, until `sliceMs` is over and the last response is in.
 */
async function runSlice(arm: ArmState, concurrency: number, sliceMs: number): Promise<void> {
  const okBefore = okCount(arm.tally.statuses);
  const startedAt = performance.now();
  const endsAt = startedAt + sliceMs;
  const client = async () => {
    while (performance.now() < endsAt) {
      await send(arm.agent, arm.target, arm.requests[arm.next++ % arm.requests.length], arm.tally);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsedMs = performance.now() - startedAt;
  arm.elapsedMs += elapsedMs;
  arm.sliceThroughputs.push(((okCount(arm.tally.statuses) - okBefore) / elapsedMs) * 1000);
}

const tell = (message: LoadGeneratorMessage) => process.send?.(message);

/** Slices of each arm in turn; an arm keeps its connections and its place in its requests throughout. */
async function runInterleaved(load: InterleavedLoad): Promise<LoadArmResult[]> {
  const arms: ArmState[] = load.arms.map((arm) => ({
    target: new URL(arm.baseUrl),
    requests: arm.requests,
    agent: new http.Agent({ keepAlive: true, maxSockets: load.concurrency }),
    tally: { latencies: [], statuses: {}, errors: {} },
    next: arm.firstRequest ?? 0,
    elapsedMs: 0,
    sliceThroughputs: [],
  }));
  try {
    for (let slice = 0; slice < load.slices; slice++) {
      const order = arms.map((_, index) => index);
      if (slice % 2 === 1) order.reverse();
      for (const index of order) {
        tell({ sliceStart: index });
        await runSlice(arms[index], load.concurrency, load.sliceMs);
      }
    }
    tell({ sliceStart: -1 });
    return arms.map((arm) => {
      const ok = okCount(arm.tally.statuses);
      return {
        requests: arm.tally.latencies.length,
        ok,
        statuses: arm.tally.statuses,
        errors: arm.tally.errors,
        elapsedMs: arm.elapsedMs,
        throughput: (ok / arm.elapsedMs) * 1000,
        latencyMs: summarizeLatencies(arm.tally.latencies),
        sliceThroughputs: arm.sliceThroughputs,
        nextRequest: arm.next,
      };
    });
  } finally {
    for (const arm of arms) arm.agent.destroy();
  }
}

serveParent(runInterleaved);
