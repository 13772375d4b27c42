import type { PoolClient, QueryResult } from 'pg';
import { PrefacedQuery } from './prefaced-query';

/**
 * `read`: every statement pinned on its own, read-only, in the implicit transaction PostgreSQL gives
 * one statement; nothing is held between statements. `transaction`: one transaction, begun by its
 * first statement and pinned with it.
 */
export type SchemaPinMode = 'read' | 'transaction';

const BEGIN = 'START TRANSACTION';
const ENDS_TRANSACTION = new Set(['COMMIT', 'ROLLBACK']);
/** What pg last heard from the server (ReadyForQuery): inside a transaction block, or a failed one. */
const IN_TRANSACTION = new Set(['T', 'E']);

/** pg's own `Client#query`, in the two forms used here. */
interface ClientQuery {
  text(text: string, values?: unknown[]): Promise<QueryResult | QueryResult[]>;
  submit(query: PrefacedQuery): void;
}

function clientQuery(client: PoolClient, query: PoolClient['query']): ClientQuery {
  const call = query as unknown as (
    this: PoolClient,
    ...args: unknown[]
  ) => Promise<QueryResult | QueryResult[]>;
  return {
    text: (text, values) => call.call(client, text, values),
    submit: (prefaced) => void call.call(client, prefaced),
  };
}

function schemaPin(schemaName: string, mode: SchemaPinMode): string {
  const searchPath = `set_config('search_path', '"${schemaName}"', true)`;
  return mode === 'read'
    ? `SELECT ${searchPath}, set_config('transaction_read_only', 'on', true)`
    : `SELECT ${searchPath}`;
}

/** What pg answers to a statement that was not sent because it had nothing to do. */
function skippedResult(command: string): QueryResult {
  return { command, rowCount: null, oid: 0, fields: [], rows: [] };
}

/**
 * Sends `text` behind `preamble` in one round trip. Without parameters, as one simple-protocol
 * query (PostgreSQL runs a multi-statement query as one transaction); with parameters, as one
 * extended-protocol pipeline. Answers as pg would for `text` alone.
 */
function sendBehind(
  send: ClientQuery,
  preamble: readonly string[],
  text: string,
  values: unknown[] | undefined,
): Promise<QueryResult | QueryResult[]> {
  if (!values || values.length === 0) {
    return send.text(`${preamble.join('; ')}; ${text}`).then((results) => {
      const own = (results as QueryResult[]).slice(preamble.length);
      return own.length === 1 ? own[0] : own;
    });
  }
  return new Promise((resolve, reject) => {
    send.submit(
      new PrefacedQuery(text, values, (error, result) => (error ? reject(error) : resolve(result)), preamble),
    );
  });
}

/**
 * Makes every statement TypeORM (or anyone) sends on `client` carry the schema pin in its own round
 * trip, `set_config(…, true)` keeping the pin inside the transaction that statement runs in, so it
 * never outlives it on a pooled or PgBouncer (transaction mode) connection. In `transaction` mode,
 * TypeORM's `START TRANSACTION` waits for the first statement and rides with it, and statements run
 * plain only while the server reports the transaction that began pinned still open: after a COMMIT
 * in raw SQL, say, statements are pinned one by one again. So every statement runs pinned itself or
 * inside a transaction a pinned statement opened. A transaction that sent no statement sends no
 * COMMIT either. Only SQL text is accepted: a custom submittable (a stream) could not carry the pin.
 * Returns what gives the client back its own `query`.
 */
export function pinClientToSchema(client: PoolClient, schemaName: string, mode: SchemaPinMode): () => void {
  const ownQuery = Object.prototype.hasOwnProperty.call(client, 'query');
  // Kept to be called on the client again (clientQuery) and put back by the returned function.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const original = client.query;
  const send = clientQuery(client, original);
  const pin = schemaPin(schemaName, mode);
  let transaction: 'none' | 'pending' | 'begun' = 'none';

  const preamble = (): string[] | undefined => {
    if (mode === 'read') return [pin];
    if (transaction === 'pending') {
      transaction = 'begun';
      return [BEGIN, pin];
    }
    return transaction === 'begun' && IN_TRANSACTION.has(client.getTransactionStatus() ?? '')
      ? undefined
      : [pin];
  };

  const pinnedQuery = (text: unknown, values?: unknown[]): Promise<QueryResult | QueryResult[]> => {
    if (typeof text !== 'string') {
      throw new Error(
        'Tenant work sends SQL text only: streams and custom submittables cannot carry the schema pin',
      );
    }
    if (mode === 'transaction') {
      if (text === BEGIN && transaction === 'none') {
        transaction = 'pending';
        return Promise.resolve(skippedResult('BEGIN'));
      }
      if (ENDS_TRANSACTION.has(text)) {
        const ended = transaction;
        transaction = 'none';
        if (ended === 'pending') return Promise.resolve(skippedResult(text));
        if (ended === 'begun') return send.text(text, values);
      }
    }
    const before = preamble();
    return before ? sendBehind(send, before, text, values) : send.text(text, values);
  };

  client.query = pinnedQuery as PoolClient['query'];
  return () => {
    if (ownQuery) client.query = original;
    else delete (client as { query?: unknown }).query;
  };
}
