import { Injectable } from '@nestjs/common';
import { type EntityManager, IsNull, MoreThan } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import { PlanLimits } from '../billing/gating/plan-limits';
import type { AuthenticatedUser } from '../common/access/access.decorators';
import { hashSecretToken, newSecretToken } from '../common/access/secret-token';
import { InjectConfig, type AppConfig } from '../config';
import { MailOutbox } from '../mail/outbox/mail-outbox';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database';
import type { CreateInvitationDto, InvitationDto } from './dto/invitation.dto';
import { Invitation } from './invitation.entity';
import { AlreadyMemberException, InvalidTokenException } from './members.errors';
import { normalizeEmail } from './user-identity';
import { User } from './user.entity';

/** Invitations: a single-use, expiring token mailed to the invitee. */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly mailOutbox: MailOutbox,
    private readonly planLimits: PlanLimits,
    private readonly audit: AuditLog,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  invite(actor: AuthenticatedUser, input: CreateInvitationDto): Promise<InvitationDto> {
    const tenant = this.tenantContext.tenant;
    const email = normalizeEmail(input.email);
    return this.tenantDatabase.transaction(async (manager) => {
      if (await manager.existsBy(User, { email })) throw new AlreadyMemberException(email);
      // Pending invitations count as members: each may be accepted.
      await this.planLimits.assertRoomFor(manager, 'members', async () => {
        const pending = await manager.countBy(Invitation, {
          acceptedAt: IsNull(),
          expiresAt: MoreThan(new Date()),
        });
        return (await manager.count(User)) + pending;
      });
      const inviter = await manager.findOneByOrFail(User, { id: actor.id });
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

  /** Spends an invitation inside the caller's tenant transaction; any unusable token is INVALID_TOKEN. */
  async consume(manager: EntityManager, token: string): Promise<Invitation> {
    const invitation = await manager.findOne(Invitation, {
      where: { tokenHash: hashSecretToken(token) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!invitation || invitation.acceptedAt !== null || invitation.expiresAt.getTime() <= Date.now()) {
      throw new InvalidTokenException('The invitation is invalid, used or expired');
    }
    invitation.acceptedAt = new Date();
    await manager.save(invitation);
    return invitation;
  }
}
