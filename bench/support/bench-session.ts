import type { Bench, BenchOutcome } from './bench';
import { type BenchApp, type BenchAppOptions, startBenchApp } from './bench-app';
import { type BenchDatabase, createBenchDatabase } from './bench-database';
import { InterleavedRunner } from './interleaved-runner';
import { LoadGenerator } from './load-generator';

interface Closable {
  close(): unknown;
}

/** What a bench measures with: a fresh database, and everything it opens closed when it ends. */
export interface BenchSession {
  database: BenchDatabase;
  /** Progress for the person watching; not part of the results. */
  progress: (line: string) => void;
  /** Closes `resource` when the bench ends, the last one opened first, before the database goes. */
  closeAtEnd: <T extends Closable>(resource: T) => T;
  /** The API on the bench database (see `startBenchApp`), closed at the end. */
  startApp: (options?: Omit<BenchAppOptions, 'database'>) => Promise<BenchApp>;
  /** A load generator, closed at the end, and a runner that interleaves arms on the API at `url`. */
  interleavedRunner: (url: string) => InterleavedRunner;
}

/** What every bench's options hold: see `BenchOptions`. */
interface SessionOptions {
  quick: boolean;
  /** Leave the database in place afterwards (for a look). */
  keepDatabase: boolean;
}

async function closeInReverse(resources: Closable[]): Promise<void> {
  const failures: unknown[] = [];
  for (const resource of resources.reverse()) {
    try {
      await resource.close();
    } catch (error) {
      failures.push(error);
    }
  }
  if (failures.length > 0) throw failures[0];
}

/**
 * A bench as every one here runs: its options parsed, then `measure` on a fresh database named
 * `databaseName`; afterwards what it opened is closed and the database dropped (or kept).
 */
export function benchOnFreshDatabase<Options extends SessionOptions>(
  databaseName: string,
  parseOptions: (args: string[]) => Options,
  measure: (session: BenchSession, options: Options) => Promise<BenchOutcome>,
): Bench {
  return {
    async run({ args, progress }) {
      const options = parseOptions(args);
      progress(`fresh database ${databaseName}`);
      const database = await createBenchDatabase(databaseName);
      const resources: Closable[] = [];
      const closeAtEnd = <R extends Closable>(resource: R): R => {
        resources.push(resource);
        return resource;
      };
      try {
        return await measure(
          {
            database,
            progress,
            closeAtEnd,
            startApp: async (appOptions) =>
              closeAtEnd(await startBenchApp({ ...appOptions, database: database.endpoint })),
            interleavedRunner: (url) =>
              // A smoke run should not sit out other people's test runs for long.
              new InterleavedRunner(
                closeAtEnd(LoadGenerator.start()),
                database,
                url,
                progress,
                options.quick ? 60_000 : 15 * 60_000,
              ),
          },
          options,
        );
      } finally {
        try {
          await closeInReverse(resources);
        } finally {
          if (options.keepDatabase) {
            progress(`kept database ${databaseName}`);
            await database.close();
          } else {
            await database.drop();
          }
        }
      }
    },
  };
}
