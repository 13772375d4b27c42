import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import bcrypt from 'bcryptjs';
import { median, round } from '../support/stats';

export interface OperationTimes {
  samples: number;
  p50Ms: number;
  meanMs: number;
  maxMs: number;
  /** CPU of this process per operation: bcryptjs is plain JavaScript on the event loop's thread. */
  cpuMsMean: number;
}

export interface BcryptTimes {
  cost: number;
  hash: OperationTimes;
  compare: OperationTimes;
}

async function timeOperation(samples: number, operation: () => Promise<unknown>): Promise<OperationTimes> {
  const wall: number[] = [];
  let cpuMicros = 0;
  for (let index = 0; index < samples; index++) {
    const cpuAtStart = process.cpuUsage();
    const startedAt = performance.now();
    await operation();
    wall.push(performance.now() - startedAt);
    const cpu = process.cpuUsage(cpuAtStart);
    cpuMicros += cpu.user + cpu.system;
  }
  return {
    samples,
    p50Ms: round(median(wall), 1),
    meanMs: round(wall.reduce((sum, ms) => sum + ms, 0) / samples, 1),
    maxMs: round(Math.max(...wall), 1),
    cpuMsMean: round(cpuMicros / 1000 / samples, 1),
  };
}

/**
 * bcryptjs `hash` and `compare` at the app's cost, one at a time while the API is idle: the price of
 * the hashing alone, to set against the signup and login timings of the same run.
 */
export async function timeBcrypt(cost: number, samples: number): Promise<BcryptTimes> {
  const password = `bench-${randomBytes(12).toString('hex')}`;
  const stored = await bcrypt.hash(password, cost);
  return {
    cost,
    hash: await timeOperation(samples, () => bcrypt.hash(password, cost)),
    compare: await timeOperation(samples, () => bcrypt.compare(password, stored)),
  };
}
