import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { OutgoingMail } from '../resend/mail-send.types';
import { FileMailSender } from './file-mail.sender';

const modeOf = async (file: string) => (await stat(file)).mode & 0o777;

describe('FileMailSender', () => {
  let root: string;
  const mail = (jobId = randomUUID()): OutgoingMail => ({
    jobId,
    to: 'ada@example.com',
    fromName: 'Acme',
    subject: 'Reset your password',
    html: '<p>secret link</p>',
    text: 'secret link',
  });

  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'file-mail-sender-'));
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('creates its directory 0700 and writes each mail 0600, readable by the owner only', async () => {
    const directory = path.join(root, 'outbox', 'nested');
    const sent = mail();

    await new FileMailSender(directory, 'no-reply@example.com').sendOne(sent);

    expect(await modeOf(path.join(root, 'outbox'))).toBe(0o700);
    expect(await modeOf(directory)).toBe(0o700);
    expect(await modeOf(path.join(directory, `${sent.jobId}.html`))).toBe(0o600);
    expect(await modeOf(path.join(directory, `${sent.jobId}.txt`))).toBe(0o600);
  });

  it('makes a file left readable by others 0600 before writing the mail into it', async () => {
    const sent = mail();
    const file = path.join(root, `${sent.jobId}.txt`);
    await writeFile(file, 'old', { mode: 0o644 });

    await new FileMailSender(root, 'no-reply@example.com').sendOne(sent);

    expect(await modeOf(file)).toBe(0o600);
    expect(await readFile(file, 'utf8')).toMatch(/secret link$/);
  });

  it('leaves the mode of a directory it did not create alone', async () => {
    await chmod(root, 0o755);

    await new FileMailSender(root, 'no-reply@example.com').sendOne(mail());

    expect(await modeOf(root)).toBe(0o755);
  });
});
