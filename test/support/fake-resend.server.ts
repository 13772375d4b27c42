import { createHash, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the fake answers: a status, a body (sent as JSON, or verbatim when a string), extra headers. */
export interface FakeResendReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface DeliveredMail {
  resendId: string;
  /** The mail header `X-Mail-Job-Id`. */
  jobId?: string;
  idempotencyKey?: string;
  endpoint: '/emails' | '/emails/batch';
  from: string;
  to: string[];
  replyTo?: unknown;
  subject: string;
  html?: string;
  text?: string;
  headers: Record<string, string>;
}

export interface RecordedRequest {
  /** `Date.now()` when the request arrived. */
  at: number;
  path: string;
  idempotencyKey?: string;
  batchValidation?: string;
  status: number;
  /** Answered from an earlier request with the same Idempotency-Key, nothing delivered. */
  replayed: boolean;
}

export interface FakeResendOptions {
  apiKey?: string;
  /** Like Resend's per-team limit: beyond it, 429 `rate_limit_exceeded` with Retry-After. Unset: no limit. */
  requestsPerSecond?: number;
}

type EmailFields = Record<string, unknown>;

interface IncomingCall {
  at: number;
  method: string;
  path: string;
  authorization: string;
  idempotencyKey?: string;
  batchValidation?: string;
  rawBody: string;
}

const ADDRESS = /^[^\s@<>"]+@[^\s@<>"]+\.[^\s@<>"]+$/;
const NAMED_ADDRESS = /^(?:"(?:[^"\\]|\\.)*"|[^<>"]*)\s*<([^<>]+)>$/;
const MAX_BATCH_SIZE = 100;

const apiError = (status: number, name: string, message: string, headers?: Record<string, string>) => ({
  status,
  body: { statusCode: status, name, message },
  headers,
});

/**
 * A stand-in for the two Resend endpoints the app calls, driven by the real SDK through
 * `new Resend(key, { baseUrl })`. It keeps Resend's idempotency contract: a request whose key it already
 * accepted gets the same answer again and delivers nothing; the same key with another body is a 409.
 */
export class FakeResendServer {
  readonly apiKey: string;
  readonly deliveries: DeliveredMail[] = [];
  readonly requests: RecordedRequest[] = [];
  /** Answers this much later after handling a request (its mails already delivered), e.g. to crash a client mid-request. */
  responseDelayMs = 0;
  private readonly requestsPerSecond?: number;
  private readonly server: Server = createServer((request, response) => {
    void this.answer(request).then(({ status, body, headers }) => {
      const verbatim = typeof body === 'string';
      response
        .writeHead(status, { 'content-type': verbatim ? 'text/html' : 'application/json', ...headers })
        .end(verbatim ? body : JSON.stringify(body));
    });
  });
  private readonly scriptedReplies: FakeResendReply[] = [];
  private readonly acceptedByKey = new Map<string, { bodyHash: string; reply: FakeResendReply }>();
  private readonly grantedAtByApiKey = new Map<string, number[]>();

  constructor(options: FakeResendOptions = {}) {
    this.apiKey = options.apiKey ?? 're_test_key';
    this.requestsPerSecond = options.requestsPerSecond;
  }

  /** Listens on a free port; returns the base URL to give the SDK. */
  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `count` authorised requests get `reply` (e.g. a 500, a 429 with Retry-After) and deliver nothing. */
  failNext(count: number, reply: FakeResendReply): void {
    for (let i = 0; i < count; i += 1) this.scriptedReplies.push(reply);
  }

  deliveriesOf(jobId: string): DeliveredMail[] {
    return this.deliveries.filter((mail) => mail.jobId === jobId);
  }

