/** The embedded PostgreSQL could not start: where and why, in one line for the terminal. */
export class EmbeddedPostgresError extends Error {
  constructor(dataDir: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(`Embedded PostgreSQL in ${dataDir} could not start: ${reason}`.replace(/\s*\n\s*/g, ' ').trim(), {
      cause,
    });
    this.name = 'EmbeddedPostgresError';
  }
}
