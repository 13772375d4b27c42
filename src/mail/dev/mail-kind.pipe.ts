import { Injectable, type PipeTransform } from '@nestjs/common';
import { NotFoundException } from '../../common/errors/app.exception';
import { MAIL_KINDS, type MailKind } from '../mail.types';

/** A route parameter naming a mail kind: 404 for any other value. */
@Injectable()
export class MailKindPipe implements PipeTransform<string, MailKind> {
  transform(value: string): MailKind {
    if (!(MAIL_KINDS as readonly string[]).includes(value)) {
      throw new NotFoundException(`No mail kind "${value}"; kinds: ${MAIL_KINDS.join(', ')}`);
    }
    return value as MailKind;
  }
}
