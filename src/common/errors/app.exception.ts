import { HttpException, HttpStatus } from '@nestjs/common';

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
 * An error with a stable, client-facing `code`. Features throw subclasses of it; the global filter
 * turns it into the error body.
 */
export class AppException extends HttpException {
  /** Response headers that belong with the error, such as Retry-After. */
  readonly headers: Record<string, string> = {};

  constructor(
    status: HttpStatus,
    readonly code: string,
    message: string,
    readonly details?: ErrorDetails,
  ) {
    super(message, status);
  }
}

/** 429 with the Retry-After header a client should honour. */
export class TooManyRequestsException extends AppException {
  constructor(code: string, message: string, retryAfterSeconds: number) {
    super(HttpStatus.TOO_MANY_REQUESTS, code, message);
    this.headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  }
}

export class NotFoundException extends AppException {
  constructor(message = 'The resource does not exist') {
    super(HttpStatus.NOT_FOUND, 'NOT_FOUND', message);
  }
}

export class ValidationFailedException extends AppException {
  constructor(details: FieldError[], message = 'The request is not valid') {
    super(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', message, details);
  }
}
