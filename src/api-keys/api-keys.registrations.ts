import { registerAuditActions } from '../audit/audit-actions';
import { registerPlanLimit } from '../billing/plans/plan-limit-registry';

/** What ApiKeysService records in the audit log. */
export const API_KEY_AUDIT_ACTIONS = registerAuditActions({
  created: 'api_key.created',
  revoked: 'api_key.revoked',
});

/** `limits.apiKeys` in the plans file: how many unrevoked, unexpired API keys a tenant can have. */
export const API_KEYS_LIMIT = registerPlanLimit({
  key: 'apiKeys',
  default: 2,
  description: 'Unrevoked, unexpired API keys a tenant can have',
});
