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

/**
 * The pin as statements, for where they run. Inside a transaction block (a multi-statement simple
 * query is one, implicitly; so is anything after START TRANSACTION), SET LOCAL: utility commands,
 * cheaper for the server than a SELECT and answering no rows. In an extended-protocol pipeline
 * outside one, where PostgreSQL refuses SET LOCAL, `set_config(…, true)`, which lasts until the
 * pipeline's Sync.
 */
interface SchemaPin {
  inBlock: string[];
  outsideBlock: string[];
}

function schemaPin(schemaName: string, mode: SchemaPinMode): SchemaPin {
  // The name is a checked tenant_<hex> (lower case, no quotes needed); SET takes it as an
  // identifier, set_config as the search_path text.
  const setLocal = `SET LOCAL search_path = ${schemaName}`;
  const setConfig = `set_config('search_path', '${schemaName}', true)`;
  return mode === 'read'
    ? {
        inBlock: [setLocal, 'SET TRANSACTION READ ONLY'],
        outsideBlock: [`SELECT ${setConfig}, set_config('transaction_read_only', 'on', true)`],
      }
    : { inBlock: [setLocal], outsideBlock: [`SELECT ${setConfig}`] };
}

/** What pg answers to a statement that was not sent because it had nothing to do. */
function skippedResult(command: string): QueryResult {
  return { command, rowCount: null, oid: 0, fields: [], rows: [] };
}

/**
 * Sends `text` behind the pin (and START TRANSACTION first when `begins`) in one round trip. Without
 * parameters, as one simple-protocol query (PostgreSQL runs a multi-statement query as one
 * transaction); with parameters, as one extended-protocol pipeline. Answers as pg would for `text`.
 */
function sendPinned(
  send: ClientQuery,
  pin: SchemaPin,
  begins: boolean,
  text: string,
  values: unknown[] | undefined,
): Promise<QueryResult | QueryResult[]> {
  if (!values || values.length === 0) {
    const preamble = begins ? [BEGIN, ...pin.inBlock] : pin.inBlock;
    return send.text(`${preamble.join('; ')}; ${text}`).then((results) => {
      const own = (results as QueryResult[]).slice(preamble.length);
      return own.length === 1 ? own[0] : own;
    });
  }
  const preamble = begins ? [BEGIN, ...pin.inBlock] : pin.outsideBlock;
  return new Promise((resolve, reject) => {
    send.submit(
      new PrefacedQuery(text, values, (error, result) => (error ? reject(error) : resolve(result)), preamble),
    );
  });
}

/**
 * Makes every statement TypeORM (or anyone) sends on `client` carry the schema pin in its own round
 * trip, the pin local to the transaction that statement runs in (SET LOCAL or `set_config(…, true)`,
 * see SchemaPin), so it never outlives it on a pooled or PgBouncer (transaction mode) connection. In `transaction` mode,
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

  /** How the next statement goes out: pinned (beginning the transaction, or not), or plain. */
  const nextStatement = (): 'begin-pinned' | 'pinned' | 'plain' => {
    if (mode === 'read') return 'pinned';
    if (transaction === 'pending') {
      transaction = 'begun';
      return 'begin-pinned';
    }
    return transaction === 'begun' && IN_TRANSACTION.has(client.getTransactionStatus() ?? '')
      ? 'plain'
      : 'pinned';
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
    const how = nextStatement();
    return how === 'plain'
      ? send.text(text, values)
      : sendPinned(send, pin, how === 'begin-pinned', text, values);
  };

  client.query = pinnedQuery as PoolClient['query'];
  return () => {
    if (ownQuery) client.query = original;
    else delete (client as { query?: unknown }).query;
  };
}
