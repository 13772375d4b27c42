import { type ChannelModel, connect } from 'amqplib';
import { decodeMailJob } from '../../src/mail/queue/mail-job-message';
import type { MailTopology } from '../../src/mail/queue/mail-topology';

export interface TappedRetry {
  jobId: string;
  /** The attempt the job is retried as (2 for a first retry). */
  attempt: number;
  delayMs: number;
  /** `Date.now()` when the copy reached the tap. */
  at: number;
}

/**
 * A queue of the bench's own, bound to the retry exchange beside the worker's delay queues, so every
 * job the worker sends back for a later try shows up here too (a direct exchange delivers a copy to each
 * bound queue). Exclusive: it disappears with the tap's connection. The worker is not changed.
 */
export class RetryTap {
  readonly retries: TappedRetry[] = [];

  private constructor(private readonly connection: ChannelModel) {}

  static async start(url: string, topology: MailTopology): Promise<RetryTap> {
    const connection = await connect(url);
    const tap = new RetryTap(connection);
    const channel = await connection.createChannel();
    const { queue } = await channel.assertQueue('', { exclusive: true, autoDelete: true });
    for (const delayMs of topology.retryDelaysMs) {
      await channel.bindQueue(queue, topology.retryExchange, topology.retryRoutingKey(delayMs));
    }
    await channel.consume(
      queue,
      (message) => {
        if (!message) return;
        const { jobId, attempt } = decodeMailJob(message.content, message.properties);
        tap.retries.push({
          jobId,
          attempt,
          delayMs: Number(message.fields.routingKey),
          at: Date.now(),
        });
      },
      { noAck: true },
    );
    return tap;
  }

  retriesOf(jobIds: readonly string[]): TappedRetry[] {
    const wanted = new Set(jobIds);
    return this.retries.filter((retry) => wanted.has(retry.jobId));
  }

  async close(): Promise<void> {
    await this.connection.close();
  }
}
