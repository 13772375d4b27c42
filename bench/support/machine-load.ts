import { readFileSync } from 'node:fs';

/** Background on an idle machine stays well below this; a test run or a build next door does not. */
export const OTHERS_CPU_LIMIT_PERCENT = 12;

/**
 * How much of the machine's CPU went to processes outside the measurement during a round: other
 * people's test runs on a shared machine move throughput by tens of percent, so a round they
 * disturbed is repeated rather than averaged in. Linux only (/proc); elsewhere nothing is measured.
 */
export interface CpuSnapshot {
  busyTicks: number;
  totalTicks: number;
  processTicks: Map<number, number>;
}

function machineTicks(): { busy: number; total: number } | undefined {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal (guest time is already inside user)
    const [user, nice, system, idle, iowait, irq, softirq, steal] = fields.map(Number);
    const busy = user + nice + system + irq + softirq + (steal || 0);
    return { busy, total: busy + idle + iowait };
  } catch {
    return undefined;
  }
}

/** Linux reports process CPU in USER_HZ ticks, which is 100 a second whatever the kernel's own rate. */
export const MS_PER_CPU_TICK = 10;

/** CPU (user + system) a process has used so far, in ticks; undefined once it is gone (or off Linux). */
export function processTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

export function cpuSnapshot(pids: number[]): CpuSnapshot | undefined {
  const machine = machineTicks();
  if (!machine) return undefined;
  const ticks = new Map<number, number>();
  for (const pid of pids) {
    const value = processTicks(pid);
    if (value !== undefined) ticks.set(pid, value);
  }
  return { busyTicks: machine.busy, totalTicks: machine.total, processTicks: ticks };
}

/**
 * Percent of the whole machine (all cores) busy with anything but our processes between two
 * snapshots. One of ours first seen in the end snapshot started in between (a new backend, an
 * autovacuum worker on our database): all its time is ours. One that ended in between is lost to
 * the others, which errs towards repeating a round.
 */
export function othersCpuPercent(
  start: CpuSnapshot | undefined,
  end: CpuSnapshot | undefined,
): number | undefined {
  if (!start || !end || end.totalTicks <= start.totalTicks) return undefined;
  let ours = 0;
  for (const [pid, ticks] of end.processTicks) ours += ticks - (start.processTicks.get(pid) ?? 0);
  const others = end.busyTicks - start.busyTicks - ours;
  return Math.max(0, (100 * others) / (end.totalTicks - start.totalTicks));
}

/** A phase of a bench and how much of the machine other processes took during it. */
export interface PhaseLoad {
  phase: string;
  othersCpuPercent?: number;
}

/** Whether other people's processes disturbed any phase, for a bench's notes; `disturbedNote` follows a disturbed list. */
export function sharedMachineNote(phases: PhaseLoad[], disturbedNote = ''): string {
  if (phases.every(({ othersCpuPercent }) => othersCpuPercent === undefined)) {
    return 'Load from other processes could not be measured on this platform.';
  }
  const disturbed = phases.filter(
    ({ othersCpuPercent }) => othersCpuPercent !== undefined && othersCpuPercent > OTHERS_CPU_LIMIT_PERCENT,
  );
  if (disturbed.length === 0) {
    return `Other processes took at most ${OTHERS_CPU_LIMIT_PERCENT}% of the machine's CPU in every phase (others CPU %).`;
  }
  return (
    `Shared machine: other processes took more than ${OTHERS_CPU_LIMIT_PERCENT}% of the machine's CPU during ` +
    `${disturbed.map(({ phase, othersCpuPercent }) => `${phase} (${othersCpuPercent}%)`).join(', ')}: ` +
    `the machine was shared.${disturbedNote ? ` ${disturbedNote}` : ''}`
  );
}

/** How a bench of interleaved runs dealt with other people's load, for its notes. */
export function sharedMachineRunsNote(waitedForQuietSeconds: number, repeatedForNoise: number): string {
  return (
    `Shared machine: runs waited for other processes to go quiet (${waitedForQuietSeconds} s in all), and ` +
    `runs they still disturbed (over ${OTHERS_CPU_LIMIT_PERCENT}% of the machine's CPU) were run again ` +
    `(${repeatedForNoise} time(s)); each run's share taken by others is in the JSON.`
  );
}
