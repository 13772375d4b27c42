import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { InjectConfig, type AppConfig } from '../config';

/**
 * `lastUsedAt` of API keys without a write per request: a use is noted in memory, and every
 * API_KEY_USAGE_FLUSH_MS (and at shutdown) the process writes what it noted, one statement per tenant.
 * A write never moves `last_used_at` back, so processes flushing in any order agree.
 */
@Injectable()
export class ApiKeyUsageRecorder implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ApiKeyUsageRecorder.name);
  /** Last use per key id, per tenant schema, since the last flush. */
  private pending = new Map<string, Map<string, Date>>();
  private timer?: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private readonly intervalMs: number;

  constructor(
    private readonly dataSource: DataSource,
    @InjectConfig() config: AppConfig,
  ) {
    this.intervalMs = config.auth.apiKeyUsageFlushMs;
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.flush(), this.intervalMs);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
  }

  noteUse(schemaName: string, apiKeyId: string, at = new Date()): void {
    let uses = this.pending.get(schemaName);
    if (!uses) {
      uses = new Map();
      this.pending.set(schemaName, uses);
    }
    uses.set(apiKeyId, at);
  }

  /** Writes every noted use; flushes run one after another. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.writePending());
    return this.flushing;
  }

  private async writePending(): Promise<void> {
    const batch = this.pending;
    if (batch.size === 0) return;
    this.pending = new Map();
    for (const [schemaName, uses] of batch) {
      try {
        await this.dataSource.query(
          `UPDATE "${schemaName}".api_keys AS k SET last_used_at = u.at
           FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at)
           WHERE k.id = u.id AND (k.last_used_at IS NULL OR k.last_used_at < u.at)`,
          [[...uses.keys()], [...uses.values()].map((at) => at.toISOString())],
        );
      } catch (error) {
        // Bookkeeping only: a tenant dropped meanwhile, or the database briefly away, loses these uses.
        this.logger.warn(`Could not write the last use of API keys in ${schemaName}: ${String(error)}`);
      }
    }
  }
}
