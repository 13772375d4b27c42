import type { LoadRequest } from '../support/load-generator';
import type { ChildServer } from '../support/child-server';

/** Headers whose values differ by nature from one response to the next. */
const PER_RESPONSE = new Set([
  'date',
  'x-request-id',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'keep-alive',
  'connection',
]);

interface Answer {
  status: number;
  body: string;
  headers: Map<string, string>;
}

async function answerOf(server: ChildServer, { path, headers }: LoadRequest): Promise<Answer> {
  const response = await fetch(`${server.url}${path}`, { headers });
  return {
    status: response.status,
    body: await response.text(),
    headers: new Map([...response.headers].map(([name, value]) => [name.toLowerCase(), value])),
  };
}

/**
 * Throws unless both servers answer `request` with the same status and byte-identical body, and
 * each sets a request id; returns how their headers differ (beyond the per-response ones).
 */
export async function checkSameAnswers(
  express: ChildServer,
  fastify: ChildServer,
  request: LoadRequest,
): Promise<string[]> {
  const [fromExpress, fromFastify] = [await answerOf(express, request), await answerOf(fastify, request)];
  if (fromExpress.status !== 200 || fromFastify.status !== fromExpress.status) {
    throw new Error(
      `statuses differ: express ${fromExpress.status} ${fromExpress.body}, fastify ${fromFastify.status} ${fromFastify.body}`,
    );
  }
  if (fromFastify.body !== fromExpress.body) {
    throw new Error(`bodies differ:\nexpress ${fromExpress.body}\nfastify ${fromFastify.body}`);
  }
  for (const [name, answer] of [
    ['express', fromExpress],
    ['fastify', fromFastify],
  ] as const) {
    if (!answer.headers.get('x-request-id')) throw new Error(`${name} sets no X-Request-Id`);
  }
  const names = new Set([...fromExpress.headers.keys(), ...fromFastify.headers.keys()]);
  return [...names]
    .filter((name) => !PER_RESPONSE.has(name))
    .filter((name) => fromExpress.headers.get(name) !== fromFastify.headers.get(name))
    .sort()
    .map(
      (name) =>
        `${name}: express ${fromExpress.headers.get(name) ?? '(none)'}, fastify ${fromFastify.headers.get(name) ?? '(none)'}`,
    );
}
