import { registerAuditActions } from '../../audit/audit-actions';

/** What email verification records in the audit log of the tenant where it happened. */
export const EMAIL_AUDIT_ACTIONS = registerAuditActions({
  verified: 'email.verified',
  changed: 'email.changed',
});
