import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Identity } from '../../identities/identity.entity';
import { assertTenantSchemaName } from '../../tenancy/tenant-transaction';
import { EMAIL_AUDIT_ACTIONS } from './email.audit-actions';

/**
 * Marks an address verified where something proved the identity controls it: a verification link, an
 * accepted invitation, a password reset. Schema-qualified, so it joins any transaction, pinned or not.
 */
@Injectable()
export class VerifiedEmails {
  /**
   * Only while `email` is still the identity's address and unverified; the audit entry (`email.verified`)
   * goes to the tenant where the proof was given, with the identity's membership there as actor.
   */
  async markVerified(
    manager: EntityManager,
    { identityId, email, schemaName }: { identityId: string; email: string; schemaName: string },
  ): Promise<void> {
    const { affected } = await manager
      .createQueryBuilder()
      .update(Identity)
      .set({ emailVerifiedAt: () => 'now()' })
      .where('id = :identityId AND email = :email AND email_verified_at IS NULL', { identityId, email })
      .execute();
    if (!affected) return;
    assertTenantSchemaName(schemaName);
    await manager.query(
      `INSERT INTO "${schemaName}".audit_log (action, actor_id, target)
       SELECT $1, m.id, 'user:' || m.id FROM "${schemaName}".memberships m WHERE m.identity_id = $2`,
      [EMAIL_AUDIT_ACTIONS.verified, identityId],
    );
  }
}
