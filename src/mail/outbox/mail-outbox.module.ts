import { Module } from '@nestjs/common';
import { MailOutbox } from './mail-outbox';

/** The outbox a feature imports to queue mail in its own transaction; MailModule sends what it holds. */
@Module({
  providers: [MailOutbox],
  exports: [MailOutbox],
})
export class MailOutboxModule {}
