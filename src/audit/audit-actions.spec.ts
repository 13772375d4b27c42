import { registerAuditActions, registeredAuditActions } from './audit-actions';

describe('registerAuditActions', () => {
  it('answers the actions by name and lists them after the core ones', () => {
    const actions = registerAuditActions({ created: 'invoice.created', voided: 'invoice.voided' });
    expect(actions).toEqual({ created: 'invoice.created', voided: 'invoice.voided' });
    expect(registeredAuditActions()[0]).toBe('auth.sign_in');
    expect(registeredAuditActions().slice(-2)).toEqual(['invoice.created', 'invoice.voided']);
  });

  it('refuses an action registered twice, a core one included, and registers none of the call', () => {
    expect(() => registerAuditActions({ sent: 'report.sent', again: 'report.sent' })).toThrow(
      'Audit action "report.sent" is registered twice',
    );
    expect(registeredAuditActions()).not.toContain('report.sent');
    expect(() => registerAuditActions({ signedIn: 'auth.sign_in' })).toThrow('is registered twice');
  });

  it('refuses names that are not resource.verb in lower case', () => {
    for (const action of ['created', 'Invoice.created', 'invoice.created.twice', 'invoice-line.created']) {
      expect(() => registerAuditActions({ action })).toThrow('must look like "invoice.created"');
    }
  });
});
