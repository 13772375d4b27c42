import { Injectable, NestMiddleware } from '@nestjs/common';
import type { ServerResponse } from 'node:http';
import type { MiddlewareRequest } from '../common/http/middleware-request';
import { InjectConfig, type AppConfig } from '../config';
import { TenantNotFoundException, TenantRequiredException, TenantSuspendedException } from './tenancy.errors';
import { TenantCatalogue } from './tenant-catalogue';
import { TenantContext } from './tenant-context';
import { isValidSlug } from './tenant-slug';

export const TENANT_HEADER = 'X-Tenant';

/** Resolves the tenant of a tenant route (subdomain of APP_DOMAIN, else X-Tenant) into the TenantContext. */
@Injectable()
export class TenantResolutionMiddleware implements NestMiddleware {
  constructor(
    private readonly catalogue: TenantCatalogue,
    private readonly context: TenantContext,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  async use(request: MiddlewareRequest, _response: ServerResponse, next: () => void): Promise<void> {
    const slug = this.slugFromHost(request.hostname) ?? this.slugFromHeader(request);
    if (slug === undefined) throw new TenantRequiredException();
    const tenant = isValidSlug(slug) ? await this.catalogue.findBySlug(slug) : undefined;
    if (!tenant) throw new TenantNotFoundException(slug);
    if (tenant.status === 'suspended') throw new TenantSuspendedException(slug);
    this.context.enter(tenant);
    next();
  }

  private slugFromHost(hostname: string | undefined): string | undefined {
    const domain = this.config.http.domain;
    if (!domain || !hostname) return undefined;
    const host = hostname.toLowerCase();
    if (!host.endsWith(`.${domain}`)) return undefined;
    const label = host.slice(0, -domain.length - 1);
    return label && !label.includes('.') && label !== 'www' ? label : undefined;
  }

  private slugFromHeader(request: MiddlewareRequest): string | undefined {
    const header = request.headers[TENANT_HEADER.toLowerCase()];
    const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
    return value ? value : undefined;
  }
}
