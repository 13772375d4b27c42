import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PlanLimitReachedException } from '../billing.errors';
import { CurrentPlan } from '../plans/current-plan';
import type { RegisteredPlanLimit } from '../plans/plan-limit-registry';

/** The tenant's members, or a resource of a feature module that registered its limit. */
export type CountedLimit = 'members' | RegisteredPlanLimit;

/**
 * Limit checks for countable resources, inside the transaction that adds one. A transaction-scoped
 * advisory lock per tenant and resource serialises concurrent adds, so two creates at the limit cannot
 * both see room.
 */
@Injectable()
export class PlanLimits {
  constructor(private readonly currentPlan: CurrentPlan) {}

  async assertRoomFor(
    manager: EntityManager,
    limit: CountedLimit,
    countUsed: () => Promise<number>,
  ): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext(current_schema() || ':' || $1))`, [limit]);
    const allowed = this.currentPlan.plan.limits[limit];
    const used = await countUsed();
    if (used >= allowed) throw new PlanLimitReachedException(limit, used, allowed);
  }
}
