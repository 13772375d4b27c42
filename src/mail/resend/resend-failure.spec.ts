import type { ErrorResponse } from 'resend';
import { classifyResendFailure, retryAfterMsFrom } from './resend-failure';

const failure = (
  statusCode: number | null,
  name: ErrorResponse['name'],
  message = 'failed',
): ErrorResponse => ({
  statusCode,
  name,
  message,
});

describe('classifyResendFailure', () => {
  it.each([
    [429, 'rate_limit_exceeded'],
    [429, 'daily_quota_exceeded'],
    [500, 'internal_server_error'],
    [502, 'application_error'],
    [409, 'concurrent_idempotent_requests'],
  ] as const)('retries %i %s', (status, name) => {
    expect(classifyResendFailure(failure(status, name), {})).toMatchObject({ outcome: 'retry' });
  });

  it.each([
    [422, 'validation_error'],
    [403, 'validation_error'],
    [403, 'invalid_api_key'],
    [401, 'missing_api_key'],
    [409, 'invalid_idempotent_request'],
    [400, 'invalid_idempotency_key'],
  ] as const)('gives up on %i %s', (status, name) => {
    expect(classifyResendFailure(failure(status, name, 'The domain is not verified'), {})).toEqual({
      outcome: 'dead',
      reason: `Resend answered ${status} ${name}: The domain is not verified`,
    });
  });

  it('retries when no answer came (network failure, timeout)', () => {
    const outcome = classifyResendFailure(failure(null, 'application_error', 'Unable to fetch data.'), null);

    expect(outcome).toEqual({
      outcome: 'retry',
      reason: 'Resend gave no usable answer (application_error): Unable to fetch data.',
    });
  });

  it('gives up on an error without status that Resend names as permanent', () => {
    expect(classifyResendFailure(failure(null, 'invalid_parameter'), null)).toMatchObject({
      outcome: 'dead',
    });
  });

  it('retries an error body it cannot read (a proxy in front of Resend, say)', () => {
    const unreadable = { message: 'Bad gateway' } as ErrorResponse;

    expect(classifyResendFailure(unreadable, { 'content-type': 'application/json' })).toEqual({
      outcome: 'retry',
      reason: 'Resend gave no usable answer (unnamed_error): Bad gateway',
    });
  });

  it('carries the Retry-After of a 429', () => {
    const outcome = classifyResendFailure(failure(429, 'rate_limit_exceeded'), { 'retry-after': '2' });

    expect(outcome).toMatchObject({ outcome: 'retry', retryAfterMs: 2000 });
  });
});

describe('retryAfterMsFrom', () => {
  it('reads seconds, fractions rounded up to the millisecond', () => {
    expect(retryAfterMsFrom({ 'retry-after': '1.5' })).toBe(1500);
  });

  it('reads an HTTP date', () => {
    const now = Date.parse('2030-01-01T00:00:00Z');

    expect(retryAfterMsFrom({ 'retry-after': 'Tue, 01 Jan 2030 00:00:03 GMT' }, now)).toBe(3000);
  });

  it("falls back to Resend's ratelimit-reset", () => {
    expect(retryAfterMsFrom({ 'ratelimit-reset': '1' })).toBe(1000);
  });

  it('is undefined without a usable header', () => {
    expect(retryAfterMsFrom(null)).toBeUndefined();
    expect(retryAfterMsFrom({ 'retry-after': 'soon' })).toBeUndefined();
  });
});
