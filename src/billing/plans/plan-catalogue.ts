import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

/** Features a plan can unlock; `@RequiresFeature()` takes one of these. */
export const FEATURES = ['audit_log'] as const;
export type Feature = (typeof FEATURES)[number];

const limitsSchema = z.strictObject({
  projects: z.number().int().min(0),
  members: z.number().int().min(1),
  requestsPerMinute: z.number().int().min(1),
});

const planSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lower-case plan id' }),
  name: z.string().min(1),
  stripePriceId: z.string().min(1).nullable(),
  features: z.array(z.enum(FEATURES, { message: `expected one of ${FEATURES.join(', ')}` })),
  limits: limitsSchema,
});

const catalogueSchema = z.strictObject({ plans: z.array(planSchema).min(1) });

export type Plan = z.output<typeof planSchema>;
export type PlanLimits = Plan['limits'];

export const BUILT_IN_PLANS_FILE = path.join(__dirname, 'plans.json');

export class PlanCatalogueError extends Error {
  constructor(source: string, problems: string[]) {
    super(`Invalid plan catalogue ${source}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'PlanCatalogueError';
  }
}

/** The plans tenants can be on, validated once at start-up. */
export class PlanCatalogue {
  private readonly byId: ReadonlyMap<string, Plan>;

  constructor(
    readonly plans: readonly Plan[],
    readonly defaultPlan: Plan,
  ) {
    this.byId = new Map(plans.map((plan) => [plan.id, plan]));
  }

  /** Parses and checks a catalogue; the default plan must exist in it. */
  static parse(json: unknown, source: string, defaultPlan: string): PlanCatalogue {
    const parsed = catalogueSchema.safeParse(json);
    if (!parsed.success) {
      throw new PlanCatalogueError(
        source,
        parsed.error.issues.map((issue) => `${issue.path.join('.') || 'catalogue'}: ${issue.message}`),
      );
    }
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const plan of parsed.data.plans) {
      if (seen.has(plan.id)) problems.push(`plans: the id "${plan.id}" is used twice`);
      seen.add(plan.id);
    }
    const fallback = parsed.data.plans.find((plan) => plan.id === defaultPlan);
    if (!fallback) problems.push(`DEFAULT_PLAN "${defaultPlan}" is not in the catalogue`);
    if (problems.length > 0 || !fallback) throw new PlanCatalogueError(source, problems);
    return new PlanCatalogue(parsed.data.plans, fallback);
  }

  static load(file: string | undefined, defaultPlan: string): PlanCatalogue {
    const source = file ?? BUILT_IN_PLANS_FILE;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(source, 'utf8'));
    } catch (error) {
      throw new PlanCatalogueError(source, [`cannot be read as JSON: ${(error as Error).message}`]);
    }
    return PlanCatalogue.parse(json, source, defaultPlan);
  }

  find(id: string): Plan | undefined {
    return this.byId.get(id);
  }

  get(id: string): Plan {
    const plan = this.byId.get(id);
    if (!plan) throw new Error(`Unknown plan "${id}"`);
    return plan;
  }
}
