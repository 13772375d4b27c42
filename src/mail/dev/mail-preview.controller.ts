import { Get, Header, Injectable, Param, type PipeTransform } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/access/access.decorators';
import { NotFoundException } from '../../common/errors/app.exception';
import { TenantContext } from '../../tenancy/tenant-context';
import { TenantController } from '../../tenancy/tenant-controller.decorator';
import { TenantBrandingService } from '../branding/tenant-branding.service';
import { MailRenderer } from '../mail-renderer';
import { MAIL_KINDS, type MailKind } from '../mail.types';
import { sampleContentOf } from './mail-preview.samples';

@Injectable()
class MailKindPipe implements PipeTransform<string, MailKind> {
  transform(value: string): MailKind {
    if (!(MAIL_KINDS as readonly string[]).includes(value)) {
      throw new NotFoundException(`No mail kind "${value}"; kinds: ${MAIL_KINDS.join(', ')}`);
    }
    return value as MailKind;
  }
}

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

/**
 * `GET /dev/mail/:kind`: a template with the current tenant's branding, to open in a browser while
 * working on templates; registered outside production only, hence public.
 */
@ApiExcludeController()
@Public()
@TenantController('dev/mail')
export class MailPreviewController {
  constructor(private readonly preview: MailPreviewService) {}

  @Get(':kind')
  @Header('Content-Type', 'text/html; charset=utf-8')
  render(@Param('kind', MailKindPipe) kind: MailKind): Promise<string> {
    return this.preview.html(kind);
  }
}