  private async answer(request: IncomingMessage): Promise<FakeResendReply> {
    const call: IncomingCall = {
      at: Date.now(),
      method: request.method ?? 'GET',
      path: new URL(request.url ?? '/', 'http://fake').pathname,
      authorization: request.headers.authorization ?? '',
      idempotencyKey: request.headers['idempotency-key'] as string | undefined,
      batchValidation: request.headers['x-batch-validation'] as string | undefined,
      rawBody: await readBody(request),
    };
    const { replayed, ...reply } = this.replyTo(call);
    const { at, path, idempotencyKey, batchValidation } = call;
    this.requests.push({ at, path, idempotencyKey, batchValidation, status: reply.status, replayed });
    if (this.responseDelayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, this.responseDelayMs).unref());
    }
    return reply;
  }

  private replyTo(call: IncomingCall): FakeResendReply & { replayed: boolean } {
    const reply = (answer: FakeResendReply, replayed = false) => ({ ...answer, replayed });
    const { path, idempotencyKey } = call;
    if (call.method !== 'POST' || (path !== '/emails' && path !== '/emails/batch')) {
      return reply(apiError(404, 'not_found', 'The requested endpoint does not exist.'));
    }
    const apiKey = /^Bearer (.+)$/.exec(call.authorization)?.[1];
    if (apiKey === undefined) {
      return reply(apiError(401, 'missing_api_key', 'Missing API key in the authorization header.'));
    }
    if (apiKey !== this.apiKey) return reply(apiError(403, 'invalid_api_key', 'API key is invalid.'));
    const rateLimited = this.rateLimit(apiKey, call.at);
    if (rateLimited) return reply(rateLimited);
    const scripted = this.scriptedReplies.shift();
    if (scripted) return reply(scripted);

    const validationMode = call.batchValidation === 'permissive' ? 'permissive' : 'strict';
    const bodyHash = createHash('sha256').update(`${path}\n${validationMode}\n${call.rawBody}`).digest('hex');
    const accepted = idempotencyKey === undefined ? undefined : this.acceptedByKey.get(idempotencyKey);
    if (accepted && accepted.bodyHash !== bodyHash) {
      return reply(
        apiError(
          409,
          'invalid_idempotent_request',
          'Same idempotency key used with a different request payload.',
        ),
      );
    }
    if (accepted) return reply(accepted.reply, true);

    let payload: unknown;
    try {
      payload = JSON.parse(call.rawBody);
    } catch {
      return reply(apiError(422, 'validation_error', 'The request body is not valid JSON.'));
    }
    const answer =
      path === '/emails'
        ? this.createEmail(payload, idempotencyKey)
        : this.createBatch(payload, idempotencyKey, validationMode);
    if (idempotencyKey !== undefined && answer.status === 200) {
      this.acceptedByKey.set(idempotencyKey, { bodyHash, reply: answer });
    }
    return reply(answer);
  }

  private rateLimit(apiKey: string, at: number): FakeResendReply | undefined {
    if (this.requestsPerSecond === undefined) return undefined;
    const granted = (this.grantedAtByApiKey.get(apiKey) ?? []).filter((time) => time > at - 1000);
    this.grantedAtByApiKey.set(apiKey, granted);
    if (granted.length < this.requestsPerSecond) {
      granted.push(at);
      return undefined;
    }
    const resetSeconds = String(Math.max(1, Math.ceil((granted[0] + 1000 - at) / 1000)));
    return apiError(
      429,
      'rate_limit_exceeded',
      `Too many requests. You can only make ${this.requestsPerSecond} requests per second.`,
      {
        'retry-after': resetSeconds,
        'ratelimit-limit': String(this.requestsPerSecond),
        'ratelimit-remaining': '0',
        'ratelimit-reset': resetSeconds,
      },
    );
  }

  private createEmail(payload: unknown, idempotencyKey: string | undefined): FakeResendReply {
    const problem = validationProblemOf(payload);
    if (problem) return apiError(422, 'validation_error', problem);
    return { status: 200, body: { id: this.deliver(payload as EmailFields, '/emails', idempotencyKey) } };
  }

  private createBatch(payload: unknown, idempotencyKey: string | undefined, mode: 'strict' | 'permissive') {
    if (!Array.isArray(payload) || payload.length === 0 || payload.length > MAX_BATCH_SIZE) {
      return apiError(422, 'validation_error', `A batch holds 1 to ${MAX_BATCH_SIZE} emails.`);
    }
    const problems = payload.map((email) => validationProblemOf(email));
    const errors = problems.flatMap((message, index) => (message === undefined ? [] : [{ index, message }]));
    if (mode === 'strict' && errors.length > 0) {
      return apiError(422, 'validation_error', `emails[${errors[0].index}]: ${errors[0].message}`);
    }
    const data = payload
      .filter((_, index) => problems[index] === undefined)
      .map((email) => ({ id: this.deliver(email as EmailFields, '/emails/batch', idempotencyKey) }));
    return { status: 200, body: mode === 'strict' ? { data } : { data, errors } };
  }

  private deliver(email: EmailFields, endpoint: DeliveredMail['endpoint'], idempotencyKey?: string): string {
    const headers = (email.headers ?? {}) as Record<string, string>;
    const jobIdHeader = Object.keys(headers).find((name) => name.toLowerCase() === 'x-mail-job-id');
    const resendId = randomUUID();
    this.deliveries.push({
      resendId,
      jobId: jobIdHeader === undefined ? undefined : headers[jobIdHeader],
      idempotencyKey,
      endpoint,
      from: email.from as string,
      to: typeof email.to === 'string' ? [email.to] : (email.to as string[]),
      replyTo: email.reply_to,
      subject: email.subject as string,
      html: email.html as string | undefined,
      text: email.text as string | undefined,
      headers,
    });
    return resendId;
  }
}

function validationProblemOf(email: unknown): string | undefined {
  if (typeof email !== 'object' || email === null || Array.isArray(email))
    return 'An email must be an object.';
  const fields = email as EmailFields;
  const format =
    'The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.';
  if (!isAddressField(fields.from)) return `Invalid \`from\` field. ${format}`;
  const to: unknown[] = Array.isArray(fields.to) ? fields.to : [fields.to];
  if (to.length === 0 || !to.every(isAddressField)) return `Invalid \`to\` field. ${format}`;
  if (typeof fields.subject !== 'string' || fields.subject === '') return 'Missing `subject` field.';
  if (typeof fields.html !== 'string' && typeof fields.text !== 'string')
    return 'Missing `html` or `text` field.';
  return undefined;
}

function isAddressField(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const named = NAMED_ADDRESS.exec(value.trim());
  return ADDRESS.test(named ? named[1] : value.trim());
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
