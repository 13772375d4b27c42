import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import type { AuthenticatedUser, Role } from '../common/access/access.decorators';
import { MembershipDirectory } from '../identities/membership-directory';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database';
import { type MemberDto, toMemberDto } from './dto/member.dto';
import { InvitationsService } from './invitations.service';
import { ForbiddenActionException, MemberNotFoundException } from './members.errors';
import { MembersRepository } from './members.repository';
import { type MembershipAccess, MembershipAccessCache } from './membership-access-cache';
import { Membership } from './membership.entity';

/** Memberships of the current tenant and their roles, with the rules that keep a tenant manageable. */
@Injectable()
export class MembersService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly dataSource: DataSource,
    private readonly members: MembersRepository,
    private readonly directory: MembershipDirectory,
    private readonly audit: AuditLog,
    private readonly invitations: InvitationsService,
    private readonly accessCache: MembershipAccessCache,
  ) {}

  list(): Promise<MemberDto[]> {
    return this.tenantDatabase.read(async (manager) => (await this.members.list(manager)).map(toMemberDto));
  }

  get(membershipId: string): Promise<MemberDto> {
    return this.tenantDatabase.read(async (manager) => {
      const member = await this.members.findById(manager, membershipId);
      if (!member) throw new MemberNotFoundException();
      return toMemberDto(member);
    });
  }

  /**
   * The current role and identity of a membership of the current tenant, and whether the given
   * session of it is live; undefined once the membership is gone. The access guard asks on every
   * request: answered from MembershipAccessCache, else one schema-qualified statement, no transaction.
   */
  currentRole(membershipId: string, sessionId: string): Promise<MembershipAccess | undefined> {
    const { schemaName } = this.tenantContext.tenant;
    return this.accessCache.check(schemaName, membershipId, sessionId, async () => {
      const rows = await this.dataSource.query<{ role: Role; identity_id: string; session_live: boolean }[]>(
        `SELECT m.role, m.identity_id, s.id IS NOT NULL AS session_live
         FROM "${schemaName}".memberships m
         LEFT JOIN "${schemaName}".sessions s ON s.id = $2 AND s.membership_id = m.id AND s.revoked_at IS NULL
         WHERE m.id = $1`,
        [membershipId, sessionId],
      );
      return (
        rows[0] && { role: rows[0].role, identityId: rows[0].identity_id, sessionLive: rows[0].session_live }
      );
    });
  }

  changeRole(actor: AuthenticatedUser, memberId: string, role: Role): Promise<MemberDto> {
    return this.tenantDatabase.transaction(async (manager) => {
      const owners = await this.lockOwners(manager);
      const { actorRole, member } = await this.lockActorAndMember(manager, actor.id, memberId);
      if (member.role !== role) {
        if ((member.role === 'owner' || role === 'owner') && actorRole !== 'owner') {
          throw new ForbiddenActionException('Only an owner can grant or take away the owner role');
        }
        if (member.role === 'owner' && owners.length < 2) {
          throw new ForbiddenActionException('The last owner cannot be demoted');
        }
        await this.audit.record(
          manager,
          'member.role_changed',
          `user:${member.id}:${member.role}->${role}`,
          actor.id,
        );
        member.role = role;
        await manager.save(member);
        this.accessCache.forgetOnCommit(manager, this.tenantContext.tenant.schemaName, member.id);
        await this.directory.recordRole(manager, this.tenantContext.tenant.id, member.id, role);
        await this.invitations.revokeUngrantable(manager, member.id, role, actor.id);
      }
      const changed = await this.members.findById(manager, member.id);
      if (!changed) throw new MemberNotFoundException();
      return toMemberDto(changed);
    });
  }

  remove(actor: AuthenticatedUser, memberId: string): Promise<void> {
    return this.tenantDatabase.transaction(async (manager) => {
      const owners = await this.lockOwners(manager);
      const { actorRole, member } = await this.lockActorAndMember(manager, actor.id, memberId);
      if (member.role === 'owner') {
        if (actorRole !== 'owner') throw new ForbiddenActionException('Only an owner can remove an owner');
        if (owners.length < 2) throw new ForbiddenActionException('The last owner cannot be removed');
      }
      // Before the delete, which would null the invitations' inviter.
      await this.invitations.revokeUngrantable(manager, member.id, undefined, actor.id);
      // The membership goes, and its sessions with it; the identity stays, with its other tenants.
      await manager.delete(Membership, { id: member.id });
      this.accessCache.forgetOnCommit(manager, this.tenantContext.tenant.schemaName, member.id);
      await this.directory.forget(manager, this.tenantContext.tenant.id, member.id);
      await this.audit.record(manager, 'member.removed', `user:${member.id}`, actor.id);
    });
  }

  /**
   * Locks the actor's and the member's rows, in id order, after the owners' rows, and authorises
   * against the actor's role as it is now: the role the request was let in with may have changed since.
   */
  private async lockActorAndMember(
    manager: EntityManager,
    actorId: string,
    memberId: string,
  ): Promise<{ actorRole: Role; member: Membership }> {
    const memberships = await manager.find(Membership, {
      where: { id: In([actorId, memberId]) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    const actorRole = memberships.find((membership) => membership.id === actorId)?.role;
    if (actorRole !== 'owner' && actorRole !== 'admin') {
      throw new ForbiddenActionException('This needs the role owner or admin');
    }
    const member = memberships.find((membership) => membership.id === memberId);
    if (!member) throw new MemberNotFoundException();
    return { actorRole, member };
  }

  /**
   * Locks the owner rows, in id order and before any other membership row, so that two concurrent
   * demotions neither deadlock nor both see "another owner".
   */
  private lockOwners(manager: EntityManager): Promise<Membership[]> {
    return manager.find(Membership, {
      select: { id: true },
      where: { role: 'owner' },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }
}
