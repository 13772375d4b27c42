import { type Connection, Query, type QueryResult } from 'pg';

type QueryCallback = (error: Error | undefined, result: QueryResult) => void;

/** What pg's Query does on the wire: its part of pg's documented Submittable contract. */
interface QueryProtocol {
  prepare(connection: Connection): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: Connection): void;
}

const ProtocolQuery = Query as unknown as new (
  config: { text: string; values?: unknown[]; queryMode: 'extended' },
  callback: QueryCallback,
) => Query & QueryProtocol;

/**
 * A parameterised statement sent behind preamble statements in one extended-protocol pipeline:
 * Parse/Bind/Execute for each preamble statement, then the statement's own messages and a single
 * Sync, so one round trip carries them all. PostgreSQL runs everything before a Sync in one
 * transaction, and when a preamble statement fails it skips the rest up to the Sync: the statement
 * never runs without its preamble. The preamble's own rows and command tags are dropped.
 */
export class PrefacedQuery extends ProtocolQuery {
  private preambleResultsLeft: number;

  constructor(
    text: string,
    values: unknown[] | undefined,
    callback: QueryCallback,
    private readonly preamble: readonly string[],
  ) {
    super({ text, values, queryMode: 'extended' }, callback);
    this.preambleResultsLeft = preamble.length;
  }

  override prepare(connection: Connection): void {
    for (const text of this.preamble) {
      connection.parse({ text, name: '', types: [] }, false);
      connection.bind({ values: [] }, false);
      connection.execute({}, false);
    }
    super.prepare(connection);
  }

  override handleDataRow(message: unknown): void {
    if (this.preambleResultsLeft === 0) super.handleDataRow(message);
  }

  override handleCommandComplete(message: unknown, connection: Connection): void {
    if (this.preambleResultsLeft > 0) this.preambleResultsLeft--;
    else super.handleCommandComplete(message, connection);
  }
}
