import type { LoadRequest } from '../support/load-generator';
import {
  describeRound,
  type MeasuredRound,
  type RoundRunner,
  type RoundsSummary,
  summarizeRounds,
} from '../support/round-runner';
import { median, round } from '../support/stats';

export interface RouteUnderTest {
  name: string;
  description: string;
  request: LoadRequest;
}

export interface RouteMeasurement extends RoundsSummary {
  name: string;
  description: string;
  /**
   * Throughput over the baseline's (the first route) in each round, the two measured back to back,
   * and their median: drift of the machine between rounds cancels out of it.
   */
  roundRatios: number[];
  ratio: number;
}

export interface RoundPlan {
  warmupMs: number;
  durationMs: number;
  rounds: number;
}

/**
 * Every route warmed up, then `rounds` rounds of each, the order rotated per round so no route always
 * runs first or last; each route's numbers are the medians of its rounds.
 */
export async function compareRoutes(
  runner: RoundRunner,
  routes: RouteUnderTest[],
  plan: RoundPlan,
  progress: (line: string) => void,
): Promise<RouteMeasurement[]> {
  for (const route of routes) await runner.run([route.request], plan.warmupMs);
  const measured = new Map<string, MeasuredRound[]>(routes.map((route) => [route.name, []]));
  for (let index = 0; index < plan.rounds; index++) {
    const order = routes.map((_, position) => routes[(position + index) % routes.length]);
    for (const route of order) {
      const result = await runner.run([route.request], plan.durationMs);
      measured.get(route.name)!.push(result);
      progress(`  round ${index + 1}/${plan.rounds} ${route.name}: ${describeRound(result)}`);
    }
  }
  const baseline = measured.get(routes[0].name)!;
  return routes.map((route) => {
    const rounds = measured.get(route.name)!;
    const roundRatios = rounds.map((r, index) =>
      round(r.load.throughput / baseline[index].load.throughput, 3),
    );
    return {
      name: route.name,
      description: route.description,
      ...summarizeRounds(rounds),
      roundRatios,
      ratio: median(roundRatios),
    };
  });
}
