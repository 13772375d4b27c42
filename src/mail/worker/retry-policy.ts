import type { SendOutcome } from '../resend/mail-send.types';

export interface RetryPolicyOptions {
  /** Tries of one job, the first included. */
  maxAttempts: number;
  /** The delay queues' delays, ascending. */
  retryDelaysMs: readonly number[];
}

/** What becomes of one delivery of a job. */
export type Settlement =
  | { action: 'complete' }
  | { action: 'retry'; delayMs: number; reason: string }
  | { action: 'dead'; reason: string };

export function settlementOf(outcome: SendOutcome, attempt: number, options: RetryPolicyOptions): Settlement {
  switch (outcome.outcome) {
    case 'sent':
      return { action: 'complete' };
    case 'dead':
      return { action: 'dead', reason: outcome.reason };
    case 'retry':
      if (attempt >= options.maxAttempts) {
        return { action: 'dead', reason: `Gave up after ${attempt} attempts: ${outcome.reason}` };
      }
      return {
        action: 'retry',
        delayMs: retryDelayFor(attempt, outcome.retryAfterMs, options.retryDelaysMs),
        reason: outcome.reason,
      };
  }
}

/**
 * The delay after the `attempt`-th try failed: the tier of that attempt (backoff grows one tier per
 * try, then stays on the last), or the first longer tier that covers a Retry-After.
 */
export function retryDelayFor(
  attempt: number,
  retryAfterMs: number | undefined,
  retryDelaysMs: readonly number[],
): number {
  const ownTier = Math.min(Math.max(attempt, 1) - 1, retryDelaysMs.length - 1);
  const covering = retryDelaysMs.slice(ownTier).find((delay) => delay >= (retryAfterMs ?? 0));
  return covering ?? retryDelaysMs[retryDelaysMs.length - 1];
}
