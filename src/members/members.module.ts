import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Invitation } from './invitation.entity';
import { InvitationsController } from './invitations.controller';
import { InvitationsService } from './invitations.service';
import { MembersController } from './members.controller';
import { MembersService } from './members.service';
import { User } from './user.entity';

@Module({
  imports: [TypeOrmModule.forFeature([User, Invitation])],
  controllers: [MembersController, InvitationsController],
  providers: [MembersService, InvitationsService],
  exports: [MembersService, InvitationsService],
})
export class MembersModule {}
