import { Injectable } from '@nestjs/common';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantBrandingService } from '../branding/tenant-branding.service';
import { MailRenderer } from '../mail-renderer';
import type { MailKind } from '../mail.types';
import { sampleContentOf } from './mail-preview.samples';

@Injectable()
export class MailPreviewService {
  constructor(
    private readonly context: TenantContext,
    private readonly branding: TenantBrandingService,
    private readonly renderer: MailRenderer,
  ) {}

  async html(kind: MailKind): Promise<string> {
    const content = sampleContentOf(kind, this.context.tenant.slug);
    return this.renderer.render(content, await this.branding.current()).html;
  }
}
