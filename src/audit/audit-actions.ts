import { ApiProperty } from '@nestjs/swagger';
import { AuditEntry, CORE_AUDIT_ACTIONS } from './audit-entry.entity';

declare const registered: unique symbol;

/** An audit action a feature module registered; `AuditLog.record` takes one (or a core action). */
export type RegisteredAuditAction = string & { readonly [registered]: true };

const actions = new Set<string>(CORE_AUDIT_ACTIONS);

/**
 * Declares the audit actions of a feature module, at the import of the file that calls it, and
 * answers them by name: `registerAuditActions({ created: 'invoice.created' }).created`.
 */
export function registerAuditActions<const Named extends Record<string, string>>(
  named: Named,
): { readonly [Name in keyof Named]: RegisteredAuditAction } {
  const added = Object.values(named);
  added.forEach((action, index) => {
    if (!/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/.test(action)) {
      throw new Error(`Audit action "${action}" must look like "invoice.created"`);
    }
    if (actions.has(action) || added.indexOf(action) !== index) {
      throw new Error(`Audit action "${action}" is registered twice`);
    }
  });
  for (const action of added) actions.add(action);
  ApiProperty({ enum: registeredAuditActions() })(AuditEntry.prototype, 'action');
  return Object.freeze({ ...named }) as unknown as { readonly [Name in keyof Named]: RegisteredAuditAction };
}

/** The core's actions, then every registered one in the order of registration. */
export function registeredAuditActions(): string[] {
  return [...actions];
}
