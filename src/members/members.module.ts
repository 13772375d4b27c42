import { Module } from '@nestjs/common';
import { NotificationsModule } from '../database/notifications.module';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { BillingModule } from '../billing/billing.module';
import { IdentitiesModule } from '../identities/identities.module';
import { MailOutboxModule } from '../mail/outbox/mail-outbox.module';
import { Invitation } from './invitation.entity';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';
import { MembershipAccessCache } from './membership-access-cache';
import { MembershipChangeFeed } from './membership-change-feed';
import { MembershipEnrolment } from './membership-enrolment';
import { Membership } from './membership.entity';

@Module({
  imports: [
    NotificationsModule,
    AuditModule,
    BillingModule,
    IdentitiesModule,
    MailOutboxModule,
    TypeOrmModule.forFeature([Membership, Invitation]),
  ],
  controllers: [MembersController, InvitationsController],
  providers: [
    MembersService,
    MembersRepository,
    MembershipEnrolment,
    InvitationsService,
    MembershipChangeFeed,
    MembershipAccessCache,
  ],
  exports: [
    IdentitiesModule,
    MembersService,
    MembersRepository,
    MembershipEnrolment,
    InvitationsService,
    MembershipChangeFeed,
    MembershipAccessCache,
  ],
})
export class MembersModule {}
