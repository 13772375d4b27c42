import { Inject, Injectable } from '@nestjs/common';
import type Stripe from 'stripe';
import { InjectConfig, type AppConfig } from '../../config';
import { BillingNotConfiguredException, InvalidSignatureException } from '../billing.errors';
import { STRIPE_CLIENT } from '../stripe/stripe-client';
import { StripeEventProcessor } from './stripe-event-processor';

@Injectable()
export class StripeWebhookService {
  constructor(
    @Inject(STRIPE_CLIENT) private readonly stripe: Stripe | null,
    private readonly processor: StripeEventProcessor,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** Verifies the signature over the raw body (with Stripe's 5-minute tolerance), then applies the event. */
  async receive(rawBody: Buffer | undefined, signature: string | undefined): Promise<{ received: true }> {
    const secret = this.config.stripe?.webhookSecret;
    if (!this.stripe || !secret) throw new BillingNotConfiguredException();
    if (!rawBody || !signature) throw new InvalidSignatureException();
    let event: Stripe.Event;
    try {
      event = this.stripe.webhooks.constructEvent(rawBody, signature, secret);
    } catch {
      throw new InvalidSignatureException();
    }
    await this.processor.process(event);
    return { received: true };
  }
}
