import type {
  DataSource,
  EntityManager,
  EntitySubscriberInterface,
  TransactionCommitEvent,
  TransactionRollbackEvent,
} from 'typeorm';

/**
 * Work a transaction leaves for after its commit: `apply` runs for each change once the transaction
 * `manager` runs in commits (at once outside a transaction); a rollback drops them. The caches use it
 * to evict what this process committed before its next request, without waiting for the notification.
 */
export class AfterCommit<Change> implements EntitySubscriberInterface {
  /** Where a transaction keeps its changes until it ends (QueryRunner#data), one key per instance. */
  private readonly key = Symbol('changes committed later');

  constructor(
    dataSource: DataSource,
    private readonly apply: (change: Change) => void,
  ) {
    // TypeORM's documented way for a subscriber built outside its entity scan: it hears every commit.
    dataSource.subscribers.push(this);
  }

  add(manager: EntityManager, change: Change): void {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) return this.apply(change);
    const data = runner.data as Record<symbol, Change[] | undefined>;
    (data[this.key] ??= []).push(change);
  }

  afterTransactionCommit({ queryRunner }: TransactionCommitEvent): void {
    // A released savepoint: the transaction, and what it changed, is not committed yet.
    if (queryRunner.isTransactionActive) return;
    const data = queryRunner.data as Record<symbol, Change[] | undefined>;
    const changes = data[this.key];
    delete data[this.key];
    changes?.forEach((change) => this.apply(change));
  }

  afterTransactionRollback({ queryRunner }: TransactionRollbackEvent): void {
    if (queryRunner.isTransactionActive) return;
    delete (queryRunner.data as Record<symbol, unknown>)[this.key];
  }
}
