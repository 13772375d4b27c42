import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Role } from '../common/access/access.decorators';
import type { MemberDto } from './dto/member.dto';

/** A membership of the tenant with its identity's email and name, as one statement reads them. */
export interface Member extends MemberDto {
  identityId: string;
}

/** An identity with an email, and its membership of the current tenant if it has one. */
export interface SignInCandidate {
  identityId: string;
  email: string;
  name: string;
  passwordHash: string;
  membership: { id: string; role: Role } | null;
}

const MEMBER_COLUMNS = `m.id, m.identity_id AS "identityId", i.email, i.name, m.role`;
const WITH_IDENTITY = `memberships m JOIN public.identities i ON i.id = m.identity_id`;

/**
 * Reads of memberships joined to their identities, inside the caller's tenant read or transaction
 * (memberships resolve to the pinned tenant schema, identities are schema-qualified).
 */
@Injectable()
export class MembersRepository {
  list(manager: EntityManager): Promise<Member[]> {
    return manager.query<Member[]>(
      `SELECT ${MEMBER_COLUMNS} FROM ${WITH_IDENTITY} ORDER BY m.created_at, m.id`,
    );
  }

  async findById(manager: EntityManager, membershipId: string): Promise<Member | undefined> {
    const rows = await manager.query<Member[]>(
      `SELECT ${MEMBER_COLUMNS} FROM ${WITH_IDENTITY} WHERE m.id = $1`,
      [membershipId],
    );
    return rows[0];
  }

  async isMember(manager: EntityManager, email: string): Promise<boolean> {
    const rows = await manager.query<unknown[]>(`SELECT 1 FROM ${WITH_IDENTITY} WHERE i.email = $1`, [email]);
    return rows.length > 0;
  }

  /** The member, share-locked until the transaction ends: a role change or removal waits for it. */
  async lockForShare(manager: EntityManager, membershipId: string): Promise<Member | undefined> {
    const rows = await manager.query<Member[]>(
      `SELECT ${MEMBER_COLUMNS} FROM ${WITH_IDENTITY} WHERE m.id = $1 FOR SHARE OF m`,
      [membershipId],
    );
    return rows[0];
  }

  /** The identity with this email and its membership here, in one statement: what a sign-in checks. */
  async signInCandidate(manager: EntityManager, email: string): Promise<SignInCandidate | undefined> {
    const rows = await manager.query<
      (Omit<SignInCandidate, 'membership'> & { membershipId: string | null; role: Role | null })[]
    >(
      `SELECT i.id AS "identityId", i.email, i.name, i.password_hash AS "passwordHash",
         m.id AS "membershipId", m.role
       FROM public.identities i LEFT JOIN memberships m ON m.identity_id = i.id
       WHERE i.email = $1`,
      [email],
    );
    const row = rows[0];
    if (!row) return undefined;
    const { membershipId, role, ...identity } = row;
    return { ...identity, membership: membershipId && role ? { id: membershipId, role } : null };
  }
}
