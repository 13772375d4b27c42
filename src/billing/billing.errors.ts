import { HttpStatus } from '@nestjs/common';
import { AppException } from '../common/errors/app.exception';

export class BillingNotConfiguredException extends AppException {
  constructor() {
    super(
      HttpStatus.SERVICE_UNAVAILABLE,
      'BILLING_NOT_CONFIGURED',
      'Billing is not configured on this server',
    );
  }
}

export class NoBillingAccountException extends AppException {
  constructor() {
    super(
      HttpStatus.CONFLICT,
      'NO_BILLING_ACCOUNT',
      'This tenant has no billing account yet: start a checkout first',
    );
  }
}

export class UnknownPlanException extends AppException {
  constructor(plan: string) {
    super(HttpStatus.BAD_REQUEST, 'UNKNOWN_PLAN', `No paid plan "${plan}"`, [
      { field: 'plan', message: `plan must be a plan with a price` },
    ]);
  }
}

export class InvalidSignatureException extends AppException {
  constructor() {
    super(
      HttpStatus.BAD_REQUEST,
      'INVALID_SIGNATURE',
      'The Stripe-Signature header does not match the payload',
    );
  }
}

export class FeatureNotInPlanException extends AppException {
  constructor(feature: string) {
    super(HttpStatus.PAYMENT_REQUIRED, 'FEATURE_NOT_IN_PLAN', `The plan does not include ${feature}`, {
      feature,
    });
  }
}

export class PlanLimitReachedException extends AppException {
  constructor(limit: string, used: number, allowed: number) {
    super(HttpStatus.PAYMENT_REQUIRED, 'PLAN_LIMIT_REACHED', `The plan allows ${allowed} ${limit}`, {
      limit,
      used,
      allowed,
    });
  }
}
