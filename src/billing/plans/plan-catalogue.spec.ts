import { PlanCatalogue, PlanCatalogueError } from './plan-catalogue';

const plan = (id: string, overrides: Record<string, unknown> = {}) => ({
  id,
  name: id.toUpperCase(),
  stripePriceId: null,
  features: [],
  limits: { projects: 3, members: 3, requestsPerMinute: 60 },
  ...overrides,
});

function problemsOf(json: unknown, defaultPlan = 'free'): string {
  try {
    PlanCatalogue.parse(json, 'test.json', defaultPlan);
  } catch (error) {
    if (error instanceof PlanCatalogueError) return error.message;
    throw error;
  }
  throw new Error('expected the catalogue to be rejected');
}

describe('PlanCatalogue', () => {
  it('loads the built-in free and pro plans', () => {
    const catalogue = PlanCatalogue.load(undefined, 'free');
    expect(catalogue.plans.map((p) => p.id)).toEqual(['free', 'pro']);
    expect(catalogue.get('free')).toMatchObject({ stripePriceId: null, features: [] });
    expect(catalogue.get('pro').features).toContain('audit_log');
    expect(catalogue.get('pro').limits.projects).toBeGreaterThan(catalogue.get('free').limits.projects);
  });

  it('refuses unknown feature names', () => {
    expect(problemsOf({ plans: [plan('free', { features: ['teleport'] })] })).toContain(
      'plans.0.features.0: expected one of audit_log',
    );
  });

  it('refuses duplicate ids', () => {
    expect(problemsOf({ plans: [plan('free'), plan('free')] })).toContain('the id "free" is used twice');
  });

  it('refuses missing limits', () => {
    const message = problemsOf({
      plans: [plan('free', { limits: { projects: 3, members: 3 } })],
    });
    expect(message).toContain('plans.0.limits.requestsPerMinute');
  });

  it('refuses a catalogue without the default plan', () => {
    expect(problemsOf({ plans: [plan('basic')] })).toContain('DEFAULT_PLAN "free" is not in the catalogue');
  });

  it('refuses a file that is not JSON, naming it', () => {
    expect(() => PlanCatalogue.load('/nonexistent/plans.json', 'free')).toThrow(
      /Invalid plan catalogue \/nonexistent\/plans.json/,
    );
  });
});
