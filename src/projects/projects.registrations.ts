import { registerApiKeyScopes } from '../api-keys/api-key-scopes';
import { registerAuditActions } from '../audit/audit-actions';
import { registerPlanLimit } from '../billing/plans/plan-limit-registry';

/** What ProjectsService records in the audit log. */
export const PROJECT_AUDIT_ACTIONS = registerAuditActions({
  created: 'project.created',
  updated: 'project.updated',
  deleted: 'project.deleted',
});

/** `limits.projects` in the plans file: how many projects a tenant can have. */
export const PROJECTS_LIMIT = registerPlanLimit({
  key: 'projects',
  default: 100,
  description: 'Projects a tenant can have',
});

/** `projects:read` and `projects:write`, the API-key scopes of ProjectsController's routes. */
export const PROJECT_SCOPES = registerApiKeyScopes('projects');
