import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { serveParent } from '../support/bench-child';
import type { JsonRound, JsonRoundResult, JsonSample } from './json-load';

/**
 * `concurrency` keep-alive connections, each sending its next request when the previous response
 * has been read: until the duration is over, or until every request has been sent once.
 */
async function runRound(round: JsonRound): Promise<JsonRoundResult> {
  const target = new URL(round.baseUrl);
  const agent = new http.Agent({ keepAlive: true, maxSockets: round.concurrency });
  const samples: JsonSample[] = [];
  const errors: Record<string, number> = {};
  const failureBodies: string[] = [];
  const bodies = round.requests.map((request) => JSON.stringify(request.body));
  let next = 0;
  const startedAt = performance.now();
  const endsAt = round.durationMs === undefined ? Number.POSITIVE_INFINITY : startedAt + round.durationMs;

  const send = (index: number) =>
    new Promise<void>((resolve) => {
      const request = round.requests[index];
      const body = bodies[index];
      const sentAt = performance.now();
      const outgoing = http.request(
        {
          agent,
          host: target.hostname,
          port: target.port,
          method: request.method,
          path: request.path,
          headers: {
            ...request.headers,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => {
            if (status >= 300 && failureBodies.length < 3) chunks.push(chunk);
          });
          response.on('end', () => {
            samples.push({ request: index, status, latencyMs: performance.now() - sentAt });
            if (chunks.length > 0) failureBodies.push(Buffer.concat(chunks).toString('utf8').slice(0, 300));
            resolve();
          });
        },
      );
      outgoing.on('error', (error) => {
        errors[error.message] = (errors[error.message] ?? 0) + 1;
        resolve();
      });
      outgoing.end(body);
    });

  const connection = async () => {
    while (performance.now() < endsAt) {
      if (round.durationMs === undefined && next >= round.requests.length) return;
      await send(next++ % round.requests.length);
    }
  };
  await Promise.all(Array.from({ length: round.concurrency }, connection));
  const elapsedMs = performance.now() - startedAt;
  agent.destroy();
  return { samples, elapsedMs, errors, failureBodies };
}

serveParent(runRound);
