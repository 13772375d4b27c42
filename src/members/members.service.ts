import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditLog } from '../audit/audit-log';
import type { AuthenticatedUser, Role } from '../common/access/access.decorators';
import { TenantContext } from '../tenancy/tenant-context';
import { TenantDatabase } from '../tenancy/tenant-database';
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
      const member = await this.lockMember(manager, memberId);
      if (member.role === role) return toMemberDto(member);
      if ((member.role === 'owner' || role === 'owner') && actor.role !== 'owner') {
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
      return toMemberDto(await manager.save(member));
    });
  }

  remove(actor: AuthenticatedUser, memberId: string): Promise<void> {
    return this.tenantDatabase.transaction(async (manager) => {
      const owners = await this.lockOwners(manager);
      const member = await this.lockMember(manager, memberId);
      if (member.role === 'owner') {
        if (actor.role !== 'owner') throw new ForbiddenActionException('Only an owner can remove an owner');
        if (owners.length < 2) throw new ForbiddenActionException('The last owner cannot be removed');
      }
      await manager.delete(User, { id: member.id });
      await this.audit.record(manager, 'member.removed', `user:${member.id}`, actor.id);
    });
  }

  private async lockMember(manager: EntityManager, memberId: string): Promise<User> {
    const member = await manager.findOne(User, {
      where: { id: memberId },
      lock: { mode: 'pessimistic_write' },
    });
    if (!member) throw new MemberNotFoundException();
    return member;
  }

  /**
   * Locks the owner rows, always before the member's row and in id order, so that two concurrent
   * demotions neither deadlock nor both see "another owner".
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
