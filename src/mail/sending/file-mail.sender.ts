import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { Logger } from '@nestjs/common';
import type { JobSendOutcome, OutgoingMail, SendOutcome } from '../resend/mail-send.types';
import { assertSendableJobId, fromAddress } from '../resend/resend-request';
import type { MailSender } from './mail-sender';

/**
 * The sender without RESEND_API_KEY: each mail becomes `<job id>.html` and `<job id>.txt` (headers on
 * top) in the outbox directory, and a log line, so a developer can open what would have gone out.
 * The files hold live reset and invitation links: only their owner may read them (0600, directory
 * 0700 when the sender creates it).
 */
export class FileMailSender implements MailSender {
  private readonly logger = new Logger('FileMailSender');
  private readonly directory: string;

  constructor(
    directory: string,
    private readonly fromEmail: string,
  ) {
    this.directory = path.resolve(directory);
  }

  async sendOne(mail: OutgoingMail): Promise<SendOutcome> {
    assertSendableJobId(mail.jobId);
    await mkdir(this.directory, { recursive: true, mode: 0o700 });
    const headers = [
      `From: ${fromAddress(mail.fromName, this.fromEmail)}`,
      `To: ${mail.to}`,
      ...(mail.replyTo === undefined ? [] : [`Reply-To: ${mail.replyTo}`]),
      `Subject: ${mail.subject}`,
      `X-Mail-Job-Id: ${mail.jobId}`,
    ].join('\n');
    const base = path.join(this.directory, mail.jobId);
    await writePrivateFile(`${base}.html`, mail.html);
    await writePrivateFile(`${base}.txt`, `${headers}\n\n${mail.text}`);
    this.logger.log(`Mail "${mail.subject}" to ${mail.to} written to ${base}.html and .txt`);
    return { outcome: 'sent', resendId: `file:${mail.jobId}` };
  }

  async sendBatch(mails: readonly OutgoingMail[]): Promise<JobSendOutcome[]> {
    const outcomes: JobSendOutcome[] = [];
    for (const mail of mails) outcomes.push({ jobId: mail.jobId, ...(await this.sendOne(mail)) });
    return outcomes;
  }
}

/** A file left by an earlier run keeps its mode on open: it is made 0600 before the mail goes in. */
async function writePrivateFile(file: string, content: string): Promise<void> {
  const handle = await open(file, 'w', 0o600);
  try {
    await handle.chmod(0o600);
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
}
