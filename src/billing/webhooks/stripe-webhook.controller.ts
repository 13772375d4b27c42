import { Controller, Headers, HttpCode, HttpStatus, Inject, Injectable, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type Stripe from 'stripe';
import { Public } from '../../common/access/access.decorators';
import { ApiErrors } from '../../common/errors/api-errors.decorator';
import { InjectConfig, type AppConfig } from '../../config';
import { BILLING_ERRORS, BillingNotConfiguredException, InvalidSignatureException } from '../billing.errors';
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

@ApiTags('billing')
@Public()
@Controller('billing/webhook')
export class StripeWebhookController {
  constructor(private readonly webhooks: StripeWebhookService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({ summary: 'Stripe webhook endpoint (raw body, Stripe-Signature)' })
  @ApiHeader({ name: 'Stripe-Signature', required: true })
  @ApiOkResponse({ schema: { example: { received: true } } })
  @ApiErrors(BILLING_ERRORS.INVALID_SIGNATURE, BILLING_ERRORS.BILLING_NOT_CONFIGURED)
  receive(
    @Req() request: RawBodyRequest<Request>,
    @Headers('stripe-signature') signature: string | undefined,
  ): Promise<{ received: true }> {
    return this.webhooks.receive(request.rawBody, signature);
  }
}
