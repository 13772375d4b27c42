import type { Role } from '../common/access/access.decorators';
import type { InvitableRole } from './invitation.entity';

const INVITABLE_BY: Record<Role, readonly InvitableRole[]> = {
  owner: ['admin', 'member'],
  admin: ['admin', 'member'],
  member: [],
};

/** Whether someone with `inviterRole` (undefined: no longer a member) may invite as `invitedRole`. */
export function mayInvite(inviterRole: Role | undefined, invitedRole: InvitableRole): boolean {
  return inviterRole !== undefined && INVITABLE_BY[inviterRole].includes(invitedRole);
}
