import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TenantCatalogue } from '../../tenancy/tenant-catalogue';
import { TenantContext } from '../../tenancy/tenant-context';
import { Tenant } from '../../tenancy/tenant.entity';
import type { TenantSecurityDto } from './dto/two-factor.dto';

/** The tenant's sign-in requirements, kept on its catalogue row so that every request has them cached. */
@Injectable()
export class TenantSecurityService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tenantContext: TenantContext,
    private readonly catalogue: TenantCatalogue,
  ) {}

  get(): TenantSecurityDto {
    return { require2fa: this.tenantContext.tenant.require2fa ?? false };
  }

  /** The row's change notification evicts the tenant from every process's cache; this one's at once. */
  async update({ require2fa }: TenantSecurityDto): Promise<TenantSecurityDto> {
    const { id, slug } = this.tenantContext.tenant;
    await this.dataSource.getRepository(Tenant).update({ id }, { require2fa });
    this.catalogue.invalidate(slug);
    return { require2fa };
  }
}
