import type { Table } from '../support/bench';
import type { FloorComparison } from './product-vs-floor';

const quartiles = ([low, , high]: [number, number, number]) => `${low.toFixed(3)}–${high.toFixed(3)}`;

/** "constant (21)" or "19–21, not constant": the connection count over a run. */
export function connectionsHeld({ min, max }: FloorComparison['connections']): string {
  return min === max ? `constant (${max})` : `${min}–${max}, not constant`;
}

/**
 * The product against the floor: each run's two arms, the product's row carrying the ratios.
 * `withConnections` only where the two servers are the bench database's only clients.
 */
export function floorTable(title: string, comparisons: FloorComparison[], withConnections: boolean): Table {
  return {
    title,
    columns: [
      'tenants',
      'active',
      'server',
      'req/s',
      'p50 ms',
      'p99 ms',
      'product/floor',
      'slices IQR*',
      'CPU ms/req',
      'PG conns',
    ],
    rows: comparisons.flatMap((c) => [
      [
        c.tenants,
        c.activeTenants,
        'floor',
        c.floor.throughput.toFixed(0),
        c.floor.latencyMs.p50.toFixed(2),
        c.floor.latencyMs.p99.toFixed(2),
        '',
        '',
        c.floor.cpuMsPerRequest.toFixed(3),
        withConnections ? connectionsHeld(c.connections) : '-',
      ],
      [
        c.tenants,
        c.activeTenants,
        'product',
        c.product.throughput.toFixed(0),
        c.product.latencyMs.p50.toFixed(2),
        c.product.latencyMs.p99.toFixed(2),
        `${c.product.throughputRatio.toFixed(3)}×`,
        quartiles(c.product.sliceRatioQuartiles),
        c.product.cpuMsPerRequest.toFixed(3),
        '',
      ],
    ]),
  };
}

export const FLOOR_NOTE =
  'Product vs floor: the product is the API as `npm start` runs it (production, PostgreSQL, Redis, the ' +
  'tenant limiter on with limits above the load), in a process of its own; the floor (bench/tenancy/' +
  'floor-server.ts) is a bare node:http server in another doing only what the answer needs: the HS256 ' +
  'token checked with node:crypto (signature, exp, tid = the tenant of X-Tenant/Host), the tenant from a ' +
  'map loaded at start, one Redis INCR of the tenant’s rate-limit key, one schema-qualified statement ' +
  '(role by membership and live session, the default page, the total), the same pool size and token, ' +
  'the same JSON (checked tenant by tenant before the run). CPU ms/req is each server process’s own; ' +
  'PG conns: client backends on the bench database over the run, sampled every 250 ms.';
