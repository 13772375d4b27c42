import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../common/access/access.decorators';
import { isUniqueViolation } from '../database/unique-violation';
import type { Identity } from '../identities/identity.entity';
import { MembershipDirectory } from '../identities/membership-directory';
import { EmailTakenException } from './members.errors';
import type { Member } from './members.repository';
import { Membership } from './membership.entity';

export interface NewMembership {
  identity: Pick<Identity, 'id' | 'email' | 'name'>;
  role: Role;
  invitedBy: string | null;
}

/** How an identity becomes a member of a tenant: by signup, an accepted invitation or the command line. */
@Injectable()
export class MembershipEnrolment {
  constructor(private readonly directory: MembershipDirectory) {}

  /**
   * Inside the caller's transaction in the tenant's schema: the membership there and its entry in the
   * shared directory. An identity that is a member already is EMAIL_TAKEN.
   */
  async join(
    manager: EntityManager,
    { identity, role, invitedBy }: NewMembership,
    tenantId: string,
  ): Promise<Member> {
    let membership: Membership;
    try {
      membership = await manager.save(
        manager.create(Membership, { identityId: identity.id, role, invitedBy }),
      );
    } catch (error) {
      if (isUniqueViolation(error, 'memberships_identity_id_key'))
        throw new EmailTakenException(identity.email);
      throw error;
    }
    await this.directory.record(manager, {
      identityId: identity.id,
      tenantId,
      membershipId: membership.id,
      role,
    });
    return { id: membership.id, identityId: identity.id, email: identity.email, name: identity.name, role };
  }
}
