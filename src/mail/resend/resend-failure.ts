import type { ErrorResponse } from 'resend';
import type { DeadOutcome, RetryOutcome } from './mail-send.types';

/*
 * The SDK returns `{ error, headers }` instead of throwing. `error` is Resend's JSON error body
 * (`{ statusCode, name, message }`), so the status is the one the body states; the SDK sets statusCode
 * itself only when the body is not JSON, and null when no answer came (network failure, timeout).
 * `headers` holds the answer's headers with lower-case names, or null when there was no answer.
 */

/** Resend's names for a request that will fail the same way again; anything else without a status is retried. */
const PERMANENT_ERROR_NAMES = new Set<string>([
  'validation_error',
  'missing_required_field',
  'invalid_parameter',
  'invalid_from_address',
  'invalid_attachment',
  'invalid_region',
  'invalid_idempotency_key',
  'invalid_idempotent_request',
  'missing_api_key',
  'invalid_api_key',
  'restricted_api_key',
  'invalid_access',
  'security_error',
  'not_found',
  'method_not_allowed',
]);

export function classifyResendFailure(
  error: ErrorResponse,
  headers: Record<string, string> | null,
): RetryOutcome | DeadOutcome {
  // The body is whatever JSON came back, so a gateway in front of Resend may have sent none of these fields.
  const status = typeof error.statusCode === 'number' ? error.statusCode : undefined;
  const name: string = typeof error.name === 'string' ? error.name : 'unnamed_error';
  const message = typeof error.message === 'string' ? error.message : JSON.stringify(error);
  const reason =
    status === undefined
      ? `Resend gave no usable answer (${name}): ${message}`
      : `Resend answered ${status} ${name}: ${message}`;
  const retryable =
    status === undefined
      ? !PERMANENT_ERROR_NAMES.has(name)
      : status === 429 || status >= 500 || name === 'concurrent_idempotent_requests';
  if (!retryable) return { outcome: 'dead', reason };
  const retryAfterMs = retryAfterMsFrom(headers);
  return retryAfterMs === undefined
    ? { outcome: 'retry', reason }
    : { outcome: 'retry', reason, retryAfterMs };
}

/** Retry-After in seconds or as an HTTP date; Resend's `ratelimit-reset` (seconds) when it is missing. */
export function retryAfterMsFrom(
  headers: Record<string, string> | null,
  now = Date.now(),
): number | undefined {
  const retryAfter = headers?.['retry-after']?.trim();
  if (retryAfter) {
    const date = Date.parse(retryAfter);
    return millisecondsOf(retryAfter) ?? (Number.isNaN(date) ? undefined : Math.max(0, date - now));
  }
  const resetSeconds = headers?.['ratelimit-reset']?.trim();
  return resetSeconds ? millisecondsOf(resetSeconds) : undefined;
}

function millisecondsOf(seconds: string): number | undefined {
  const value = Number(seconds);
  return Number.isFinite(value) && value >= 0 ? Math.ceil(value * 1000) : undefined;
}
