import { amount, type BenchOptions, count, parseBenchOptions, seconds } from '../support/bench-options';

const MAIL_OPTIONS = {
  /** Mails of each latency run. */
  latencyMails: count('latency-mails', { full: 60, quick: 12 }),
  /** The light-load rate (judged) and the steady stream above the request limit (reported). */
  lightRatePerSecond: amount('light-rate', 1),
  streamRatePerSecond: amount('stream-rate', 4),
  /** Offered load of the throughput run: above what 2 requests/s × 100 mails can carry. */
  offeredPerSecond: amount('offered', 300),
  throughputDurationMs: seconds('duration', { full: 40, quick: 12 }),
  /** Deliveries before this are the ramp-up, not counted as sustained. */
  throughputRampMs: seconds('ramp', { full: 5, quick: 3 }),
};

export type MailBenchOptions = BenchOptions<typeof MAIL_OPTIONS>;

export const parseMailOptions = (args: string[]): MailBenchOptions =>
  parseBenchOptions('mail', MAIL_OPTIONS, args, (options) =>
    options.throughputRampMs >= options.throughputDurationMs
      ? '--ramp must be shorter than --duration'
      : undefined,
  );
