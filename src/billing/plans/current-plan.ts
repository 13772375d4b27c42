import { Injectable } from '@nestjs/common';
import { InjectConfig, type AppConfig } from '../../config';
import { TenantContext } from '../../tenancy/tenant-context';
import { type Plan, PlanCatalogue } from './plan-catalogue';
import { type PlanResolutionRules, resolvePlan } from './plan-resolution';

/**
 * The plan of the current tenant, resolved from the billing state cached with the tenant in context:
 * gating costs no query. Webhooks invalidate the cached tenant when the subscription changes.
 */
@Injectable()
export class CurrentPlan {
  private readonly rules: PlanResolutionRules;

  constructor(
    private readonly tenantContext: TenantContext,
    private readonly catalogue: PlanCatalogue,
    @InjectConfig() config: AppConfig,
  ) {
    this.rules = { billingEnabled: config.stripe !== undefined, graceDays: config.billing.graceDays };
  }

  get plan(): Plan {
    return resolvePlan(this.tenantContext.tenant.billing, this.catalogue, this.rules);
  }
}
