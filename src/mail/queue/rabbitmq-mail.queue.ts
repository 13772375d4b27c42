import { Logger } from '@nestjs/common';
import type { Channel, ConfirmChannel, ConsumeMessage } from 'amqplib';
import amqp, { type AmqpConnectionManager, type ChannelWrapper } from 'amqp-connection-manager';
import type { MailJobDelivery, MailJobQueue } from './mail-job-queue';
import {
  ATTEMPT_HEADER,
  DEAD_AT_HEADER,
  DEAD_REASON_HEADER,
  decodeMailJob,
  encodeMailJob,
} from './mail-job-message';
import { DEAD_ROUTING_KEY, type MailTopology, WORK_ROUTING_KEY } from './mail-topology';

export interface RabbitMqMailQueueOptions {
  url: string;
  topology: MailTopology;
  /** Shown by `rabbitmqctl list_connections client_properties` and the management UI. */
  connectionName: string;
  prefetch: number;
  /** A publish not confirmed within this time (broker down) fails, so the outbox keeps the job. */
  publishTimeoutMs?: number;
}

const FIRST_RECONNECT_DELAY_MS = 250;
const LONGEST_RECONNECT_DELAY_MS = 15_000;

/**
 * Mail jobs on RabbitMQ through amqp-connection-manager, which reconnects and re-creates the channels
 * and the consumer. Publishes go over a confirm channel and resolve only once the broker confirmed them;
 * what the manager buffers while disconnected is not durable, which is why the outbox keeps a job
 * until then.
 */
export class RabbitMqMailQueue implements MailJobQueue {
  private readonly logger = new Logger('MailQueue');
  private readonly connection: AmqpConnectionManager;
  private readonly publisher: ChannelWrapper;
  private consumer?: ChannelWrapper;
  /* A delivery tag is valid only on the channel that delivered it; after a reconnect it is stale. */
  private consumerChannel?: Channel;
  private failedConnects = 0;

  constructor(private readonly options: RabbitMqMailQueueOptions) {
    this.connection = amqp.connect([options.url], {
      heartbeatIntervalInSeconds: 5,
      reconnectTimeInSeconds: 0.1,
      // Without TCP_NODELAY a publish right after an ack waits for the broker's delayed ACK (~40 ms).
      connectionOptions: { noDelay: true, clientProperties: { connection_name: options.connectionName } },
      findServers: () => this.afterBackoff([options.url]),
    });
    this.connection.on('connect', () => {
      this.failedConnects = 0;
      this.logger.log(`Connected to RabbitMQ as ${options.connectionName}`);
    });
    this.connection.on('connectFailed', ({ err }) => {
      this.failedConnects += 1;
      this.logger.warn(`RabbitMQ connection failed: ${err.message}`);
    });
    this.connection.on('disconnect', ({ err }) => this.logger.warn(`RabbitMQ disconnected: ${err.message}`));
    this.publisher = this.connection.createChannel({
      name: 'mail-publisher',
      confirm: true,
      publishTimeout: options.publishTimeoutMs ?? 10_000,
      setup: (channel: ConfirmChannel) => options.topology.assert(channel),
    });
    this.publisher.on('error', (error: Error) =>
      this.logger.warn(`Mail publisher channel: ${error.message}`),
    );
  }

  get isConnected(): boolean {
    return this.connection.isConnected();
  }

  async publish(jobIds: readonly string[]): Promise<void> {
    const { workExchange } = this.options.topology;
    await Promise.all(
      jobIds.map((jobId) =>
        this.publisher.publish(workExchange, WORK_ROUTING_KEY, encodeMailJob(jobId), {
          persistent: true,
          messageId: jobId,
          contentType: 'application/json',
          headers: { [ATTEMPT_HEADER]: 1 },
        }),
      ),
    );
  }

  async consume(onDelivery: (delivery: MailJobDelivery) => void): Promise<void> {
    const { topology, prefetch } = this.options;
    this.consumer = this.connection.createChannel({
      name: 'mail-consumer',
      setup: async (channel: Channel) => {
        this.consumerChannel = channel;
        await topology.assert(channel);
      },
    });
    this.consumer.on('error', (error: Error) => this.logger.warn(`Mail consumer channel: ${error.message}`));
    await this.consumer.consume(
      topology.workQueue,
      (message) => onDelivery(this.deliveryOf(message, this.consumerChannel)),
      { prefetch, noAck: false },
    );
  }

  async stopConsuming(): Promise<void> {
    await this.consumer?.cancelAll();
  }

  async close(): Promise<void> {
    await this.consumer?.close();
    await this.publisher.close();
    await this.connection.close();
  }

  private deliveryOf(message: ConsumeMessage, channel: Channel | undefined): MailJobDelivery {
    const { jobId, attempt } = decodeMailJob(message.content, message.properties);
    const { topology } = this.options;
    const ack = () => {
      // A stale tag would close the new channel; the broker redelivers the message instead.
      if (channel !== undefined && channel === this.consumerChannel) this.consumer?.ack(message);
    };
    return {
      jobId,
      attempt,
      complete: () => Promise.resolve(ack()),
      retryLater: async (delayMs) => {
        await this.publisher.publish(
          topology.retryExchange,
          topology.retryRoutingKey(delayMs),
          message.content,
          {
            persistent: true,
            messageId: jobId,
            contentType: 'application/json',
            headers: { [ATTEMPT_HEADER]: attempt + 1 },
          },
        );
        ack();
      },
      deadLetter: async (reason) => {
        await this.publisher.publish(topology.deadExchange, DEAD_ROUTING_KEY, message.content, {
          persistent: true,
          messageId: jobId,
          contentType: 'application/json',
          headers: {
            [ATTEMPT_HEADER]: attempt,
            [DEAD_REASON_HEADER]: reason.slice(0, 1000),
            [DEAD_AT_HEADER]: new Date().toISOString(),
          },
        });
        ack();
      },
    };
  }

  /** Reconnects back off exponentially while the broker stays away; the first retry is almost at once. */
  private async afterBackoff(urls: string[]): Promise<string[]> {
    if (this.failedConnects > 0) {
      const delay = Math.min(
        FIRST_RECONNECT_DELAY_MS * 2 ** (this.failedConnects - 1),
        LONGEST_RECONNECT_DELAY_MS,
      );
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
    return urls;
  }
}
