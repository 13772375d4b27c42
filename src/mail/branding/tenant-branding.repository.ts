import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TenantBranding } from '../mail.types';
import { defaultBranding } from '../tenant-branding';

interface BrandingRow {
  tenant_id: string;
  tenant_name: string;
  display_name: string | null;
  logo_url: string | null;
  primary_color: string | null;
  from_name: string | null;
  reply_to: string | null;
  support_url: string | null;
}

/** `public.tenant_branding`; a tenant without a row has the default branding made from its name. */
@Injectable()
export class TenantBrandingRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The branding of each tenant that exists, by tenant id. */
  async findByTenantIds(tenantIds: readonly string[]): Promise<Map<string, TenantBranding>> {
    const rows: BrandingRow[] = await this.dataSource.query(
      `SELECT t.id AS tenant_id, t.name AS tenant_name, b.display_name, b.logo_url, b.primary_color,
              b.from_name, b.reply_to, b.support_url
       FROM public.tenants t LEFT JOIN public.tenant_branding b ON b.tenant_id = t.id
       WHERE t.id = ANY($1::uuid[])`,
      [tenantIds],
    );
    return new Map(rows.map((row) => [row.tenant_id, brandingOf(row)]));
  }

  async findByTenantId(tenantId: string): Promise<TenantBranding | undefined> {
    return (await this.findByTenantIds([tenantId])).get(tenantId);
  }

  async save(tenantId: string, branding: TenantBranding): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO public.tenant_branding
         (tenant_id, display_name, logo_url, primary_color, from_name, reply_to, support_url)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (tenant_id) DO UPDATE SET
         display_name = EXCLUDED.display_name, logo_url = EXCLUDED.logo_url,
         primary_color = EXCLUDED.primary_color, from_name = EXCLUDED.from_name,
         reply_to = EXCLUDED.reply_to, support_url = EXCLUDED.support_url, updated_at = now()`,
      [
        tenantId,
        branding.displayName,
        branding.logoUrl ?? null,
        branding.primaryColor,
        branding.fromName,
        branding.replyTo ?? null,
        branding.supportUrl ?? null,
      ],
    );
  }
}

function brandingOf(row: BrandingRow): TenantBranding {
  if (row.display_name === null || row.primary_color === null || row.from_name === null) {
    return defaultBranding(row.tenant_name);
  }
  return {
    displayName: row.display_name,
    primaryColor: row.primary_color,
    fromName: row.from_name,
    ...(row.logo_url === null ? {} : { logoUrl: row.logo_url }),
    ...(row.reply_to === null ? {} : { replyTo: row.reply_to }),
    ...(row.support_url === null ? {} : { supportUrl: row.support_url }),
  };
}
