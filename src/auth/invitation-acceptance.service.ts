import { Injectable } from '@nestjs/common';
import { AuditLog } from '../audit/audit-log';
import { PlanLimits } from '../billing/gating/plan-limits';
import { toMemberDto } from '../members/dto/member.dto';
import { InvitationsService } from '../members/invitations.service';
import { MembershipEnrolment } from '../members/membership-enrolment';
import { Membership } from '../members/membership.entity';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database';
import { AuthService } from './auth.service';
import type { AcceptInvitationDto, SessionDto } from './dto/auth.dto';
import { VerifiedEmails } from './email/verified-emails';
import { IdentityClaims } from './identity-claims';
import type { RequestOrigin } from './sessions/request-origin.decorator';

/**
 * Joining a tenant with an invitation: an email that has an identity already joins with that
 * identity's password (the `name` sent is ignored), a new email becomes a new identity. Using the
 * mailed link proves the address, so accepting verifies it.
 */
@Injectable()
export class InvitationAcceptanceService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly invitations: InvitationsService,
    private readonly identityClaims: IdentityClaims,
    private readonly memberships: MembershipEnrolment,
    private readonly planLimits: PlanLimits,
    private readonly audit: AuditLog,
    private readonly auth: AuthService,
    private readonly verifiedEmails: VerifiedEmails,
  ) {}

  async accept({ token, name, password }: AcceptInvitationDto, origin: RequestOrigin): Promise<SessionDto> {
    // A bogus token is refused before it can cost a password check or hash; consume re-checks under lock.
    const pending = await this.invitations.findPending(token);
    const claim = await this.identityClaims.claim(pending.email, name, password);
    return this.tenantDatabase.transaction(async (manager) => {
      const invitation = await this.invitations.consume(manager, token);
      await this.planLimits.assertRoomFor(manager, 'members', () => manager.count(Membership));
      // Locked for update now, as it is marked verified below: two accepts of one identity that each
      // held a share lock would deadlock there, each update waiting for the other's lock to go.
      const identity = await this.identityClaims.settle(manager, claim, 'update');
      const member = await this.memberships.join(
        manager,
        { identity, role: invitation.role, invitedBy: invitation.invitedBy },
        this.tenantContext.tenant.id,
      );
      await this.audit.record(manager, 'member.joined', `user:${member.id}`, member.id);
      if (!identity.emailVerifiedAt) {
        await this.verifiedEmails.markVerified(manager, {
          identityId: identity.id,
          email: invitation.email,
          schemaName: this.tenantContext.tenant.schemaName,
        });
      }
      return { ...(await this.auth.startSession(manager, member, origin)), user: toMemberDto(member) };
    });
  }
}
