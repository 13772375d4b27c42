import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';

export interface RecordedStripeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  idempotencyKey?: string;
}

export interface FakeSubscriptionState {
  id: string;
  customer: string;
  status: string;
  priceId: string;
  currentPeriodEnd?: number;
  trialEnd?: number | null;
  cancelAtPeriodEnd?: boolean;
  metadata?: Record<string, string>;
}

const newId = (prefix: string) => `${prefix}_${randomBytes(8).toString('hex')}`;
const unixNow = () => Math.floor(Date.now() / 1000);

/** A subscription object shaped as Stripe's API (version 2026-10-28) returns it. */
export function subscriptionObject(state: FakeSubscriptionState) {
  const periodEnd = state.currentPeriodEnd ?? unixNow() + 30 * 86_400;
  return {
    id: state.id,
    object: 'subscription',
    customer: state.customer,
    status: state.status,
    cancel_at_period_end: state.cancelAtPeriodEnd ?? false,
    trial_end: state.trialEnd ?? null,
    metadata: state.metadata ?? {},
    items: {
      object: 'list',
      data: [
        {
          id: `si_${state.id}`,
          object: 'subscription_item',
          price: { id: state.priceId, object: 'price' },
          current_period_start: periodEnd - 30 * 86_400,
          current_period_end: periodEnd,
        },
      ],
    },
  };
}

/**
 * A local stand-in for the Stripe API, serving only the calls the app makes: customers,
 * checkout and portal sessions, and subscription reads. The real SDK talks to it over HTTP.
 */
export class FakeStripeServer {
  readonly requests: RecordedStripeRequest[] = [];
  readonly subscriptions = new Map<string, FakeSubscriptionState>();
  private readonly idempotentResponses = new Map<string, unknown>();
  private failuresLeft = 0;
  private server?: Server;

  async start(): Promise<{ host: string; port: number }> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return { host: '127.0.0.1', port: (this.server.address() as AddressInfo).port };
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  setSubscription(state: FakeSubscriptionState): void {
    this.subscriptions.set(state.id, state);
  }

  /** The next `count` requests answer 500. */
  failNext(count: number): void {
    this.failuresLeft = count;
  }

  requestsTo(method: string, path: string): RecordedStripeRequest[] {
    return this.requests.filter((request) => request.method === method && request.path === path);
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const url = new URL(request.url ?? '/', 'http://fake');
    const params = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString()));
    const idempotencyKey = request.headers['idempotency-key'] as string | undefined;
    const method = request.method ?? 'GET';
    this.requests.push({ method, path: url.pathname, params, idempotencyKey });

    if (this.failuresLeft > 0) {
      this.failuresLeft--;
      return this.send(response, 500, { error: { type: 'api_error', message: 'Injected failure' } });
    }
    if (idempotencyKey && this.idempotentResponses.has(idempotencyKey)) {
      return this.send(response, 200, this.idempotentResponses.get(idempotencyKey));
    }
    const body = this.route(method, url.pathname, params);
    if (!body) {
      return this.send(response, 404, {
        error: { type: 'invalid_request_error', message: `No such resource: ${url.pathname}` },
      });
    }
    if (idempotencyKey) this.idempotentResponses.set(idempotencyKey, body);
    this.send(response, 200, body);
  }

  private route(method: string, path: string, params: Record<string, string>): unknown {
    if (method === 'POST' && path === '/v1/customers') {
      return { id: newId('cus'), object: 'customer', name: params.name ?? null, metadata: {} };
    }
    if (method === 'POST' && path === '/v1/checkout/sessions') {
      const id = newId('cs_test');
      return {
        id,
        object: 'checkout.session',
        url: `https://checkout.stripe.test/c/pay/${id}`,
        customer: params.customer,
      };
    }
    if (method === 'POST' && path === '/v1/billing_portal/sessions') {
      const id = newId('bps');
      return { id, object: 'billing_portal.session', url: `https://billing.stripe.test/p/session/${id}` };
    }
    const subscription = /^\/v1\/subscriptions\/([\w-]+)$/.exec(path);
    if (method === 'GET' && subscription) {
      const state = this.subscriptions.get(subscription[1]);
      return state ? subscriptionObject(state) : undefined;
    }
    return undefined;
  }

  private send(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': newId('req') });
    response.end(JSON.stringify(body));
  }
}

/** A Stripe event envelope, as Stripe posts it to webhooks. */
export function stripeEvent(type: string, object: unknown, created = unixNow(), id = newId('evt')) {
  return {
    id,
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    type,
    livemode: false,
    data: { object },
  };
}

/** Posts an event to the app's webhook with a real signature (or the given header). */
export async function deliverWebhook(
  baseUrl: string,
  event: unknown,
  secret: string,
  options: { timestamp?: number; signature?: string; rawBody?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const payload = options.rawBody ?? JSON.stringify(event);
  const signature =
    options.signature ??
    new Stripe('sk_test_unused').webhooks.generateTestHeaderString({
      payload,
      secret,
      timestamp: options.timestamp,
    });
  const response = await fetch(`${baseUrl}/api/v1/billing/webhook`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'Stripe-Signature': signature },
    body: payload,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
