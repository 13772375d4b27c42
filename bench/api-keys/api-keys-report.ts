import { interleavedParameters } from '../support/bench-options';
import { type BenchOutcome, verdict } from '../support/bench';
import { type ArmMeasurement, compareArms } from '../support/interleaved-runner';
import { sharedMachineRunsNote } from '../support/machine-load';
import type { ApiKeysBenchOptions } from './api-keys-options';

export const JUDGED_ROUTE = 'GET /api/v1/projects';
const THROUGHPUT_RATIO = 0.95;

export interface ApiKeysMeasurements {
  options: ApiKeysBenchOptions;
  accessToken: ArmMeasurement;
  apiKey: ArmMeasurement;
  othersCpuPercent?: number;
  repeatedForNoise: number;
  waitedForQuietSeconds: number;
}

export function apiKeysOutcome(m: ApiKeysMeasurements, parameters: Record<string, unknown>): BenchOutcome {
  const comparison = compareArms(m.apiKey, m.accessToken);
  const { options } = m;
  const row = (arm: ArmMeasurement) => [
    arm.name,
    arm.requests,
    arm.throughput.toFixed(0),
    arm.latencyMs.p50.toFixed(2),
    arm.latencyMs.p99.toFixed(2),
    arm.cpuMsPerRequest.toFixed(3),
    arm.roundTripsPerRequest?.toFixed(2) ?? '–',
  ];
  return {
    quick: options.quick,
    parameters: {
      ...interleavedParameters(options),
      ...parameters,
    },
    tables: [
      {
        title: `${JUDGED_ROUTE}, API key vs access token: ${options.concurrency} connections, ${options.slices} slices of ${options.sliceMs} ms per arm, interleaved`,
        columns: ['arm', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'CPU ms/req', 'DB round trips/req'],
        rows: [
          row(m.accessToken),
          row(m.apiKey),
          [
            'key / token',
            '',
            comparison.throughputRatio.toFixed(3),
            comparison.p50Ratio.toFixed(3),
            '',
            '',
            `slices IQR ${comparison.sliceRatioQuartiles[0].toFixed(3)}–${comparison.sliceRatioQuartiles[2].toFixed(3)}`,
          ],
        ],
      },
    ],
    verdicts: [
      verdict({
        target: `${JUDGED_ROUTE} throughput, API key / access token`,
        kind: 'ratio',
        measured: comparison.throughputRatio,
        limit: THROUGHPUT_RATIO,
        comparison: '>=',
        unit: '×',
      }),
    ],
    results: {
      accessToken: m.accessToken,
      apiKey: m.apiKey,
      comparison,
      othersCpuPercent: m.othersCpuPercent,
    },
    notes: [
      'Both arms hit the same tenant and route in one API process, with the tenant limiter on Redis; the ' +
        'token arm checks the JWT and the cached membership, the key arm the HMAC of the key and the cached ' +
        'key lookup. Neither should cost a database round trip for the check once warm, so the round trips ' +
        'per request should be equal (the page query itself).',
      sharedMachineRunsNote(m.waitedForQuietSeconds, m.repeatedForNoise),
    ],
  };
}
