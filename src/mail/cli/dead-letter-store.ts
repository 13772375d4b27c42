import { type Channel, connect, type GetMessage } from 'amqplib';
import type { DataSource } from 'typeorm';
import { OUTBOX_CHANNEL } from '../outbox/mail-outbox';
import { DEAD_AT_HEADER, DEAD_REASON_HEADER, decodeMailJob } from '../queue/mail-job-message';
import type { MailTopology } from '../queue/mail-topology';

export interface DeadLetter {
  jobId: string;
  attempts: number;
  reason: string;
  deadAt?: string;
}

/** The parked jobs: RabbitMQ's dead-letter queue, or the outbox's dead rows for the in-process queue. */
export interface DeadLetterStore {
  list(): Promise<DeadLetter[]>;
  /** Sends the chosen jobs through the outbox again, with a fresh count of attempts; returns their ids. */
  requeue(jobIds: readonly string[] | 'all'): Promise<string[]>;
}

/**
 * Requeueing goes through the outbox: the rows are marked unpublished and the relays are woken, so a
 * job comes back exactly like a new one. The worker still resends it only in the request it was in.
 */
async function republish(dataSource: DataSource, jobIds: readonly string[]): Promise<string[]> {
  if (jobIds.length === 0) return [];
  const rows: Array<{ id: string }> = await dataSource.query(
    `WITH requeued AS (
       UPDATE public.outbox SET published_at = NULL, dead_at = NULL
       WHERE id = ANY($1::uuid[]) AND sent_at IS NULL RETURNING id
     )
     SELECT id, pg_notify('${OUTBOX_CHANNEL}', '') FROM requeued`,
    [jobIds],
  );
  return rows.map((row) => row.id);
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ParkedMessage {
  letter: DeadLetter;
  message: GetMessage;
}

export class RabbitMqDeadLetterStore implements DeadLetterStore {
  constructor(
    private readonly url: string,
    private readonly topology: MailTopology,
    private readonly dataSource: DataSource,
  ) {}

  list(): Promise<DeadLetter[]> {
    return this.withParkedMessages((parked) => Promise.resolve(parked.map(({ letter }) => letter)));
  }

  requeue(jobIds: readonly string[] | 'all'): Promise<string[]> {
    return this.withParkedMessages(async (parked, channel) => {
      const chosen = parked.filter(
        ({ letter }) => UUID.test(letter.jobId) && (jobIds === 'all' || jobIds.includes(letter.jobId)),
      );
      const requeued = new Set(
        await republish(
          this.dataSource,
          chosen.map(({ letter }) => letter.jobId),
        ),
      );
      // Removed from the dead-letter queue only once the outbox has the job again.
      for (const { letter, message } of chosen) if (requeued.has(letter.jobId)) channel.ack(message);
      return [...requeued];
    });
  }

  /** Takes every parked message for `work`; whatever it does not ack goes back when the channel closes. */
  private async withParkedMessages<T>(
    work: (parked: ParkedMessage[], channel: Channel) => Promise<T>,
  ): Promise<T> {
    const connection = await connect(this.url);
    try {
      const channel = await connection.createChannel();
      // Failures also reject the pending call; without a listener they would crash the process.
      channel.on('error', () => undefined);
      // Declared (idempotently) so that a broker no worker has used yet answers "none parked".
      await this.topology.assert(channel);
      const { messageCount } = await channel.checkQueue(this.topology.deadQueue);
      const parked: ParkedMessage[] = [];
      for (let i = 0; i < messageCount; i += 1) {
        const message = await channel.get(this.topology.deadQueue, { noAck: false });
        if (message === false) break;
        parked.push({ message, letter: deadLetterOf(message) });
      }
      const result = await work(parked, channel);
      await channel.close();
      return result;
    } finally {
      await connection.close();
    }
  }
}

function deadLetterOf(message: GetMessage): DeadLetter {
  const { jobId, attempt } = decodeMailJob(message.content, message.properties);
  const headers = (message.properties.headers ?? {}) as Record<string, unknown>;
  const reason = headers[DEAD_REASON_HEADER];
  const deadAt = headers[DEAD_AT_HEADER];
  return {
    jobId,
    attempts: attempt,
    reason: typeof reason === 'string' ? reason : 'dead-lettered by RabbitMQ after its delivery limit',
    ...(typeof deadAt === 'string' ? { deadAt } : {}),
  };
}

export class OutboxDeadLetterStore implements DeadLetterStore {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<DeadLetter[]> {
    const rows: Array<{ id: string; last_error: string | null; dead_at: Date }> = await this.dataSource.query(
      `SELECT id, last_error, dead_at FROM public.outbox
       WHERE dead_at IS NOT NULL AND sent_at IS NULL ORDER BY dead_at`,
    );
    return rows.map((row) => ({
      jobId: row.id,
      attempts: 0,
      reason: row.last_error ?? 'unknown',
      deadAt: row.dead_at.toISOString(),
    }));
  }

  async requeue(jobIds: readonly string[] | 'all'): Promise<string[]> {
    const dead = (await this.list()).map((letter) => letter.jobId);
    return republish(this.dataSource, jobIds === 'all' ? dead : dead.filter((id) => jobIds.includes(id)));
  }
}
