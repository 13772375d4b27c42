import { Injectable } from '@nestjs/common';
import { type EntityManager, type FindOptionsWhere, In } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { PlanLimits } from '../billing/gating/plan-limits';
import type { AuthenticatedUser, Role } from '../common/access/access.decorators';
import { hashSecretToken, newSecretToken } from '../common/access/secret-token';
import { InjectConfig, type AppConfig } from '../config';
import { normalizeEmail } from '../identities/normalize-email';
import { MailOutbox } from '../mail/outbox/mail-outbox';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database';
import {
  type CreateInvitationDto,
  INVITABLE_ROLES,
  type InvitationDto,
  type PendingInvitationDto,
} from './dto/invitation.dto';
import { mayInvite } from './invitation-rules';
import { Invitation, isPending, pendingInvitationsWhere } from './invitation.entity';
import {
  AlreadyMemberException,
  ForbiddenActionException,
  InvalidTokenException,
  InvitationNotFoundException,
} from './members.errors';
import { MembersRepository } from './members.repository';
import { Membership } from './membership.entity';

const INVALID_INVITATION = 'The invitation is invalid, used, revoked or expired';

/**
 * Invitations: a single-use, expiring, revocable token mailed to the invitee, worth only as much as its
 * inviter's power. Membership rows are locked before invitation rows, the order role changes take them in.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly mailOutbox: MailOutbox,
    private readonly planLimits: PlanLimits,
    private readonly audit: AuditLog,
    private readonly members: MembersRepository,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  invite(actor: AuthenticatedUser, input: CreateInvitationDto): Promise<InvitationDto> {
    const tenant = this.tenantContext.tenant;
    const email = normalizeEmail(input.email);
    return this.tenantDatabase.transaction(async (manager) => {
      // Shared-locked, so a concurrent demotion or removal waits for this invitation and revokes it.
      const inviter = await this.members.lockForShare(manager, actor.id);
      if (!mayInvite(inviter?.role, input.role) || !inviter) {
        throw new ForbiddenActionException(`Your role cannot invite as ${input.role}`);
      }
      if (await this.members.isMember(manager, email)) throw new AlreadyMemberException(email);
      // Pending invitations count as members: each may be accepted.
      await this.planLimits.assertRoomFor(manager, 'members', async () => {
        const pending = await manager.countBy(Invitation, pendingInvitationsWhere());
        return (await manager.count(Membership)) + pending;
      });
      const token = newSecretToken();
      const expiresAt = new Date(Date.now() + this.config.auth.invitationTtlHours * 3_600_000);
      const invitation = await manager.save(
        manager.create(Invitation, {
          email,
          role: input.role,
          tokenHash: hashSecretToken(token),
          invitedBy: actor.id,
          expiresAt,
          acceptedAt: null,
          revokedAt: null,
        }),
      );
      await this.audit.record(manager, 'member.invited', `invitation:${invitation.id}`, actor.id);
      await this.mailOutbox.enqueue(manager, {
        tenantId: tenant.id,
        to: email,
        content: {
          kind: 'invitation',
          data: {
            inviterName: inviter.name,
            role: input.role,
            token,
            tenantSlug: tenant.slug,
            expiresAt: expiresAt.toISOString(),
          },
        },
      });
      return { id: invitation.id, email, role: invitation.role, expiresAt: expiresAt.toISOString() };
    });
  }

  listPending(): Promise<PendingInvitationDto[]> {
    return this.tenantDatabase.read(async (manager) =>
      (
        await manager.find(Invitation, {
          where: pendingInvitationsWhere(),
          order: { createdAt: 'ASC', id: 'ASC' },
        })
      ).map((invitation) => ({
        id: invitation.id,
        email: invitation.email,
        role: invitation.role,
        invitedBy: invitation.invitedBy,
        createdAt: invitation.createdAt.toISOString(),
        expiresAt: invitation.expiresAt.toISOString(),
      })),
    );
  }

  /** Revokes a pending invitation; anything else (accepted, revoked, expired, unknown) is NOT_FOUND. */
  revoke(actor: AuthenticatedUser, invitationId: string): Promise<void> {
    return this.tenantDatabase.transaction(async (manager) => {
      const revoked = await this.revokePending(manager, { id: invitationId }, actor.id);
      if (revoked === 0) throw new InvitationNotFoundException();
    });
  }

  /**
   * Inside a role change or removal, with the inviter's row locked: revokes the pending invitations
   * they sent that `remainingRole` (undefined once removed) could not send.
   */
  async revokeUngrantable(
    manager: EntityManager,
    inviterId: string,
    remainingRole: Role | undefined,
    actorId: string,
  ): Promise<void> {
    const ungrantable = INVITABLE_ROLES.filter((role) => !mayInvite(remainingRole, role));
    if (ungrantable.length === 0) return;
    await this.revokePending(manager, { invitedBy: inviterId, role: In(ungrantable) }, actorId);
  }

  /**
   * The pending invitation of the token, read before any costly work (a password check or hash), so a
   * bogus token costs a lookup only. `consume` checks it again under its lock.
   */
  async findPending(token: string): Promise<Invitation> {
    const invitation = await this.tenantDatabase.read((manager) =>
      manager.findOneBy(Invitation, { tokenHash: hashSecretToken(token) }),
    );
    if (!invitation || !isPending(invitation)) throw new InvalidTokenException(INVALID_INVITATION);
    return invitation;
  }

  /**
   * Spends an invitation inside the caller's tenant transaction. The inviter must still be a member
   * whose current role may grant the invited one; any unusable token is INVALID_TOKEN.
   */
  async consume(manager: EntityManager, token: string): Promise<Invitation> {
    const found = await manager.findOneBy(Invitation, { tokenHash: hashSecretToken(token) });
    if (!found?.invitedBy || !isPending(found)) throw new InvalidTokenException(INVALID_INVITATION);
    const inviter = await manager.findOne(Membership, {
      where: { id: found.invitedBy },
      lock: { mode: 'pessimistic_read' },
    });
    const invitation = await manager.findOne(Invitation, {
      where: { id: found.id },
      lock: { mode: 'pessimistic_write' },
    });
    if (
      !invitation ||
      !isPending(invitation) ||
      invitation.invitedBy !== inviter?.id ||
      !mayInvite(inviter.role, invitation.role)
    ) {
      throw new InvalidTokenException(INVALID_INVITATION);
    }
    invitation.acceptedAt = new Date();
    await manager.save(invitation);
    return invitation;
  }

  private async revokePending(
    manager: EntityManager,
    where: FindOptionsWhere<Invitation>,
    actorId: string,
  ): Promise<number> {
    const result = await manager
      .createQueryBuilder()
      .update(Invitation)
      .set({ revokedAt: new Date() })
      .where({ ...pendingInvitationsWhere(), ...where })
      .returning(['id'])
      .execute();
    const revoked = result.raw as { id: string }[];
    for (const { id } of revoked) {
      await this.audit.record(manager, 'invitation.revoked', `invitation:${id}`, actorId);
    }
    return revoked.length;
  }
}
