import {
  type ArmComparison,
  type ArmMeasurement,
  compareArms,
  describeArm,
  type InterleavedRunner,
} from '../support/interleaved-runner';
import type { LoadRequest } from '../support/load-generator';

export interface RouteUnderTest {
  name: string;
  description: string;
  request: LoadRequest;
}

export interface RouteMeasurement extends ArmMeasurement, ArmComparison {
  description: string;
}

export interface SlicePlan {
  concurrency: number;
  warmupMs: number;
  sliceMs: number;
  slices: number;
}

/**
 * The routes warmed up, then measured in one interleaved run, each against the first (the baseline):
 * slice by slice, the routes take turns, so every route sees the same machine.
 */
export async function compareRoutes(
  runner: InterleavedRunner,
  routes: RouteUnderTest[],
  plan: SlicePlan,
  progress: (line: string) => void,
): Promise<{ routes: RouteMeasurement[]; run: Awaited<ReturnType<InterleavedRunner['run']>> }> {
  const arms = routes.map((route) => ({ name: route.name, requests: [route.request] }));
  await runner.warmUp(arms, plan.concurrency, plan.warmupMs);
  const run = await runner.run(arms, plan);
  const [baseline] = run.arms;
  const measured = run.arms.map((arm, index) => {
    progress(`  ${arm.name}: ${describeArm(arm)}`);
    return { ...arm, ...compareArms(arm, baseline), description: routes[index].description };
  });
  return { routes: measured, run };
}
