import 'reflect-metadata';
import path from 'node:path';
import type { Bench } from './support/bench';
import { formatTable, verdictTable, writeResults } from './support/report';

/**
 * `npm run bench -- <name> [options]`. A bench is one line here; its code lives in
 * `bench/<name>/<name>.bench.ts`, exporting `bench`, loaded only when it is run.
 */
const BENCHES: Record<string, string> = {
  tenancy: 'GET /projects tenant path vs bypass, 1/1,000/5,000 tenants, provisioning, migration:run',
  auth: 'signup latency (hashing + provisioning), login throughput, bcrypt share, unknown-email timing',
  mail: 'outbox → RabbitMQ → worker → fake Resend at 2 requests/s: sustained mails/s, commit-to-receipt latency',
  ratelimit: 'a tenant route with the per-tenant limiter on Redis vs off: throughput ratio, added p99',
  'api-keys': 'GET /api/v1/projects with an API key vs with an access token, interleaved: throughput ratio',
};

function loadBench(name: string): Bench {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(path.join(__dirname, name, `${name}.bench`)) as { bench: Bench }).bench;
}

function listBenches(): void {
  const width = Math.max(...Object.keys(BENCHES).map((name) => name.length));
  process.stdout.write(
    'Usage: npm run bench -- <name> [--quick] [bench options]\n\nBenches:\n' +
      Object.entries(BENCHES)
        .map(([name, description]) => `  ${name.padEnd(width)}  ${description}\n`)
        .join(''),
  );
}

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    listBenches();
    return 0;
  }
  if (!(name in BENCHES)) {
    process.stderr.write(`Unknown bench "${name}".\n`);
    listBenches();
    return 1;
  }
  const startedAt = new Date();
  const outcome = await loadBench(name).run({
    args,
    progress: (line) => process.stderr.write(`[${name}] ${line}\n`),
  });
  const tables = [...outcome.tables, verdictTable(outcome.verdicts)];
  process.stdout.write(`\n${tables.map(formatTable).join('\n\n')}\n\n`);
  for (const note of outcome.notes) process.stdout.write(`Note: ${note}\n`);
  const file = writeResults(name, outcome, startedAt);
  process.stdout.write(`\nResults: ${path.relative(process.cwd(), file)}\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
