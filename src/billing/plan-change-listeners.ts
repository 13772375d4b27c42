import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

export interface PlanChange {
  tenantId: string;
  schemaName: string;
  from: string;
  to: string;
  /** The Stripe event that caused it. */
  eventId: string;
}

export type PlanChangeListener = (manager: EntityManager, change: PlanChange) => Promise<void>;

/**
 * Lets higher modules (the audit log) act on plan changes inside the webhook's transaction, so what
 * they write commits with the change, without billing importing them.
 */
@Injectable()
export class PlanChangeListeners {
  private readonly listeners: PlanChangeListener[] = [];

  register(listener: PlanChangeListener): void {
    this.listeners.push(listener);
  }

  async notify(manager: EntityManager, change: PlanChange): Promise<void> {
    for (const listener of this.listeners) await listener(manager, change);
  }
}
