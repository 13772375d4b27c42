import type { BenchApp } from '../support/bench-app';
import { benchAccount, createProjects, signUp } from '../support/bench-accounts';
import type { LoadRequest } from '../support/load-generator';
import { TenantCatalogue } from '../../src/tenancy/tenant-catalogue';
import { type ActiveBenchTenant, benchSlug } from './bench-tenants';
import { bypassRequest, tenantPathRequest } from './bench-routes';
import type { RouteUnderTest } from './route-comparison';

/** Projects of the tenant every single-tenant measurement reads: one full default page. */
export const HEADLINE_PROJECTS = 20;

/**
 * The tenant every single-tenant measurement reads, made by the real signup through the product (so
 * it has an owner, and a token the product issued) with its projects made through the API.
 */
export async function signUpOwner(benchApp: BenchApp, productUrl: string): Promise<ActiveBenchTenant> {
  const slug = benchSlug(0);
  const owner = { slug, accessToken: await signUp(productUrl, benchAccount(slug)) };
  await createProjects(productUrl, owner, HEADLINE_PROJECTS);
  const tenant = await benchApp.app.get(TenantCatalogue).findBySlugFresh(slug);
  if (!tenant) throw new Error('the signed-up tenant is not in the catalogue');
  return { ...owner, schemaName: tenant.schemaName };
}

export function routesFor(owner: ActiveBenchTenant): RouteUnderTest[] {
  return [
    {
      name: 'bypass',
      description: 'same findAndCount, schema-qualified, no tenancy (baseline)',
      request: bypassRequest(owner),
    },
    {
      name: 'bypass (control)',
      description: 'the baseline again: how far apart two identical arms land (not judged)',
      request: bypassRequest(owner),
    },
    {
      name: 'bypass in a transaction',
      description: 'the same in a plain BEGIN … COMMIT, no tenancy (not judged)',
      request: bypassRequest(owner, true),
    },
    {
      name: 'tenant path',
      description: 'tenant resolution + ProjectsService.list, each statement pinned to the schema',
      request: tenantPathRequest(owner),
    },
    {
      name: 'GET /api/v1/projects',
      description: 'the real route: tenant path + access token check',
      request: {
        path: '/api/v1/projects',
        headers: { 'x-tenant': owner.slug, authorization: `Bearer ${owner.accessToken}` },
      },
    },
  ];
}

async function get(baseUrl: string, { path, headers }: LoadRequest): Promise<string> {
  const response = await fetch(`${baseUrl}${path}`, { headers });
  const body = await response.text();
  if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${body}`);
  return body;
}

/** The routes must answer the same page, or the comparison means nothing. */
export async function checkSameAnswers(baseUrl: string, routes: RouteUnderTest[]): Promise<void> {
  const bodies = await Promise.all(routes.map((route) => get(baseUrl, route.request)));
  const page = JSON.parse(bodies[0]) as { items: unknown[]; total: number };
  if (page.items.length !== 20 || page.total !== HEADLINE_PROJECTS) {
    throw new Error(`unexpected page: ${page.items.length} items, total ${page.total}`);
  }
  bodies.forEach((body, index) => {
    if (body !== bodies[0])
      throw new Error(`${routes[index].name} answers differently from ${routes[0].name}`);
  });
}
