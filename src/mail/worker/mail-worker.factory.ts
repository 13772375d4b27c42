import { hostname } from 'node:os';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../config';
import type { TenantBrandingRepository } from '../branding/tenant-branding.repository';
import type { MailRenderer } from '../mail-renderer';
import { OutboxRelay } from '../outbox/outbox-relay';
import { InProcessMailQueue } from '../queue/in-process-mail.queue';
import type { MailJobQueue } from '../queue/mail-job-queue';
import { MailTopology } from '../queue/mail-topology';
import { RabbitMqMailQueue } from '../queue/rabbitmq-mail.queue';
import { MailRetentionJob } from '../retention/mail-retention.job';
import { RequestThrottle } from '../resend/request-throttle';
import { ResendMailSender } from '../resend/resend-mail.sender';
import { FileMailSender } from '../sending/file-mail.sender';
import { MailDispatcher } from './mail-dispatcher';
import { MailJobProcessor } from './mail-job-processor';
import { MailJobStore } from './mail-job-store';
import { MailWorker } from './mail-worker';

/** RabbitMQ when RABBITMQ_URL is set, else the in-process queue. */
export function createMailJobQueue(config: AppConfig, role: string): MailJobQueue {
  if (!config.rabbitmq) return new InProcessMailQueue();
  return new RabbitMqMailQueue({
    url: config.rabbitmq.url,
    topology: new MailTopology(config.mail.queuePrefix, config.mail.retryDelaysMs),
    connectionName: `${config.mail.queuePrefix}-${role}-${hostname()}-${process.pid}`,
    prefetch: config.mail.prefetch,
  });
}

export interface MailWorkerParts {
  config: AppConfig;
  dataSource: DataSource;
  queue: MailJobQueue;
  renderer: MailRenderer;
  brandings: TenantBrandingRepository;
}

/**
 * Relay, consumer, sender and retention sweep of one process: Resend with RESEND_API_KEY, else files in
 * MAIL_OUTBOX_DIR (the config allows that only where MAIL_FILE_SINK permits it).
 */
export function createMailWorker({
  config,
  dataSource,
  queue,
  renderer,
  brandings,
}: MailWorkerParts): MailWorker {
  const { resend, mail } = config;
  // One throttle per process: the batching loop and the sender must see the same slots.
  const throttle = new RequestThrottle({ requestsPerSecond: resend.requestsPerSecond, allowBursts: true });
  const sender = resend.apiKey
    ? new ResendMailSender({
        apiKey: resend.apiKey,
        fromEmail: resend.fromEmail,
        baseUrl: resend.baseUrl,
        throttle,
      })
    : new FileMailSender(mail.outboxDir, resend.fromEmail);
  const processor = new MailJobProcessor(new MailJobStore(dataSource), brandings, renderer, sender, {
    maxAttempts: mail.maxAttempts,
    retryDelaysMs: mail.retryDelaysMs,
  });
  const relay = new OutboxRelay(dataSource, queue, {
    pollIntervalMs: mail.relayPollIntervalMs,
    republishUnsentOnStart: queue instanceof InProcessMailQueue,
  });
  const retention = new MailRetentionJob(dataSource, {
    deliveredRetentionDays: mail.retention.deliveredDays,
    deadLetterRetentionDays: mail.retention.deadLetterDays,
    intervalMs: mail.retention.intervalMs,
  });
  return new MailWorker(
    relay,
    queue,
    new MailDispatcher(processor, resend.apiKey ? throttle : undefined),
    retention,
  );
}
