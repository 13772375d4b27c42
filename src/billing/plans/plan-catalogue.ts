import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { PlanLimitDefinition } from './plan-limit-registry';

/** Features a plan can unlock; `@RequiresFeature()` takes one of these. */
export const FEATURES = ['audit_log', 'require_2fa'] as const;
export type Feature = (typeof FEATURES)[number];

/** Limits every plan sets: the members of a tenant and its API requests per minute. */
export const CORE_PLAN_LIMITS = ['members', 'requestsPerMinute'] as const;

/** The core limits, and every limit a feature module registered (with its default where a plan has none). */
export type PlanLimits = Readonly<Record<(typeof CORE_PLAN_LIMITS)[number], number> & Record<string, number>>;

export interface Plan {
  id: string;
  name: string;
  stripePriceId: string | null;
  features: Feature[];
  limits: PlanLimits;
}

function catalogueSchema(featureLimits: readonly PlanLimitDefinition[]) {
  const limits = z.strictObject({
    members: z.number().int().min(1),
    requestsPerMinute: z.number().int().min(1),
    ...Object.fromEntries(
      featureLimits.map(({ key, default: value }) => [key, z.number().int().min(0).default(value)]),
    ),
  });
  const plan = z.strictObject({
    id: z.string().regex(/^[a-z][a-z0-9_-]*$/, { message: 'expected a lower-case plan id' }),
    name: z.string().min(1),
    stripePriceId: z.string().min(1).nullable(),
    features: z.array(z.enum(FEATURES, { message: `expected one of ${FEATURES.join(', ')}` })),
    limits,
  });
  return z.strictObject({ plans: z.array(plan).min(1) });
}

/** One line per problem; a limit key nobody registered is named with the keys that are. */
function describeIssue(issue: z.core.$ZodIssue, featureLimits: readonly PlanLimitDefinition[]): string[] {
  const at = issue.path.join('.');
  if (issue.code === 'unrecognized_keys' && issue.path.at(-1) === 'limits') {
    const known = [...CORE_PLAN_LIMITS, ...featureLimits.map((limit) => limit.key)].join(', ');
    return issue.keys.map((key) => `${at}.${key}: no module registers this limit (registered: ${known})`);
  }
  return [`${at || 'catalogue'}: ${issue.message}`];
}

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

  /**
   * Parses and checks a catalogue against the core limits and `featureLimits` (see
   * plan-limit-registry.ts); the default plan must exist in it.
   */
  static parse(
    json: unknown,
    source: string,
    defaultPlan: string,
    featureLimits: readonly PlanLimitDefinition[],
  ): PlanCatalogue {
    const parsed = catalogueSchema(featureLimits).safeParse(json);
    if (!parsed.success) {
      throw new PlanCatalogueError(
        source,
        parsed.error.issues.flatMap((issue) => describeIssue(issue, featureLimits)),
      );
    }
    const plans = parsed.data.plans as Plan[];
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const plan of plans) {
      if (seen.has(plan.id)) problems.push(`plans: the id "${plan.id}" is used twice`);
      seen.add(plan.id);
    }
    const fallback = plans.find((plan) => plan.id === defaultPlan);
    if (!fallback) problems.push(`DEFAULT_PLAN "${defaultPlan}" is not in the catalogue`);
    if (problems.length > 0 || !fallback) throw new PlanCatalogueError(source, problems);
    return new PlanCatalogue(plans, fallback);
  }

  static load(
    file: string | undefined,
    defaultPlan: string,
    featureLimits: readonly PlanLimitDefinition[],
  ): PlanCatalogue {
    const source = file ?? BUILT_IN_PLANS_FILE;
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(source, 'utf8'));
    } catch (error) {
      throw new PlanCatalogueError(source, [`cannot be read as JSON: ${(error as Error).message}`]);
    }
    return PlanCatalogue.parse(json, source, defaultPlan, featureLimits);
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
