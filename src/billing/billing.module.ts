import { Module } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config';
import { MailOutboxModule } from '../mail/outbox/mail-outbox.module';
import { BillingController } from './billing.controller';
import { BillingService } from './billing.service';
import { FeatureGuard } from './gating/feature.guard';
import { PlanLimits } from './gating/plan-limits';
import { PlanChangeListeners } from './plan-change-listeners';
import { PlansModule } from './plans/plans.module';
import { createStripeClient, STRIPE_CLIENT } from './stripe/stripe-client';
import { StripeEventProcessor } from './webhooks/stripe-event-processor';
import { StripeWebhookController } from './webhooks/stripe-webhook.controller';
import { StripeWebhookService } from './webhooks/stripe-webhook.service';

@Module({
  imports: [PlansModule, MailOutboxModule],
  controllers: [BillingController, StripeWebhookController],
  providers: [
    {
      provide: STRIPE_CLIENT,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createStripeClient(config),
    },
    BillingService,
    StripeWebhookService,
    StripeEventProcessor,
    PlanChangeListeners,
    PlanLimits,
    FeatureGuard,
  ],
  exports: [PlanLimits, PlanChangeListeners, FeatureGuard],
})
export class BillingModule {}
