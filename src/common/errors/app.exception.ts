import { HttpException } from '@nestjs/common';
import { HTTP_ERRORS, REQUEST_ERRORS } from './common.errors';
import type { ErrorCode } from './error-code';

export interface FieldError {
  field: string;
  message: string;
}

export type ErrorDetails = FieldError[] | Record<string, unknown>;

/** The error body of every failed response. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  details?: ErrorDetails;
  requestId?: string;
}

/**
 * An error with a stable, client-facing code declared in a `*.errors.ts` file (which gives its
 * status). Features throw subclasses of it; the global filter turns it into the error body.
 */
export class AppException extends HttpException {
  /** Response headers that belong with the error, such as Retry-After. */
  readonly headers: Record<string, string> = {};
  readonly code: string;

  constructor(
    error: ErrorCode,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message, error.status);
    this.code = error.code;
  }
}

/** 429 with the Retry-After header a client should honour. */
export class TooManyRequestsException extends AppException {
  constructor(error: ErrorCode, message: string, retryAfterSeconds: number) {
    super(error, message);
    this.headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  }
}

export class NotFoundException extends AppException {
  constructor(message = 'The resource does not exist') {
    super(HTTP_ERRORS.NOT_FOUND, message);
  }
}

export class ValidationFailedException extends AppException {
  constructor(details: FieldError[], message = 'The request is not valid') {
    super(REQUEST_ERRORS.VALIDATION_FAILED, message, details);
  }
}
