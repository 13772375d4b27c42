import type { TenantMigrationProgress, TenantMigrationSummary } from '../migrations/tenant-migration-run';

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

const BAR_WIDTH = 30;

function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60
    ? `${seconds}s`
    : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/**
 * Reports a migrate-all run: a redrawn bar (done/total, failures, ETA) on a terminal, one plain line
 * per tenant otherwise (CI logs, containers).
 */
export class MigrationProgressReporter {
  private readonly startedAt = Date.now();

  constructor(private readonly output: ProgressOutput) {}

  update(progress: TenantMigrationProgress): void {
    if (this.output.isTTY) {
      this.output.write(`\r${this.bar(progress)}`);
      if (progress.error) this.output.write(`\n  ${progress.slug}: FAILED ${progress.error}\n`);
      return;
    }
    const outcome = progress.error
      ? `FAILED ${progress.error}`
      : `applied ${progress.applied.length ? progress.applied.join(', ') : 'nothing'}`;
    this.output.write(`[${progress.done}/${progress.total}] ${progress.slug}: ${outcome}\n`);
  }

  summary(summary: TenantMigrationSummary): void {
    if (this.output.isTTY && summary.total > 0) this.output.write('\n');
    this.output.write(
      `Tenant schemas: ${summary.migrated} migrated, ${summary.failures.length} failed, ` +
        `${summary.skippedCurrent} already current (${formatDuration(summary.durationMs)})\n`,
    );
    for (const failure of summary.failures) {
      this.output.write(`  failed: ${failure.slug}: ${failure.error}\n`);
    }
  }

  private bar({ done, total, failed }: TenantMigrationProgress): string {
    const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
    const elapsed = Date.now() - this.startedAt;
    const eta = done === 0 ? '?' : formatDuration((elapsed / done) * (total - done));
    return `[${'#'.repeat(filled)}${'-'.repeat(BAR_WIDTH - filled)}] ${done}/${total} failed ${failed} ETA ${eta}`;
  }
}
