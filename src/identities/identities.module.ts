import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentitiesService } from './identities.service';
import { IdentityMembership } from './identity-membership.entity';
import { Identity } from './identity.entity';
import { IdentityTenantsController } from './identity-tenants.controller';
import { MembershipDirectory } from './membership-directory';

/** People (identities) and the shared directory of the tenants they are members of. */
@Module({
  imports: [TypeOrmModule.forFeature([Identity, IdentityMembership])],
  controllers: [IdentityTenantsController],
  providers: [IdentitiesService, MembershipDirectory],
  exports: [IdentitiesService, MembershipDirectory],
})
export class IdentitiesModule {}
