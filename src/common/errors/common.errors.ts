import { HttpStatus } from '@nestjs/common';
import { defineErrorCodes } from './error-code';

/**
 * One code per status: what the global filter answers for an HTTP error that carries no code of its
 * own (routing, parsing, the framework's exceptions), and the general codes features reuse.
 */
export const HTTP_ERRORS = defineErrorCodes({
  BAD_REQUEST: {
    status: HttpStatus.BAD_REQUEST,
    meaning: 'The request could not be read, or a framework check without a code of its own refused it',
  },
  UNAUTHORIZED: {
    status: HttpStatus.UNAUTHORIZED,
    meaning:
      'The route needs a valid access token: it is missing, malformed or expired, belongs to another tenant, or its session has ended',
  },
  PAYMENT_REQUIRED: {
    status: HttpStatus.PAYMENT_REQUIRED,
    meaning:
      "The framework's payment-required answer; the plan gates answer FEATURE_NOT_IN_PLAN or PLAN_LIMIT_REACHED",
  },
  FORBIDDEN: {
    status: HttpStatus.FORBIDDEN,
    meaning: 'The caller may not do this: the route or the change needs another role',
  },
  NOT_FOUND: {
    status: HttpStatus.NOT_FOUND,
    meaning:
      'No such route, or no such resource in this tenant (an id of another tenant is not found either)',
  },
  METHOD_NOT_ALLOWED: {
    status: HttpStatus.METHOD_NOT_ALLOWED,
    meaning: "The framework's method-not-allowed answer",
  },
  CONFLICT: {
    status: HttpStatus.CONFLICT,
    meaning: "The framework's conflict answer; features answer a code of their own, such as SLUG_TAKEN",
  },
  PAYLOAD_TOO_LARGE: {
    status: HttpStatus.PAYLOAD_TOO_LARGE,
    meaning: 'The request body is larger than the 1 MB limit',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    meaning: 'The request body is not JSON (the only content type the API reads)',
  },
  UNPROCESSABLE_ENTITY: {
    status: HttpStatus.UNPROCESSABLE_ENTITY,
    meaning: "The framework's unprocessable-entity answer",
  },
  RATE_LIMITED: {
    status: HttpStatus.TOO_MANY_REQUESTS,
    meaning:
      "A rate limit is used up: the tenant's requests per minute for a signed-in user, the client IP's per route for anyone else; Retry-After tells when to retry",
  },
  INTERNAL: {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    meaning: 'An unexpected error; the body tells nothing more, the log has it under the request id',
  },
  SERVICE_UNAVAILABLE: {
    status: HttpStatus.SERVICE_UNAVAILABLE,
    meaning: "The framework's service-unavailable answer",
  },
});

/** What is wrong with the request itself, wherever it is sent. */
export const REQUEST_ERRORS = defineErrorCodes({
  VALIDATION_FAILED: {
    status: HttpStatus.BAD_REQUEST,
    meaning:
      'A path, query or body field is not valid, or the body has a field the route does not take; details lists each {field, message}',
  },
  MALFORMED_JSON: {
    status: HttpStatus.BAD_REQUEST,
    meaning: 'The request body is not valid JSON',
  },
});
