import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { AppConfig } from '../../src/config';
import { openCliDataSource } from '../../src/tenancy/cli/cli-data-source';
import { parseMigrationRunArgs, runMigrationCommand } from '../../src/tenancy/cli/migration-run.command';
import type { ProgressOutput } from '../../src/tenancy/cli/progress-reporter';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';
import { loadTenantMigrations, toTenantMigrations } from '../../src/tenancy/migrations/tenant-migration';
import { TenantSchemaMigrator } from '../../src/tenancy/migrations/tenant-schema-migrator';
import { benchEnvironment } from '../support/bench-app';
import { round } from '../support/stats';
import { CreateBenchNotes9999999999999 } from './bench-migration';

const PROJECT_ROOT = path.join(__dirname, '..', '..');

export interface MigrationCommandRun {
  seconds: number;
  exitCode: number;
  /** The command's own summary line, e.g. "Tenant schemas: 1000 migrated, 0 failed, …". */
  summary: string;
}

export interface MigrationRunMeasurement {
  tenants: number;
  concurrency: number;
  oneNewMigration: MigrationCommandRun;
  nothingPending: MigrationCommandRun;
  /** `npm run migration:run`'s own command as a process, nothing pending: ts-node start-up included. */
  cliProcessNothingPending: MigrationCommandRun;
}

/** The non-TTY output of the command: one line per tenant, passed on every tenth of the way. */
class CapturedOutput implements ProgressOutput {
  readonly isTTY = false;
  readonly summaryLines: string[] = [];

  constructor(
    private readonly total: number,
    private readonly progress: (line: string) => void,
  ) {}

  write(text: string): void {
    for (const line of text.split('\n').filter(Boolean)) {
      const step = /^\[(\d+)\/(\d+)\]/.exec(line);
      if (!step) this.summaryLines.push(line.trim());
      else if (Number(step[1]) % Math.max(1, Math.round(this.total / 10)) === 0) this.progress(`  ${line}`);
    }
  }
}

async function timedCommand(
  config: AppConfig,
  migrator: TenantSchemaMigrator,
  tenants: number,
  progress: (line: string) => void,
): Promise<MigrationCommandRun> {
  // As `migration:run`'s main does: default options, a pool the size of the concurrency.
  const options = parseMigrationRunArgs([], config.tenancy.migrationConcurrency);
  const output = new CapturedOutput(tenants, progress);
  const startedAt = performance.now();
  const cli = await openCliDataSource(config, options.concurrency);
  let exitCode: number;
  try {
    exitCode = await runMigrationCommand(cli.dataSource, migrator, options, output);
  } finally {
    await cli.close();
  }
  return {
    seconds: round((performance.now() - startedAt) / 1000),
    exitCode,
    summary: output.summaryLines.filter((line) => line.startsWith('Tenant schemas')).join(' ') || '?',
  };
}

function cliProcess(database: DatabaseEndpoint): Promise<MigrationCommandRun> {
  const startedAt = performance.now();
  const child = spawn(
    process.execPath,
    [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'src/tenancy/cli/migration-run.main.ts'],
    {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...benchEnvironment(database) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        seconds: round((performance.now() - startedAt) / 1000),
        exitCode: code ?? 1,
        summary: output
          .split('\n')
          .filter((line) => line.startsWith('Tenant schemas') || /fail/i.test(line))
          .join(' '),
      }),
    );
  });
}

/**
 * `migration:run` through its command function (shared migrations, then every tenant schema that is
 * behind, default concurrency): once with one new bench migration pending everywhere, then again
 * with nothing pending, then the real CLI process with nothing pending.
 */
export async function measureMigrationRun(
  config: AppConfig,
  database: DatabaseEndpoint,
  tenants: number,
  progress: (line: string) => void,
): Promise<MigrationRunMeasurement> {
  const migrator = new TenantSchemaMigrator([
    ...loadTenantMigrations(),
    ...toTenantMigrations([CreateBenchNotes9999999999999]),
  ]);
  progress(`migration:run, one new migration over ${tenants} tenants`);
  const oneNewMigration = await timedCommand(config, migrator, tenants, progress);
  progress(`  ${oneNewMigration.summary}`);
  progress('migration:run, nothing pending');
  const nothingPending = await timedCommand(config, migrator, tenants, progress);
  progress(`  ${nothingPending.summary}`);
  progress('npm run migration:run (the CLI process), nothing pending');
  const cliProcessNothingPending = await cliProcess(database);
  progress(`  ${cliProcessNothingPending.summary} (${cliProcessNothingPending.seconds} s)`);
  return {
    tenants,
    concurrency: config.tenancy.migrationConcurrency,
    oneNewMigration,
    nothingPending,
    cliProcessNothingPending,
  };
}
