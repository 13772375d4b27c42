import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentitiesModule } from '../identities/identities.module';
import { Invitation } from './invitation.entity';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { MembersController } from './members.controller';
import { MembersRepository } from './members.repository';
import { MembersService } from './members.service';
import { Membership } from './membership.entity';

@Module({
  imports: [IdentitiesModule, TypeOrmModule.forFeature([Membership, Invitation])],
  controllers: [MembersController, InvitationsController],
  providers: [MembersService, MembersRepository, InvitationsService],
  exports: [IdentitiesModule, MembersService, MembersRepository, InvitationsService],
})
export class MembersModule {}
