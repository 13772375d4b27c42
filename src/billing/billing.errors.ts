import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';
import { defineErrorCodes } from '../common/errors/error-code';

export const BILLING_ERRORS = defineErrorCodes({
  BILLING_NOT_CONFIGURED: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    meaning: 'Billing is off on this server (no STRIPE_SECRET_KEY, or no webhook secret for webhooks)',
  },
  NO_BILLING_ACCOUNT: {
    status: HttpStatus.CONFLICT,
    meaning: 'The tenant has no Stripe customer yet: start a checkout first',
  },
  UNKNOWN_PLAN: {
    status: HttpStatus.BAD_REQUEST,
    meaning: 'No plan with a Stripe price has this id; details names the field',
  },
  INVALID_SIGNATURE: {
    status: HttpStatus.BAD_REQUEST,
    meaning: 'The Stripe-Signature header is missing or does not match the raw body',
  },
  FEATURE_NOT_IN_PLAN: {
    status: HttpStatus.PAYMENT_REQUIRED,
    meaning: "The tenant's plan does not include the feature the route needs; details is {feature}",
  },
  PLAN_LIMIT_REACHED: {
    status: HttpStatus.PAYMENT_REQUIRED,
    meaning: "The tenant's plan allows no more of this; details is {limit, used, allowed}",
  },
});

export class BillingNotConfiguredException extends AppException {
  constructor() {
    super(BILLING_ERRORS.BILLING_NOT_CONFIGURED, 'Billing is not configured on this server');
  }
}

export class NoBillingAccountException extends AppException {
  constructor() {
    super(
      BILLING_ERRORS.NO_BILLING_ACCOUNT,
      'This tenant has no billing account yet: start a checkout first',
    );
  }
}

export class UnknownPlanException extends AppException {
  constructor(plan: string) {
    super(BILLING_ERRORS.UNKNOWN_PLAN, `No paid plan "${plan}"`, [
      { field: 'plan', message: `plan must be a plan with a price` },
    ]);
  }
}

export class InvalidSignatureException extends AppException {
  constructor() {
    super(BILLING_ERRORS.INVALID_SIGNATURE, 'The Stripe-Signature header does not match the payload');
  }
}

export class FeatureNotInPlanException extends AppException {
  constructor(feature: string) {
    super(BILLING_ERRORS.FEATURE_NOT_IN_PLAN, `The plan does not include ${feature}`, { feature });
  }
}

export class PlanLimitReachedException extends AppException {
  constructor(limit: string, used: number, allowed: number) {
    super(BILLING_ERRORS.PLAN_LIMIT_REACHED, `The plan allows ${allowed} ${limit}`, { limit, used, allowed });
  }
}
