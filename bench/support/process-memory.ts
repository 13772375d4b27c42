import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
// A fresh context picks up the flag just set; the npm script cannot pass --expose-gc to ts-node.
const collectGarbage = runInNewContext('gc') as () => void;

export interface ProcessMemory {
  rssMb: number;
  heapUsedMb: number;
}

/** This process's memory after a full collection, so what is left is what is still held. */
export function memoryAfterGc(): ProcessMemory {
  collectGarbage();
  const { rss, heapUsed } = process.memoryUsage();
  return {
    rssMb: Math.round((rss / 2 ** 20) * 10) / 10,
    heapUsedMb: Math.round((heapUsed / 2 ** 20) * 10) / 10,
  };
}
