import type { BenchOutcome, Table } from '../support/bench';
import { type ArmMeasurement, compareArms } from '../support/interleaved-runner';
import { machine, orDash } from '../support/report';
import { median, round } from '../support/stats';
import type { HttpBenchOptions } from './http-options';
import type { HttpAdapterName } from './http-adapter.child';
import type { ProfileSummary } from './profile-summary';

export interface AdapterRun extends Record<HttpAdapterName, ArmMeasurement> {
  othersCpuPercent?: number;
  repeatedForNoise: number;
}

interface HttpResults {
  options: HttpBenchOptions;
  runs: AdapterRun[];
  profiles: Record<HttpAdapterName, ProfileSummary>;
  headerDifferences: string[];
  waitedForQuietSeconds: number;
  parameters: Record<string, unknown>;
}

const ratio = (fastify: number, express: number) => round(fastify / express, 3);

function runsTable(runs: AdapterRun[]): Table {
  const rows: (string | number)[][] = [];
  runs.forEach((run, index) => {
    for (const adapter of ['express', 'fastify'] as const) {
      const arm = run[adapter];
      rows.push([
        index + 1,
        adapter,
        arm.throughput.toFixed(0),
        arm.latencyMs.p50.toFixed(2),
        arm.latencyMs.p99.toFixed(2),
        arm.cpuMsPerRequest.toFixed(3),
        orDash(run.othersCpuPercent),
        '',
      ]);
    }
    const { express, fastify } = run;
    rows.push([
      index + 1,
      'fastify / express',
      ratio(fastify.throughput, express.throughput),
      ratio(fastify.latencyMs.p50, express.latencyMs.p50),
      ratio(fastify.latencyMs.p99, express.latencyMs.p99),
      ratio(fastify.cpuMsPerRequest, express.cpuMsPerRequest),
      '',
      compareArms(fastify, express).sliceRatioQuartiles.join(' / '),
    ]);
  });
  return {
    title: 'GET /api/v1/projects by HTTP adapter, interleaved (each server in its own process)',
    columns: [
      'run',
      'adapter',
      'req/s',
      'p50 ms',
      'p99 ms',
      'API CPU ms/req',
      'others CPU %',
      'slice req/s ratio q1 / q2 / q3',
    ],
    rows,
  };
}

function profileTable(adapter: HttpAdapterName, profile: ProfileSummary): Table {
  return {
    title: `${adapter}: self time under load (${profile.busySamples} busy samples, GC ${(profile.gcShare * 100).toFixed(1)}%)`,
    columns: ['by package', 'share', 'by function', 'share'],
    rows: profile.topFunctions.map((entry, index) => {
      const pkg = profile.topPackages[index];
      return [
        pkg?.name ?? '',
        pkg ? `${(pkg.share * 100).toFixed(1)}%` : '',
        entry.name,
        `${(entry.share * 100).toFixed(1)}%`,
      ];
    }),
  };
}

export function httpOutcome(results: HttpResults): BenchOutcome {
  const medians = {
    throughputRatio: median(results.runs.map((run) => ratio(run.fastify.throughput, run.express.throughput))),
    cpuPerRequestRatio: median(
      results.runs.map((run) => ratio(run.fastify.cpuMsPerRequest, run.express.cpuMsPerRequest)),
    ),
    p99Ratio: median(results.runs.map((run) => ratio(run.fastify.latencyMs.p99, run.express.latencyMs.p99))),
  };
  return {
    quick: results.options.quick,
    parameters: { ...results.parameters, options: results.options, machine: machine() },
    tables: [
      runsTable(results.runs),
      profileTable('express', results.profiles.express),
      profileTable('fastify', results.profiles.fastify),
    ],
    verdicts: [],
    results: {
      runs: results.runs,
      medians,
      profiles: results.profiles,
      headerDifferences: results.headerDifferences,
      waitedForQuietSeconds: results.waitedForQuietSeconds,
    },
    notes: [
      `median over ${results.runs.length} runs, fastify / express: ${medians.throughputRatio}× req/s, ` +
        `${medians.cpuPerRequestRatio}× API CPU per request, ${medians.p99Ratio}× p99`,
      `headers that differ: ${results.headerDifferences.join('; ') || 'none'}`,
    ],
  };
}
