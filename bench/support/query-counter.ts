import { Client } from 'pg';

/**
 * Counts the queries this process sends to one database while `work` runs: each `Client#query` call
 * is one round trip (a multi-statement simple query included). Anything else querying that database
 * meanwhile (the mail relay's poll, about once a second) is counted too.
 */
export async function countQueries<T>(
  database: string,
  work: () => Promise<T>,
): Promise<{ queries: number; result: T }> {
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  let queries = 0;
  prototype.query = function (this: Client, ...args: unknown[]) {
    if (this.database === database) queries++;
    return original.apply(this, args);
  };
  try {
    const result = await work();
    return { queries, result };
  } finally {
    prototype.query = original;
  }
}
