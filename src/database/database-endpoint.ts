import type { DatabaseConfig } from '../config';
import { DatabaseEndpoint, startEmbeddedPostgres } from './embedded-postgres.launcher';

export interface RunningDatabase {
  endpoint: DatabaseEndpoint;
  embedded: boolean;
  /** Stops the embedded PostgreSQL; does nothing for an external one. */
  stop(): Promise<void>;
}

/** The configured PostgreSQL, or an embedded one when `DB_HOST` is unset. */
export async function resolveDatabase(config: DatabaseConfig): Promise<RunningDatabase> {
  if (config.host === undefined) {
    const embedded = await startEmbeddedPostgres(config);
    return { endpoint: embedded.endpoint, embedded: true, stop: () => embedded.stop() };
  }
  return {
    endpoint: {
      host: config.host,
      port: config.port,
      user: config.user,
      password: config.password,
      database: config.name,
    },
    embedded: false,
    stop: () => Promise.resolve(),
  };
}
