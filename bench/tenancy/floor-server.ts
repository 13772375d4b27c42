import http from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { Pool } from 'pg';
import type { DatabaseEndpoint } from '../../src/database/embedded-postgres.launcher';
import { TENANT_KEY_PREFIX, TENANT_THROTTLER } from '../../src/rate-limit/rate-limit.throttlers';
import { RATE_LIMIT_KEY_PREFIX } from '../../src/rate-limit/redis-throttler.storage';
import { TENANT_HEADER } from '../../src/tenancy/tenant-resolution.middleware';
import type { ListeningServer } from '../support/child-server';
import { FloorPageQuery } from './floor-page-query';
import { FloorTokenVerifier } from './floor-token';

export const FLOOR_ROUTE = '/api/v1/projects';

export interface FloorSettings {
  database: DatabaseEndpoint;
  /** The API's DB_POOL_SIZE. */
  poolSize: number;
  /** The API's JWT_SECRET: the floor accepts the tokens the API issued. */
  jwtSecret: string;
  redis: { host: string; port: number };
  /** The API's APP_DOMAIN, if any: tenants are then also resolved from the Host's subdomain. */
  appDomain?: string;
  keepAliveTimeoutMs: number;
}

interface FloorTenant {
  id: string;
  schemaName: string;
  status: string;
}

/** The API's rule: a subdomain of APP_DOMAIN, else the X-Tenant header, trimmed, lower-case. */
function slugOf(request: http.IncomingMessage, appDomain: string | undefined): string | undefined {
  const host = request.headers.host?.replace(/:\d+$/, '').toLowerCase();
  if (appDomain && host?.endsWith(`.${appDomain}`)) {
    const label = host.slice(0, -appDomain.length - 1);
    if (label && !label.includes('.') && label !== 'www') return label;
  }
  const header = request.headers[TENANT_HEADER.toLowerCase()];
  const value = (Array.isArray(header) ? header[0] : header)?.trim().toLowerCase();
  return value || undefined;
}

function send(response: http.ServerResponse, status: number, body: string): void {
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  response.end(body);
}

const error = (code: string) => JSON.stringify({ error: { code } });

/**
 * The least a server can do to answer `GET /api/v1/projects` as the API does, as the bench's floor:
 * node:http; the access token checked with node:crypto, its `tid` against the tenant of the request;
 * the tenant from a map loaded at start; one INCR of the tenant's rate-limit key on Redis; one
 * statement for the caller's role, the page and the total; the API's JSON.
 */
export async function startFloorServer(settings: FloorSettings): Promise<ListeningServer> {
  const pool = new Pool({
    ...settings.database,
    max: settings.poolSize,
    application_name: 'bench-floor',
  });
  const redis = new Redis({ ...settings.redis, lazyConnect: true });
  await redis.connect();
  const { rows } = await pool.query<FloorTenant & { slug: string }>(
    `SELECT id, slug, schema_name AS "schemaName", status FROM public.tenants`,
  );
  const tenants = new Map(rows.map(({ slug, ...tenant }) => [slug, tenant]));
  const tokens = new FloorTokenVerifier(settings.jwtSecret);
  const pages = new FloorPageQuery(pool);

  const answer = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    const path = request.url?.split('?')[0];
    if (request.method !== 'GET' || path !== FLOOR_ROUTE) return send(response, 404, error('NOT_FOUND'));
    const slug = slugOf(request, settings.appDomain);
    if (slug === undefined) return send(response, 400, error('TENANT_REQUIRED'));
    const tenant = tenants.get(slug);
    if (!tenant) return send(response, 404, error('TENANT_NOT_FOUND'));
    if (tenant.status !== 'active') return send(response, 403, error('TENANT_SUSPENDED'));
    const claims = tokens.verify(request.headers.authorization, Date.now() / 1000);
    if (!claims || claims.tid !== tenant.id) return send(response, 401, error('UNAUTHORIZED'));
    // The signature already proves the tenant, so the budget and the page are asked for at once.
    const [, page] = await Promise.all([
      redis.incr(`${RATE_LIMIT_KEY_PREFIX}${TENANT_THROTTLER}:${TENANT_KEY_PREFIX}${tenant.id}`),
      pages.read(tenant.schemaName, claims.sub, claims.sid),
    ]);
    if (!page) return send(response, 401, error('UNAUTHORIZED'));
    send(response, 200, JSON.stringify(page));
  };

  const server = http.createServer((request, response) => {
    answer(request, response).catch((failure: Error) => {
      process.stderr.write(`floor: ${failure.stack ?? failure.message}\n`);
      if (!response.headersSent) send(response, 500, error('INTERNAL'));
    });
  });
  server.keepAliveTimeout = settings.keepAliveTimeoutMs;
  server.headersTimeout = settings.keepAliveTimeoutMs + 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      redis.disconnect();
      await pool.end();
    },
  };
}
