import { Get, Header, Param } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../common/access/access.decorators';
import { TenantController } from '../../tenancy/tenant-controller.decorator';
import type { MailKind } from '../mail.types';
import { MailKindPipe } from './mail-kind.pipe';
import { MailPreviewService } from './mail-preview.service';

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
