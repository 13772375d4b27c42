export interface RequestThrottleOptions {
  /** Resend allows 2 requests per second per team unless raised. */
  requestsPerSecond?: number;
  /**
   * Grant up to `requestsPerSecond` requests back to back, as long as no rolling second (plus a margin
   * for network jitter) holds more. Sparse traffic then waits less; sustained traffic gets the same rate.
   * Unset: requests are spaced evenly, `1 / requestsPerSecond` apart.
   */
  allowBursts?: boolean;
}

export const DEFAULT_REQUESTS_PER_SECOND = 2;
/* The server times a request by its arrival; ours by its start. The margin keeps a window's edge apart. */
const BURST_WINDOW_MARGIN_MS = 50;

/**
 * Spaces the requests of every caller sharing it at most `requestsPerSecond`, first come first served.
 * `pauseFor` (after a 429 with Retry-After) holds back every waiting and future caller, not only the one
 * that was refused.
 */
export class RequestThrottle {
  /** Requests one window may hold. */
  private readonly burst: number;
  private readonly windowMs: number;
  private readonly waiting: Array<() => void> = [];
  /** The last `burst` grant times, oldest first. */
  private readonly grantedAt: number[] = [];
  private pausedUntil = 0;
  private timer?: NodeJS.Timeout;

  constructor({
    requestsPerSecond = DEFAULT_REQUESTS_PER_SECOND,
    allowBursts = false,
  }: RequestThrottleOptions = {}) {
    if (!(requestsPerSecond > 0) || !Number.isFinite(requestsPerSecond)) {
      throw new RangeError(`requestsPerSecond must be a positive number, got ${requestsPerSecond}`);
    }
    this.burst = allowBursts ? Math.max(1, Math.floor(requestsPerSecond)) : 1;
    this.windowMs = (1000 * this.burst) / requestsPerSecond + (allowBursts ? BURST_WINDOW_MARGIN_MS : 0);
  }

  /** Resolves when the caller may send its request. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.grantWhenDue();
    });
  }

  /**
   * Resolves when a request acquired then would be granted at once: no one waiting, the interval
   * passed, no pause. A batching caller waits on this and only then picks what to send, so a request
   * carries everything that queued up while the previous one held the slot.
   */
  async untilReady(): Promise<void> {
    for (;;) {
      const waitMs = this.waiting.length > 0 ? this.windowMs / this.burst : this.dueAt() - Date.now();
      if (waitMs <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  pauseFor(delayMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delayMs);
    this.grantWhenDue();
  }

  private dueAt(): number {
    const windowStart = this.grantedAt.length < this.burst ? Number.NEGATIVE_INFINITY : this.grantedAt[0];
    return Math.max(windowStart + this.windowMs, this.pausedUntil);
  }

  private grantWhenDue(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.waiting.length > 0) {
      const now = Date.now();
      const dueAt = this.dueAt();
      if (now < dueAt) {
        this.timer = setTimeout(() => this.grantWhenDue(), dueAt - now);
        return;
      }
      this.grantedAt.push(now);
      if (this.grantedAt.length > this.burst) this.grantedAt.shift();
      this.waiting.shift()?.();
    }
  }
}
