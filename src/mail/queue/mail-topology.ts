import type { Channel } from 'amqplib';

/** Messages a quorum queue may redeliver (consumer crashes, lost connections) before it dead-letters them. */
export const WORK_QUEUE_DELIVERY_LIMIT = 20;
export const WORK_ROUTING_KEY = 'work';
export const DEAD_ROUTING_KEY = 'dead';

/** Names of the exchanges and queues of the mail pipeline, all under one prefix. */
export class MailTopology {
  readonly workExchange: string;
  readonly workQueue: string;
  readonly retryExchange: string;
  readonly deadExchange: string;
  readonly deadQueue: string;

  constructor(
    readonly prefix: string,
    readonly retryDelaysMs: readonly number[],
  ) {
    this.workExchange = `${prefix}.work`;
    this.workQueue = `${prefix}.work`;
    this.retryExchange = `${prefix}.retry`;
    this.deadExchange = `${prefix}.dead`;
    this.deadQueue = `${prefix}.dead`;
  }

  retryQueue(delayMs: number): string {
    return `${this.prefix}.retry.${delayMs}ms`;
  }

  retryRoutingKey(delayMs: number): string {
    if (!this.retryDelaysMs.includes(delayMs)) {
      throw new RangeError(`${delayMs} ms is not a retry delay (${this.retryDelaysMs.join(', ')})`);
    }
    return String(delayMs);
  }

  /** Every queue and exchange this topology uses, for tests and tooling that remove it. */
  get queues(): string[] {
    return [this.workQueue, this.deadQueue, ...this.retryDelaysMs.map((delay) => this.retryQueue(delay))];
  }

  get exchanges(): string[] {
    return [this.workExchange, this.retryExchange, this.deadExchange];
  }

  /**
   * Idempotent declarations. The work queue is a quorum queue whose poison messages go to the
   * dead-letter queue after the delivery limit. One delay queue per backoff tier: a queue-wide TTL
   * expires messages in order, where per-message TTLs in one queue would stall behind the longest.
   * The dead-letter queue dead-letters into itself, so even a nack without requeue cannot drop a job.
   */
  async assert(channel: Channel): Promise<void> {
    await channel.assertExchange(this.workExchange, 'direct', { durable: true });
    await channel.assertExchange(this.retryExchange, 'direct', { durable: true });
    await channel.assertExchange(this.deadExchange, 'direct', { durable: true });
    await channel.assertQueue(this.workQueue, {
      durable: true,
      arguments: {
        'x-queue-type': 'quorum',
        'x-delivery-limit': WORK_QUEUE_DELIVERY_LIMIT,
        'x-dead-letter-exchange': this.deadExchange,
        'x-dead-letter-routing-key': DEAD_ROUTING_KEY,
      },
    });
    await channel.bindQueue(this.workQueue, this.workExchange, WORK_ROUTING_KEY);
    await channel.assertQueue(this.deadQueue, {
      durable: true,
      arguments: {
        'x-dead-letter-exchange': this.deadExchange,
        'x-dead-letter-routing-key': DEAD_ROUTING_KEY,
      },
    });
    await channel.bindQueue(this.deadQueue, this.deadExchange, DEAD_ROUTING_KEY);
    for (const delayMs of this.retryDelaysMs) {
      const queue = this.retryQueue(delayMs);
      await channel.assertQueue(queue, {
        durable: true,
        arguments: {
          'x-message-ttl': delayMs,
          'x-dead-letter-exchange': this.workExchange,
          'x-dead-letter-routing-key': WORK_ROUTING_KEY,
        },
      });
      await channel.bindQueue(queue, this.retryExchange, this.retryRoutingKey(delayMs));
    }
  }
}
