import { retryDelayFor, settlementOf } from './retry-policy';

const options = { maxAttempts: 4, retryDelaysMs: [1000, 5000, 30_000] };

describe('retryDelayFor', () => {
  it('backs off one tier per attempt and stays on the last', () => {
    expect(
      [1, 2, 3, 4, 9].map((attempt) => retryDelayFor(attempt, undefined, options.retryDelaysMs)),
    ).toEqual([1000, 5000, 30_000, 30_000, 30_000]);
  });

  it('picks the first tier at least as long as a Retry-After', () => {
    expect(retryDelayFor(1, 1000, options.retryDelaysMs)).toBe(1000);
    expect(retryDelayFor(1, 1001, options.retryDelaysMs)).toBe(5000);
    expect(retryDelayFor(2, 6000, options.retryDelaysMs)).toBe(30_000);
  });

  it('uses the longest tier when Retry-After exceeds every tier', () => {
    expect(retryDelayFor(1, 3_600_000, options.retryDelaysMs)).toBe(30_000);
  });
});

describe('settlementOf', () => {
  it('completes a sent job', () => {
    expect(settlementOf({ outcome: 'sent', resendId: 're_1' }, 1, options)).toEqual({ action: 'complete' });
  });

  it('dead-letters a refused job at once, whatever the attempt', () => {
    expect(settlementOf({ outcome: 'dead', reason: 'Resend answered 422' }, 1, options)).toEqual({
      action: 'dead',
      reason: 'Resend answered 422',
    });
  });

  it('retries through the delay tiers until the last attempt', () => {
    const retry = { outcome: 'retry', reason: 'Resend answered 500' } as const;

    expect(settlementOf(retry, 1, options)).toEqual({ action: 'retry', delayMs: 1000, reason: retry.reason });
    expect(settlementOf(retry, 3, options)).toEqual({
      action: 'retry',
      delayMs: 30_000,
      reason: retry.reason,
    });
    expect(settlementOf(retry, 4, options)).toEqual({
      action: 'dead',
      reason: 'Gave up after 4 attempts: Resend answered 500',
    });
  });

  it('waits at least the Retry-After of a 429', () => {
    const settlement = settlementOf({ outcome: 'retry', reason: '429', retryAfterMs: 2000 }, 1, options);

    expect(settlement).toMatchObject({ action: 'retry', delayMs: 5000 });
  });

  it('gives up after the first try when only one is allowed', () => {
    expect(
      settlementOf({ outcome: 'retry', reason: 'timeout' }, 1, { ...options, maxAttempts: 1 }),
    ).toMatchObject({
      action: 'dead',
    });
  });
});
