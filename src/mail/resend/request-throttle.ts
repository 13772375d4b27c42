export interface RequestThrottleOptions {
  /** Resend allows 2 requests per second per team unless raised. */
  requestsPerSecond?: number;
}

export const DEFAULT_REQUESTS_PER_SECOND = 2;

/**
 * Spaces the requests of every caller sharing it at most `requestsPerSecond`, first come first served.
 * `pauseFor` (after a 429 with Retry-After) holds back every waiting and future caller, not only the one
 * that was refused.
 */
export class RequestThrottle {
  private readonly intervalMs: number;
  private readonly waiting: Array<() => void> = [];
  private lastGrantAt = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  private timer?: NodeJS.Timeout;

  constructor({ requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND }: RequestThrottleOptions = {}) {
    if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) {
      throw new RangeError(`requestsPerSecond must be a positive number, got ${requestsPerSecond}`);
    }
    this.intervalMs = 1000 / requestsPerSecond;
  }

  /** Resolves when the caller may send its request. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.grantWhenDue();
    });
  }

  pauseFor(delayMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delayMs);
    this.grantWhenDue();
  }

  private grantWhenDue(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.waiting.length > 0) {
      const now = Date.now();
      const dueAt = Math.max(this.lastGrantAt + this.intervalMs, this.pausedUntil);
      if (now < dueAt) {
        this.timer = setTimeout(() => this.grantWhenDue(), dueAt - now);
        return;
      }
      this.lastGrantAt = now;
      this.waiting.shift()?.();
    }
  }
}
