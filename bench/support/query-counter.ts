import { Client } from 'pg';

export interface QueryCount {
  /** Queries per bucket. */
  counts: number[];
  stop(): void;
}

/**
 * Counts the queries this process sends to one database from now until `stop`, each into the bucket
 * `bucket()` names when it is sent (a negative bucket is not counted). Each `Client#query` call is
 * one round trip, a multi-statement simple query or a pinned statement included.
 */
export function countQueries(database: string, buckets: number, bucket: () => number): QueryCount {
  const prototype = Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = prototype.query;
  const counts = new Array<number>(buckets).fill(0);
  prototype.query = function (this: Client, ...args: unknown[]) {
    const index = bucket();
    if (this.database === database && index >= 0) counts[index]++;
    return original.apply(this, args);
  };
  return {
    counts,
    stop: () => {
      prototype.query = original;
    },
  };
}
