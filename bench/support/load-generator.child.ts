import http from 'node:http';
import { performance } from 'node:perf_hooks';
import type { LoadRound, LoadRoundResult } from './load-generator';
import { summarizeLatencies } from './stats';

/**
 * The client side of a load round, in a process of its own so it never competes with the API for
 * its event loop: `concurrency` keep-alive connections, each sending its next request as soon as the
 * previous response has been read, until the duration is over.
 */
async function runRound(round: LoadRound): Promise<LoadRoundResult> {
  const target = new URL(round.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: round.concurrency });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let next = 0;
  const startedAt = performance.now();
  const endsAt = startedAt + round.durationMs;

  const send = (request: LoadRound['requests'][number]) =>
    new Promise<void>((resolve) => {
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
            latencies.push(performance.now() - sentAt);
            const status = String(response.statusCode);
            statuses[status] = (statuses[status] ?? 0) + 1;
            resolve();
          });
        },
      );
      outgoing.on('error', (error) => {
        errors[error.message] = (errors[error.message] ?? 0) + 1;
        resolve();
      });
      outgoing.end();
    });

  const connection = async () => {
    while (performance.now() < endsAt) {
      await send(round.requests[next++ % round.requests.length]);
    }
  };
  await Promise.all(Array.from({ length: round.concurrency }, connection));
  const elapsedMs = performance.now() - startedAt;
  agent.destroy();
  const ok = Object.entries(statuses)
    .filter(([status]) => status.startsWith('2'))
    .reduce((sum, [, count]) => sum + count, 0);
  return {
    requests: latencies.length,
    ok,
    statuses,
    errors,
    elapsedMs,
    throughput: (ok / elapsedMs) * 1000,
    latencyMs: summarizeLatencies(latencies),
  };
}

process.on('message', (round: LoadRound) => {
  runRound(round).then(
    (result) => process.send?.({ result }),
    (error: Error) => process.send?.({ error: error.message }),
  );
});
process.on('disconnect', () => process.exit(0));
