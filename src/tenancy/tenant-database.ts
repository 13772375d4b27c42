import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import { DataSource, EntityManager } from 'typeorm';
import { TenantContext } from './tenant-context';
import { readInTenantSchema, runInTenantSchema } from './tenant-transaction';

const RUNNING_TRANSACTION = 'tenantTransaction';

interface RunningTenantTransaction {
  schemaName: string;
  manager: EntityManager;
}

/**
 * The one way tenant code reaches tenant data: a read or a transaction pinned to the current tenant's
 * schema. Without a tenant in context it throws; a call inside a running tenant transaction joins it.
 */
@Injectable()
export class TenantDatabase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly context: TenantContext,
    private readonly cls: ClsService,
  ) {}

  /**
   * Read-only work, each statement pinned on its own (no transaction held between statements, writes
   * refused by PostgreSQL): the cheapest way to serve a GET. Inside a running transaction, joins it.
   */
  async read<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { schemaName } = this.context.tenant;
    const running = this.runningTransaction(schemaName);
    if (running) return work(running.manager);
    return readInTenantSchema(this.dataSource, schemaName, work);
  }

  /** Work that writes, or needs its statements to see one another: one pinned transaction. */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const { schemaName } = this.context.tenant;
    const running = this.runningTransaction(schemaName);
    if (running) return work(running.manager);
    return runInTenantSchema(this.dataSource, schemaName, (manager) =>
      this.cls.run({ ifNested: 'inherit' }, () => {
        this.cls.set<RunningTenantTransaction>(RUNNING_TRANSACTION, { schemaName, manager });
        return work(manager);
      }),
    );
  }

  private runningTransaction(schemaName: string): RunningTenantTransaction | undefined {
    const running = this.cls.get<RunningTenantTransaction | undefined>(RUNNING_TRANSACTION);
    if (running && running.schemaName !== schemaName) {
      throw new Error('A tenant transaction cannot span two tenants');
    }
    return running;
  }
}
