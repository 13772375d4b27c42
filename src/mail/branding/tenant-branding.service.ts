import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../tenancy/tenant-context';
import type { TenantBranding } from '../mail.types';
import { defaultBranding } from '../tenant-branding';
import { TenantBrandingDto, type UpdateTenantBrandingDto } from './dto/tenant-branding.dto';
import { TenantBrandingRepository } from './tenant-branding.repository';

/** The current tenant's mail branding. */
@Injectable()
export class TenantBrandingService {
  constructor(
    private readonly context: TenantContext,
    private readonly repository: TenantBrandingRepository,
  ) {}

  async current(): Promise<TenantBranding> {
    const { id, name } = this.context.tenant;
    return (await this.repository.findByTenantId(id)) ?? defaultBranding(name);
  }

  async get(): Promise<TenantBrandingDto> {
    return TenantBrandingDto.of(await this.current());
  }

  async replace(update: UpdateTenantBrandingDto): Promise<TenantBrandingDto> {
    const branding: TenantBranding = {
      displayName: update.displayName,
      primaryColor: update.primaryColor.toLowerCase(),
      fromName: update.fromName,
      ...(update.logoUrl ? { logoUrl: update.logoUrl } : {}),
      ...(update.replyTo ? { replyTo: update.replyTo } : {}),
      ...(update.supportUrl ? { supportUrl: update.supportUrl } : {}),
    };
    await this.repository.save(this.context.tenant.id, branding);
    return TenantBrandingDto.of(branding);
  }
}
