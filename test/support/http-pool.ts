import { Agent, request } from 'node:http';

/**
 * A keep-alive pool of at most `maxSockets` connections. Thousands of concurrent fetches would open
 * as many sockets at once, overflow the server's accept queue on a busy machine and be reset; a pool
 * keeps every request in flight while the server sees a bounded number of connections.
 */
export function connectionPool(maxSockets = 64): Agent {
  return new Agent({ keepAlive: true, maxSockets });
}

/** GET through the pool; resolves with the status and the parsed JSON body. */
export function getJson<T>(
  agent: Agent,
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: T }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { agent, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => {
        try {
          resolve({ status: response.statusCode ?? 0, body: JSON.parse(text) as T });
        } catch {
          reject(new Error(`${url} answered ${response.statusCode ?? 0} with a body that is not JSON`));
        }
      });
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}
