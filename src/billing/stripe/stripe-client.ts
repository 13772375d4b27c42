import Stripe from 'stripe';
import type { AppConfig } from '../../config';

/**
 * The API version the app is written against. From 2025-03-31 on, a subscription's period end is on
 * its items, not on the subscription; the webhook code reads it there.
 */
export const STRIPE_API_VERSION = '2026-10-28.endive' as const;

export const STRIPE_CLIENT = Symbol('STRIPE_CLIENT');

/** The one Stripe client of the process, or null when STRIPE_SECRET_KEY is unset. */
export function createStripeClient(config: AppConfig): Stripe | null {
  if (!config.stripe) return null;
  return new Stripe(config.stripe.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    host: config.stripe.apiHost,
    port: config.stripe.apiPort,
    protocol: config.stripe.apiProtocol,
    maxNetworkRetries: 2,
    timeout: 20_000,
    appInfo: { name: 'saas-tenant-template' },
  });
}
