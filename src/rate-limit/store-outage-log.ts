export interface OutageLogger {
  warn(message: string): void;
  log(message: string): void;
}

/**
 * Reports a rate-limit store outage without flooding the log: the first failure at once, then one
 * line per interval with how many requests it affected, and one line when the store answers again.
 */
export class StoreOutageLog {
  private failuresSinceReport = 0;
  private lastReportAt: number | undefined;
  private outageStartedAt: number | undefined;

  constructor(
    private readonly logger: OutageLogger,
    private readonly consequence: string,
    private readonly intervalMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  failed(error: Error): void {
    const now = this.now();
    this.outageStartedAt ??= now;
    this.failuresSinceReport++;
    if (this.lastReportAt !== undefined && now - this.lastReportAt < this.intervalMs) return;
    const count = this.failuresSinceReport;
    this.logger.warn(
      `${error.message}; ${this.consequence} (${count} request${count === 1 ? '' : 's'} since the last report)`,
    );
    this.lastReportAt = now;
    this.failuresSinceReport = 0;
  }

  /** Called on every success: costs one comparison unless an outage just ended. */
  succeeded(): void {
    if (this.outageStartedAt === undefined) return;
    const seconds = Math.round((this.now() - this.outageStartedAt) / 1000);
    this.logger.log(`rate-limit store reachable again after about ${seconds} s`);
    this.outageStartedAt = undefined;
    this.lastReportAt = undefined;
    this.failuresSinceReport = 0;
  }
}
