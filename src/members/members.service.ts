import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import type { AuthenticatedUser, Role } from '../common/access/access.decorators';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database';
import { InvitationsService } from './invitations.service';
import { ForbiddenActionException, MemberNotFoundException } from './members.errors';
import { type MemberDto, toMemberDto, User } from './user.entity';

/** Tenant users and their roles, with the rules that keep a tenant manageable. */
@Injectable()
export class MembersService {
  constructor(
    private readonly tenantDatabase: TenantDatabase,
    private readonly tenantContext: TenantContext,
    private readonly dataSource: DataSource,
    private readonly audit: AuditLog,
    private readonly invitations: InvitationsService,
  ) {}

  list(): Promise<MemberDto[]> {
    return this.tenantDatabase.read(async (manager) =>
      (await manager.find(User, { order: { createdAt: 'ASC', id: 'ASC' } })).map(toMemberDto),
    );
  }

  get(userId: string): Promise<MemberDto> {
    return this.tenantDatabase.read(async (manager) => {
      const user = await manager.findOneBy(User, { id: userId });
      if (!user) throw new MemberNotFoundException();
      return toMemberDto(user);
    });
  }

  /**
   * The current role of a user of the current tenant, and whether the given session of theirs is live;
   * undefined once the user is gone. One schema-qualified statement, no transaction, as the access
   * guard calls it on every request.
   */
  async currentRole(
    userId: string,
    sessionId: string,
  ): Promise<{ role: Role; sessionLive: boolean } | undefined> {
    const { schemaName } = this.tenantContext.tenant;
    const rows = await this.dataSource.query<{ role: Role; session_live: boolean }[]>(
      `SELECT u.role, s.id IS NOT NULL AS session_live
       FROM "${schemaName}".users u
       LEFT JOIN "${schemaName}".sessions s ON s.id = $2 AND s.user_id = u.id AND s.revoked_at IS NULL
       WHERE u.id = $1`,
      [userId, sessionId],
    );
    return rows[0] && { role: rows[0].role, sessionLive: rows[0].session_live };
  }

  changeRole(actor: AuthenticatedUser, memberId: string, role: Role): Promise<MemberDto> {
    return this.tenantDatabase.transaction(async (manager) => {
      const owners = await this.lockOwners(manager);
      const { actorRole, member } = await this.lockActorAndMember(manager, actor.id, memberId);
      if (member.role === role) return toMemberDto(member);
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
      const changed = await manager.save(member);
      await this.invitations.revokeUngrantable(manager, member.id, role, actor.id);
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
      await manager.delete(User, { id: member.id });
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
  ): Promise<{ actorRole: Role; member: User }> {
    const users = await manager.find(User, {
      where: { id: In([actorId, memberId]) },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
    const actorRole = users.find((user) => user.id === actorId)?.role;
    if (actorRole !== 'owner' && actorRole !== 'admin') {
      throw new ForbiddenActionException('This needs the role owner or admin');
    }
    const member = users.find((user) => user.id === memberId);
    if (!member) throw new MemberNotFoundException();
    return { actorRole, member };
  }

  /**
   * Locks the owner rows, in id order and before any other user row, so that two concurrent demotions
   * neither deadlock nor both see "another owner".
   */
  private lockOwners(manager: EntityManager): Promise<User[]> {
    return manager.find(User, {
      select: { id: true },
      where: { role: 'owner' },
      order: { id: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }
}
