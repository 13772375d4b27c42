import { Logger } from '@nestjs/common';
import { Client, type ClientConfig } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresConnectionOptions } from 'typeorm/driver/postgres/PostgresConnectionOptions';

const LONGEST_RECONNECT_DELAY_MS = 10_000;
/** A query this often on the listening connection finds a connection that died without a word. */
const HEARTBEAT_INTERVAL_MS = 15_000;

export interface NotificationListenerOptions {
  /** Channel names: SQL identifiers of the product's own, never user input. */
  channels: readonly string[];
  /** `application_name` of the listening connection, to tell it apart in pg_stat_activity. */
  applicationName: string;
  onNotification: (channel: string, payload: string) => void;
  /** After every (re)connection: whatever was notified while nobody listened is lost. */
  onListening?: () => void;
  /** When the connection is lost; it is reconnected with backoff. */
  onLost?: () => void;
}

/** The connection settings of a DataSource, for a connection of its own outside the pool. */
export function clientConfigOf(dataSource: DataSource): ClientConfig {
  const options = dataSource.options as PostgresConnectionOptions;
  return {
    host: options.host,
    port: options.port,
    user: options.username,
    password: typeof options.password === 'string' ? options.password : undefined,
    database: options.database,
    ssl: options.ssl === undefined || options.ssl === false ? false : { rejectUnauthorized: true },
  };
}

/**
 * A dedicated connection (outside the pool: LISTEN needs a session of its own, so it bypasses a
 * transaction-mode PgBouncer) that LISTENs on its channels; it reconnects with backoff when the
 * connection drops or stops answering its heartbeat.
 */
export class PostgresNotificationListener {
  private readonly logger: Logger;
  private client?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private heartbeatTimer?: NodeJS.Timeout;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly clientConfig: ClientConfig,
    private readonly options: NotificationListenerOptions,
  ) {
    this.logger = new Logger(`LISTEN ${options.channels.join(', ')}`);
  }

  /** Whether notifications reach this listener now. */
  get listening(): boolean {
    return this.client !== undefined;
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ ...this.clientConfig, application_name: this.options.applicationName });
    client.on('notification', ({ channel, payload }) => {
      if (this.options.channels.includes(channel)) this.options.onNotification(channel, payload ?? '');
    });
    client.on('error', (error) => this.reconnectLater(client, error));
    client.on('end', () => this.reconnectLater(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(this.options.channels.map((channel) => `LISTEN ${channel};`).join(' '));
      if (this.stopped) {
        await client.end();
        return;
      }
      this.client = client;
      this.failures = 0;
      this.heartbeatTimer = setInterval(() => {
        client.query('SELECT 1').catch((error: Error) => this.reconnectLater(client, error));
      }, HEARTBEAT_INTERVAL_MS);
      this.heartbeatTimer.unref();
      this.options.onListening?.();
    } catch (error) {
      this.reconnectLater(client, error as Error);
    }
  }

  private reconnectLater(client: Client, error: Error): void {
    if (this.stopped || this.reconnectTimer !== undefined || (this.client && this.client !== client)) return;
    const wasListening = this.client === client;
    this.client = undefined;
    clearInterval(this.heartbeatTimer);
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    if (wasListening) this.options.onLost?.();
    this.failures += 1;
    const delay = Math.min(250 * 2 ** (this.failures - 1), LONGEST_RECONNECT_DELAY_MS);
    this.logger.warn(`connection lost (${error.message}); reconnecting in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }
}
