import { Injectable } from '@nestjs/common';
import { ClsService } from 'nestjs-cls';
import type { RequestContextStore } from '../common/request-context';
import { MissingTenantContextError } from './tenancy.errors';
import type { Tenant } from './tenant.entity';

/** What the context keeps of a tenant: the catalogue row, frozen, as cached. */
export type CurrentTenant = Readonly<
  Pick<Tenant, 'id' | 'slug' | 'name' | 'schemaName' | 'status' | 'plan'>
> & {
  /** The subscription as last applied from Stripe; the billing module resolves the plan from it. */
  readonly billing?: TenantBillingState;
  /** The owners' choice to require a second factor of every member; absent is false. */
  readonly require2fa?: boolean;
};

export type TenantBillingState = Readonly<
  Pick<
    Tenant,
    | 'stripePriceId'
    | 'subscriptionStatus'
    | 'pastDueSince'
    | 'currentPeriodEnd'
    | 'trialEnd'
    | 'cancelAtPeriodEnd'
  >
>;

interface TenantContextStore extends RequestContextStore {
  tenant?: CurrentTenant;
}

/** The tenant of the current request or job, held by nestjs-cls. */
@Injectable()
export class TenantContext {
  constructor(private readonly cls: ClsService<TenantContextStore>) {}

  /** The current tenant; throws when there is none, so tenant code cannot run without one. */
  get tenant(): CurrentTenant {
    const tenant = this.cls.isActive() ? this.cls.get('tenant') : undefined;
    if (!tenant) throw new MissingTenantContextError();
    return tenant;
  }

  get hasTenant(): boolean {
    return this.cls.isActive() && this.cls.get('tenant') !== undefined;
  }

  /** Sets the tenant of the active context (a request, or a job run inside `runAs`). */
  enter(tenant: CurrentTenant): void {
    this.cls.set('tenant', tenant);
    this.cls.set('tenantSlug', tenant.slug);
  }

  /** Runs work in a fresh context with the given tenant: for jobs, CLIs and tests. */
  runAs<T>(tenant: CurrentTenant, work: () => Promise<T>): Promise<T> {
    return this.cls.run({ ifNested: 'override' }, () => {
      this.enter(tenant);
      return work();
    });
  }
}
