import { readFileSync } from 'node:fs';
import { BUILT_IN_PLANS_FILE, CORE_PLAN_LIMITS, PlanCatalogue, PlanCatalogueError } from './plan-catalogue';
import type { PlanLimitDefinition } from './plan-limit-registry';

const invoices: PlanLimitDefinition = {
  key: 'invoices',
  default: 25,
  description: 'Invoices a tenant can have',
};

const plan = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: id.toUpperCase(),
  stripePriceId: null,
  features: [],
  limits: { members: 3, requestsPerMinute: 60 },
  ...overrides,
});

function problemsOf(json: unknown, defaultPlan = 'free', featureLimits = [invoices]): string {
  try {
    PlanCatalogue.parse(json, 'test.json', defaultPlan, featureLimits);
  } catch (error) {
    if (error instanceof PlanCatalogueError) return error.message;
    throw error;
  }
  throw new Error('expected the catalogue to be rejected');
}

describe('PlanCatalogue', () => {
  it('loads the built-in free and pro plans once the limits they set are registered', () => {
    const builtIn = JSON.parse(readFileSync(BUILT_IN_PLANS_FILE, 'utf8')) as { plans: { limits: object }[] };
    const featureLimits = Object.keys(builtIn.plans[0].limits)
      .filter((key) => !(CORE_PLAN_LIMITS as readonly string[]).includes(key))
      .map((key) => ({ key, default: 0, description: key }));
    const catalogue = PlanCatalogue.load(undefined, 'free', featureLimits);
    expect(catalogue.plans.map((p) => p.id)).toEqual(['free', 'pro']);
    expect(catalogue.get('free')).toMatchObject({ stripePriceId: null, features: [] });
    expect(catalogue.get('pro').features).toEqual(['audit_log', 'require_2fa']);
    expect(catalogue.get('pro').limits.members).toBeGreaterThan(catalogue.get('free').limits.members);
  });

  it('refuses unknown feature names', () => {
    expect(problemsOf({ plans: [plan('free', { features: ['teleport'] })] })).toContain(
      'plans.0.features.0: expected one of audit_log, require_2fa',
    );
  });

  it('refuses duplicate ids', () => {
    expect(problemsOf({ plans: [plan('free'), plan('free')] })).toContain('the id "free" is used twice');
  });

  it('refuses missing core limits', () => {
    const message = problemsOf({
      plans: [plan('free', { limits: { members: 3 } })],
    });
    expect(message).toContain('plans.0.limits.requestsPerMinute');
  });

  it('refuses a limit no module registers, naming it and the registered ones', () => {
    const message = problemsOf({
      plans: [plan('free', { limits: { members: 3, requestsPerMinute: 60, invoices: 5, widgets: 2 } })],
    });
    expect(message).toContain(
      'plans.0.limits.widgets: no module registers this limit (registered: members, requestsPerMinute, invoices)',
    );
    expect(message).not.toContain('limits.invoices');
  });

  it('gives a registered limit its default where a plan does not set it, and checks the value where it does', () => {
    const catalogue = PlanCatalogue.parse(
      {
        plans: [
          plan('free'),
          plan('pro', { limits: { members: 50, requestsPerMinute: 600, invoices: 500 } }),
        ],
      },
      'test.json',
      'free',
      [invoices],
    );
    expect(catalogue.get('free').limits.invoices).toBe(25);
    expect(catalogue.get('pro').limits.invoices).toBe(500);
    expect(
      problemsOf({ plans: [plan('free', { limits: { members: 3, requestsPerMinute: 60, invoices: -1 } })] }),
    ).toContain('plans.0.limits.invoices');
  });

  it('refuses a catalogue without the default plan', () => {
    expect(problemsOf({ plans: [plan('basic')] })).toContain('DEFAULT_PLAN "free" is not in the catalogue');
  });

  it('refuses a file that is not JSON, naming it', () => {
    expect(() => PlanCatalogue.load('/nonexistent/plans.json', 'free', [])).toThrow(
      /Invalid plan catalogue \/nonexistent\/plans.json/,
    );
  });
});
