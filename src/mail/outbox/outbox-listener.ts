import { Logger } from '@nestjs/common';
import { Client, type ClientConfig } from 'pg';

const LONGEST_RECONNECT_DELAY_MS = 10_000;

/**
 * A dedicated connection that LISTENs on one channel and calls `onNotify` for each notification;
 * it reconnects with backoff when the connection drops (the relay's polling covers the gap).
 */
export class OutboxListener {
  private readonly logger = new Logger('OutboxListener');
  private client?: Client;
  private reconnectTimer?: NodeJS.Timeout;
  private failures = 0;
  private stopped = false;

  constructor(
    private readonly clientConfig: ClientConfig,
    private readonly channel: string,
    private readonly onNotify: () => void,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    await this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    const client = new Client({ ...this.clientConfig, application_name: 'saas-mail-relay' });
    client.on('notification', ({ channel }) => {
      if (channel === this.channel) this.onNotify();
    });
    client.on('error', (error) => this.reconnectLater(client, error));
    client.on('end', () => this.reconnectLater(client, new Error('connection ended')));
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      this.client = client;
      this.failures = 0;
      // Jobs committed while no one listened are picked up by the next drain.
      this.onNotify();
    } catch (error) {
      this.reconnectLater(client, error as Error);
    }
  }

  private reconnectLater(client: Client, error: Error): void {
    if (this.stopped || this.reconnectTimer !== undefined || (this.client && this.client !== client)) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
    this.failures += 1;
    const delay = Math.min(250 * 2 ** (this.failures - 1), LONGEST_RECONNECT_DELAY_MS);
    this.logger.warn(`LISTEN ${this.channel} lost (${error.message}); reconnecting in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect();
    }, delay);
  }
}
