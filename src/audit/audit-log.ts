import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PlanChangeListeners } from '../billing/plan-change-listeners';
import { currentApiKey, currentUser } from '../common/access/access.decorators';
import { type AuditAction, AuditEntry } from './audit-entry.entity';

/**
 * Writes audit entries inside the caller's tenant transaction; the actor is the signed-in user, or the
 * API key of the request.
 */
@Injectable()
export class AuditLog implements OnModuleInit {
  constructor(private readonly planChanges: PlanChangeListeners) {}

  onModuleInit(): void {
    this.planChanges.register(async (manager, change) => {
      await manager.query(
        `INSERT INTO "${change.schemaName}".audit_log (action, actor_id, target) VALUES ('plan.changed', NULL, $1)`,
        [`plan:${change.from}->${change.to}`],
      );
    });
  }

  async record(
    manager: EntityManager,
    action: AuditAction,
    target: string,
    actorId: string | null = currentUser()?.id ?? null,
  ): Promise<void> {
    const actorApiKeyId = actorId === null ? (currentApiKey()?.id ?? null) : null;
    await manager.insert(AuditEntry, { action, target, actorId, actorApiKeyId });
  }
}
