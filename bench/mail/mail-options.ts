import { parseArgs } from 'node:util';

export interface MailBenchOptions {
  quick: boolean;
  /** Mails of each latency run. */
  latencyMails: number;
  /** The light-load rate (judged) and the steady stream above the request limit (reported). */
  lightRatePerSecond: number;
  streamRatePerSecond: number;
  /** Offered load of the throughput run: above what 2 requests/s × 100 mails can carry. */
  offeredPerSecond: number;
  throughputDurationMs: number;
  /** Deliveries before this are the ramp-up, not counted as sustained. */
  throughputRampMs: number;
  keepDatabase: boolean;
}

const FULL = {
  latencyMails: 60,
  lightRate: 1,
  streamRate: 4,
  offered: 300,
  durationS: 40,
  rampS: 5,
};
const QUICK = { ...FULL, latencyMails: 12, durationS: 12, rampS: 3 };

export const MAIL_USAGE = `npm run bench -- mail [--quick] [--latency-mails 60] [--light-rate 1]
  [--stream-rate 4] [--offered 300] [--duration 40] [--ramp 5] [--keep-db]`;

export function parseMailOptions(args: string[]): MailBenchOptions {
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      quick: { type: 'boolean', default: false },
      'latency-mails': { type: 'string' },
      'light-rate': { type: 'string' },
      'stream-rate': { type: 'string' },
      offered: { type: 'string' },
      duration: { type: 'string' },
      ramp: { type: 'string' },
      'keep-db': { type: 'boolean', default: false },
    },
  });
  const defaults = values.quick ? QUICK : FULL;
  const positive = (name: string, value: string | undefined, fallback: number) => {
    const parsed = value === undefined ? fallback : Number(value);
    if (!(parsed > 0)) throw new Error(`--${name} expects a positive number\n${MAIL_USAGE}`);
    return parsed;
  };
  const durationMs = positive('duration', values.duration, defaults.durationS) * 1000;
  const rampMs = positive('ramp', values.ramp, defaults.rampS) * 1000;
  if (rampMs >= durationMs) throw new Error(`--ramp must be shorter than --duration\n${MAIL_USAGE}`);
  return {
    quick: values.quick,
    latencyMails: Math.round(positive('latency-mails', values['latency-mails'], defaults.latencyMails)),
    lightRatePerSecond: positive('light-rate', values['light-rate'], defaults.lightRate),
    streamRatePerSecond: positive('stream-rate', values['stream-rate'], defaults.streamRate),
    offeredPerSecond: positive('offered', values.offered, defaults.offered),
    throughputDurationMs: durationMs,
    throughputRampMs: rampMs,
    keepDatabase: values['keep-db'],
  };
}
