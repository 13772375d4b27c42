import { ApiProperty } from '@nestjs/swagger';
import { CORE_PLAN_LIMITS } from './plan-catalogue';
import { PlanLimitsDto } from './dto/plan.dto';

declare const registered: unique symbol;

/** A limit key a feature module registered; `PlanLimits.assertRoomFor` takes one (or `members`). */
export type RegisteredPlanLimit = string & { readonly [registered]: true };

export interface PlanLimitDefinition {
  /** camelCase, as it appears in plan files, GET /plans, GET /me and PLAN_LIMIT_REACHED details. */
  key: string;
  /** What a plan that does not set the limit allows. */
  default: number;
  /** For the OpenAPI document, e.g. "Invoices a tenant can have". */
  description: string;
}

const definitions = new Map<string, PlanLimitDefinition>();

/**
 * Declares a countable limit of a feature module, at the import of the file that calls it: plan files
 * may set it (a key nobody registered is refused), and the plans and /me documents list it.
 */
export function registerPlanLimit(definition: PlanLimitDefinition): RegisteredPlanLimit {
  const { key } = definition;
  if (!/^[a-z][a-zA-Z0-9]*$/.test(key)) throw new Error(`Plan limit "${key}" must be camelCase`);
  if ((CORE_PLAN_LIMITS as readonly string[]).includes(key) || definitions.has(key)) {
    throw new Error(`Plan limit "${key}" is registered twice`);
  }
  if (!Number.isInteger(definition.default) || definition.default < 0) {
    throw new Error(`Plan limit "${key}" needs a default that is a whole number of at least 0`);
  }
  definitions.set(key, { ...definition });
  ApiProperty({
    type: 'integer',
    minimum: 0,
    description: definition.description,
    example: definition.default,
  })(PlanLimitsDto.prototype, key);
  return key as RegisteredPlanLimit;
}

/** Every limit registered so far, in the order of registration. */
export function registeredPlanLimits(): PlanLimitDefinition[] {
  return [...definitions.values()];
}
