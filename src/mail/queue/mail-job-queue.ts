/** One delivery of a mail job from the queue; every delivery must be settled once, by one of the three. */
export interface MailJobDelivery {
  readonly jobId: string;
  /** 1 on the first try, one more after each `retryLater`. */
  readonly attempt: number;
  /** Done with the job (sent, or nothing left to do): it leaves the queue. */
  complete(): Promise<void>;
  /** Back on the queue, as the next attempt, after `delayMs`: one of the configured retry delays. */
  retryLater(delayMs: number): Promise<void>;
  /** Parks the job in the dead-letter queue with the reason. */
  deadLetter(reason: string): Promise<void>;
}

/**
 * Where the outbox relay puts mail jobs and the worker takes them from: RabbitMQ, or an in-process
 * queue when RABBITMQ_URL is unset. A message carries only the job id; the job lives in the outbox.
 */
export interface MailJobQueue {
  /** Resolves once the queue has taken every job durably (after the broker's publisher confirms). */
  publish(jobIds: readonly string[]): Promise<void>;
  /** Starts handing deliveries to `onDelivery`; at most the prefetch count are unsettled at once. */
  consume(onDelivery: (delivery: MailJobDelivery) => void): Promise<void>;
  /** No new deliveries; those already handed out can still be settled. */
  stopConsuming(): Promise<void>;
  close(): Promise<void>;
  readonly isConnected: boolean;
}

export const MAIL_JOB_QUEUE = Symbol('MAIL_JOB_QUEUE');
