import { registeredPlanLimits, registerPlanLimit } from './plan-limit-registry';

describe('registerPlanLimit', () => {
  it('answers the key and lists the definition', () => {
    const key = registerPlanLimit({
      key: 'invoices',
      default: 10,
      description: 'Invoices a tenant can have',
    });
    expect(key).toBe('invoices');
    expect(registeredPlanLimits()).toContainEqual({
      key: 'invoices',
      default: 10,
      description: 'Invoices a tenant can have',
    });
  });

  it('refuses a key registered twice, or one of the core limits', () => {
    registerPlanLimit({ key: 'reports', default: 1, description: 'Reports' });
    expect(() => registerPlanLimit({ key: 'reports', default: 2, description: 'Reports' })).toThrow(
      'Plan limit "reports" is registered twice',
    );
    expect(() => registerPlanLimit({ key: 'members', default: 2, description: 'Members' })).toThrow(
      'Plan limit "members" is registered twice',
    );
  });

  it('refuses keys that are not camelCase and defaults that are not whole numbers from 0', () => {
    expect(() => registerPlanLimit({ key: 'support-tickets', default: 1, description: 'x' })).toThrow(
      'must be camelCase',
    );
    for (const value of [-1, 1.5, Number.NaN]) {
      expect(() =>
        registerPlanLimit({ key: `bad${String(value).length}`, default: value, description: 'x' }),
      ).toThrow('needs a default that is a whole number of at least 0');
    }
  });
});
