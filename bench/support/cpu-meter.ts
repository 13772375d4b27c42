import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { cpuSnapshot, othersCpuPercent } from './machine-load';

export interface CpuMeasurement {
  wallMs: number;
  /** Machine CPU used by processes outside `ours` (percent of all cores), when measurable (Linux). */
  othersCpuPercent?: number;
  /** Each of `ours` that lived throughout: its CPU as a percent of one core. */
  oneCorePercentByPid: Record<number, number>;
}

/**
 * Watches a phase that is not a load round (a run of sequential requests, a mail stream): how busy
 * our processes were, and how much of the machine other people's processes took meanwhile.
 */
export function startCpuMeter(ours: number[]): { stop(): CpuMeasurement } {
  const startedAt = performance.now();
  const start = cpuSnapshot(ours);
  return {
    stop() {
      const end = cpuSnapshot(ours);
      const oneCorePercentByPid: Record<number, number> = {};
      if (start && end && end.totalTicks > start.totalTicks) {
        const oneCoreTicks = (end.totalTicks - start.totalTicks) / os.cpus().length;
        for (const [pid, ticks] of end.processTicks) {
          const before = start.processTicks.get(pid);
          if (before !== undefined) oneCorePercentByPid[pid] = (100 * (ticks - before)) / oneCoreTicks;
        }
      }
      return {
        wallMs: performance.now() - startedAt,
        othersCpuPercent: othersCpuPercent(start, end),
        oneCorePercentByPid,
      };
    },
  };
}
