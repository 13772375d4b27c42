import type { MessageProperties } from 'amqplib';

export const ATTEMPT_HEADER = 'x-mail-attempt';
export const DEAD_REASON_HEADER = 'x-mail-dead-reason';
export const DEAD_AT_HEADER = 'x-mail-dead-at';

export interface MailJobMessage {
  jobId: string;
  attempt: number;
}

/** The body is `{"jobId": …}`; the attempt rides in a header, so a delay queue's copy keeps it. */
export function encodeMailJob(jobId: string): Buffer {
  return Buffer.from(JSON.stringify({ jobId }));
}

/** Reads a message back; a message that is not a mail job gives a job id of '' so it is dead-lettered. */
export function decodeMailJob(content: Buffer, properties: MessageProperties): MailJobMessage {
  const headers = (properties.headers ?? {}) as Record<string, unknown>;
  const attemptHeader = Number(headers[ATTEMPT_HEADER]);
  const attempt = Number.isInteger(attemptHeader) && attemptHeader >= 1 ? attemptHeader : 1;
  let jobId: unknown = properties.messageId;
  try {
    jobId = (JSON.parse(content.toString('utf8')) as { jobId?: unknown }).jobId ?? jobId;
  } catch {
    // Not JSON: the messageId alone, if any, names the job.
  }
  return { jobId: typeof jobId === 'string' ? jobId : '', attempt };
}
